"""Reading values from the address bar (query string), refusing what cannot be used.

Every view reads its query parameters through these helpers, so odd input (a NUL byte, a
number beyond an INTEGER column, an unknown word where a status is expected) gets the
same answer everywhere instead of reaching the database and ending in a 500:

- a whole number that is not a number is ignored (as Flask's ``type=int`` does); one
  beyond the 32-bit range of the id columns cannot name anything, so the page is not found;
- an unknown value of an enum is a 400 whose page says which filter to fix;
- control characters are dropped from free text.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import TypeVar

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from app.web.ui.fields import INT_MAX, INT_MIN

E = TypeVar("E", bound=Enum)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in a route: a number beyond an INTEGER column names nothing, so the route
    does not match (404) instead of the database refusing the number (a 500 on PostgreSQL)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=INT_MAX if max is None else max, signed=signed)


class BadQuery(BadRequest):
    """A 400 whose error page shows ``user_message`` (see app/web/errors.py)."""

    def __init__(self, user_message: str) -> None:
        super().__init__()
        self.user_message = user_message


def _source(args: MultiDict | None) -> MultiDict:
    return request.args if args is None else args


def to_int(text: str | None) -> int | None:
    """``text`` as a whole number in the range of an INTEGER column, else None."""
    try:
        value = int(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return value if INT_MIN <= value <= INT_MAX else None


def int_arg(name: str, default: int | None = None, *,
            args: MultiDict | None = None) -> int | None:
    """A whole-number parameter; not a number: ``default``; beyond the column: 404."""
    raw = _source(args).get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    if not INT_MIN <= value <= INT_MAX:
        abort(404)  # no row has such an id, and no page has such a number
    return value


def enum_arg(name: str, enum_cls: type[E], default: E | None = None, *,
             args: MultiDict | None = None) -> E | None:
    """An enum parameter by value; absent or empty: ``default``; unknown: a 400 that says so."""
    raw = _source(args).get(name, "")
    if raw == "":
        return default
    try:
        return enum_cls(raw)
    except ValueError:
        raise BadQuery(_("The address asks for an unknown “%(name)s”. Choose one from the "
                         "list on the page.", name=name)) from None


def text_arg(name: str, default: str = "", *, max_length: int | None = None,
             args: MultiDict | None = None) -> str:
    """Free text without control characters, stripped, at most ``max_length`` characters."""
    text = _CONTROL.sub("", _source(args).get(name, default)).strip()
    return text[:max_length] if max_length is not None else text
