"""What a column of an import file is: its English and Dutch names, other names people give
it, whether it is needed, and what to write in it. Headers are compared by ``header_key``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.text import strip_accents

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def header_key(text: str) -> str:
    """'Thema's' -> 'themas', 'Reisafstand (km)' -> 'reisafstand', 'student_number' -> ..."""
    return _NON_ALNUM.sub("", strip_accents(_BRACKETS.sub("", text)).lower())


@dataclass(frozen=True)
class Column:
    key: str  # the English name, as documented
    dutch: str  # the Dutch name, as documented
    aliases: tuple[str, ...] = ()
    required: bool = True  # the column must be in the file
    may_be_empty: bool = False  # a row may leave the cell empty
    help: object = ""  # what to write, for the help page (a lazy translated text)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.dutch, *self.aliases)

    @property
    def label(self) -> str:
        """How messages name the column: Dutch and English."""
        return self.key if self.dutch == self.key else f"{self.dutch} ({self.key})"


def column(key: str, dutch: str, *aliases: str, required: bool = True,
           may_be_empty: bool = False, help: object = "") -> Column:
    return Column(key, dutch, aliases, required, may_be_empty, help)
