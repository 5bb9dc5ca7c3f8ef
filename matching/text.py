"""Text normalisation for Dutch: case, accents, punctuation and spacing."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    """'coördinator' -> 'coordinator', 'elektriciën' -> 'elektricien'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (slashes and dashes split)."""
    return _NON_WORD.sub(" ", strip_accents(text).lower()).strip()
