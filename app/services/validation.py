"""Rules for single values that forms, services and imports all check the same way.

Each ``check_*`` returns the cleaned value or raises :class:`FieldError` with a message
that says what to fix (translated when there is a request or app context) and, when given,
the name of the field. Besides the rules for particular values (a KvK number, a postcode,
levels) there is one helper per kind of field: a bounded text, a whole number in a range, a
date in a range, a choice from an enum and a choice of rows from a table. A service's
``_clean`` is a sequence of those calls inside :func:`reraise_as`, which turns the first
:class:`FieldError` into the service's own error.

The messages are passed in as lazy strings (``_l``): each field says its own words, and they
are only translated when one is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from typing import Any, Literal, TypeVar, overload
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from sqlmodel import Session, SQLModel, col, select

from matching.geo import clean_pc4, postcodes

from ..models import Level, PlacementKind
from .errors import ServiceError

E = TypeVar("E", bound=Enum)
# A message for the person who entered the value: translated now, or lazily when shown.
Message = str | LazyString

_KVK = re.compile(r"^\d{8}$")

_VMBO_HAVO_VWO = frozenset({Level.vmbo_bb, Level.vmbo_kb, Level.vmbo_gl, Level.vmbo_tl,
                            Level.havo, Level.vwo})
_MBO = frozenset({Level.mbo_1, Level.mbo_2, Level.mbo_3, Level.mbo_4})
_HBO = frozenset({Level.hbo})

# The levels of the students each kind of placement is for.
LEVELS_FOR_KIND: dict[PlacementKind, frozenset[Level]] = {
    PlacementKind.snuffelstage: _VMBO_HAVO_VWO,
    PlacementKind.bol_internship: _MBO,
    PlacementKind.bbl_apprenticeship: _MBO,
    PlacementKind.hbo_internship: _HBO,
    PlacementKind.graduation_project: _HBO,
    PlacementKind.fieldlab_project: _MBO | _HBO,
}


class FieldError(ServiceError):
    """A value that cannot be used; the message says what to fix."""


@contextmanager
def reraise_as(error: type[ServiceError]) -> Iterator[None]:
    """Raise the first :class:`FieldError` inside as ``error``, with its message and field."""
    try:
        yield
    except FieldError as problem:
        raise error(str(problem), field=problem.field) from None


def column_length(model: type[SQLModel], name: str) -> int:
    """The most characters the text column ``name`` of ``model`` holds: the bound of its
    :func:`check_text`."""
    length = getattr(sa.inspect(model).columns[name].type, "length", None)
    if length is None:
        raise TypeError(f"{model.__name__}.{name} has no length")
    return length


# --- one helper per kind of field -------------------------------------------------------------

def check_text(value: str | None, *, field: str, maximum: int, too_long: Message,
               missing: Message | None = None) -> str:
    """Stripped text of at most ``maximum`` characters; empty only when ``missing`` (the
    message for an empty one) is None."""
    text = (value or "").strip()
    if missing is not None and not text:
        raise FieldError(str(missing), field)
    if len(text) > maximum:
        raise FieldError(str(too_long), field)
    return text


@overload
def check_number(value: Any, *, field: str, message: Message, minimum: int = 1,
                 maximum: int | None = None, optional: Literal[False] = False) -> int: ...


@overload
def check_number(value: Any, *, field: str, message: Message, minimum: int = 1,
                 maximum: int | None = None, optional: bool) -> int | None: ...


def check_number(value: Any, *, field: str, message: Message, minimum: int = 1,
                 maximum: int | None = None, optional: bool = False) -> int | None:
    """A whole number from ``minimum`` to ``maximum`` (None: no upper bound); None is only
    allowed when ``optional``."""
    if value is None:
        if optional:
            return None
        raise FieldError(str(message), field)
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        raise FieldError(str(message), field)
    return number


@overload
def check_date(value: date | None, *, field: str, message: Message | None = None,
               missing: None = None, not_before: date | None = None,
               not_after: date | None = None) -> date | None: ...


@overload
def check_date(value: date | None, *, field: str, message: Message | None = None,
               missing: Message, not_before: date | None = None,
               not_after: date | None = None) -> date: ...


def check_date(value: date | None, *, field: str, message: Message | None = None,
               missing: Message | None = None, not_before: date | None = None,
               not_after: date | None = None) -> date | None:
    """A date from ``not_before`` to ``not_after`` (None: open on that side); empty only when
    ``missing`` (the message for an empty one) is None."""
    if value is None:
        if missing is not None:
            raise FieldError(str(missing), field)
        return None
    if ((not_before is not None and value < not_before)
            or (not_after is not None and value > not_after)):
        raise FieldError(str(message), field)
    return value


def check_choice(value: Any, choices: type[E], *, field: str, message: Message) -> E:
    """One member of the enum ``choices``, given as itself or as its value."""
    try:
        return choices(value)
    except ValueError:
        raise FieldError(str(message), field) from None


def check_rows(session: Session, ids: Iterable[Any], id_column: Any, *, field: str,
               message: Message) -> tuple[int, ...]:
    """Ids that each name a row of the table of ``id_column``, without repeats, in the order
    given."""
    chosen = tuple(dict.fromkeys(int(i) for i in ids or ()))
    if chosen:
        found = set(session.exec(select(id_column).where(col(id_column).in_(chosen))).all())
        if found != set(chosen):
            raise FieldError(str(message), field)
    return chosen


# --- particular values ------------------------------------------------------------------------

def check_kvk(text: str, *, field: str | None = None) -> str:
    """A chamber of commerce (KvK) number: exactly 8 digits; spaces and dots are forgiven."""
    digits = re.sub(r"[\s.]", "", text or "")
    if not _KVK.match(digits):
        raise FieldError(_("A KvK number has exactly 8 digits, e.g. 12345678."), field)
    return digits


def check_pc4(text: str, *, field: str | None = None) -> str:
    """The 4 digits of a Dutch postcode that exists."""
    pc4 = clean_pc4(text or "")
    if pc4 is None or pc4 not in postcodes():
        raise FieldError(_("Give the 4 digits of a Dutch postcode, e.g. 6901."), field)
    return pc4


def place_of(pc4: str) -> str:
    found = postcodes().get(pc4)
    return found.place if found else ""


def check_website(text: str, *, field: str | None = None) -> str:
    """An http(s) address, or empty; "www.example.nl" gets https:// in front."""
    text = (text or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        raise FieldError(_("Give a web address like https://www.example.nl, or leave it empty."),
                         field)
    return text


_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,17}[0-9]$")


def check_phone(text: str, *, field: str | None = None) -> str:
    """A telephone number as people write it (06-12345678, +31 316 123 456), or empty."""
    text = " ".join((text or "").split())
    if text and not _PHONE.match(text):
        raise FieldError(_("Give a telephone number like 06-12345678 or +31 316 123456, or "
                           "leave it empty."), field)
    return text


def check_levels(values: list[str], *, field: str | None = None) -> list[str]:
    """Level values (``Level``), at least one, without repeats, in ladder order."""
    try:
        levels = {Level(v) for v in values}
    except ValueError as error:
        raise FieldError(_("Choose levels from the list."), field) from error
    if not levels:
        raise FieldError(_("Choose at least one level."), field)
    return [level.value for level in Level if level in levels]


def check_kinds(values: list[str], *, field: str | None = None) -> list[str]:
    try:
        kinds = {PlacementKind(v) for v in values}
    except ValueError as error:
        raise FieldError(_("Choose kinds of placement from the list."), field) from error
    return [kind.value for kind in PlacementKind if kind in kinds]
