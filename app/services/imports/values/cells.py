"""Cells of any kind: the error a cell raises, how a cell is shown in a message, and text,
whole numbers, dates, postcodes, genders, e-mail addresses, lists and yes or no."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from sqlmodel import SQLModel

from matching.geo import clean_pc4
from matching.text import strip_accents

from ....models import Gender
from ...errors import ServiceError
from ...validation import FieldError, check_pc4, column_length, place_of


class Invalid(ServiceError):
    """A cell that cannot be used; ``message`` says what to write instead.

    ``column`` names another column of the row when that one is at fault.
    """

    def __init__(self, message: str, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.column = column


def shown(text: str, limit: int = 40) -> str:
    """A cell's text for a message: one line, not too long."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compact(text: str) -> str:
    """Lower case, no accents, only letters and digits: 'Week van de Techniek' -> ..."""
    return re.sub(r"[^0-9a-z]+", "", strip_accents(text).lower())


def words_of(text: str) -> list[str]:
    """'MBO-3 (BBL)' -> ['mbo', '3', 'bbl']; 'mbo4' -> ['mbo', '4']."""
    text = strip_accents(text).lower()
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)
    return re.findall(r"[0-9a-z]+", text)


def max_length(model: type[SQLModel], field: str) -> int:
    return column_length(model, field)


# --- text and numbers ----------------------------------------------------------------------


def text_value(text: str, *, limit: int, single_line: bool = True) -> str:
    value = " ".join(text.split()) if single_line else text.strip()
    if len(value) > limit:
        raise Invalid(_("This text has %(length)s characters; at most %(limit)s fit. "
                        "Shorten it.", length=len(value), limit=limit))
    return value


def whole_number(text: str, *, low: int, high: int | None = None, unit: str = "") -> int:
    value = text.strip()
    if unit and value.lower().endswith(unit):
        value = value[: -len(unit)].strip()
    if re.fullmatch(r"\d+[.,]0+", value):  # "12,0" from a spreadsheet's number format
        value = re.split(r"[.,]", value)[0]
    if not re.fullmatch(r"[+-]?\d+", value):
        if high is None:
            raise Invalid(_("'%(value)s' is not a whole number. Write a whole number of "
                            "%(low)s or more.", value=shown(text), low=low))
        raise Invalid(_("'%(value)s' is not a whole number. Write a whole number from "
                        "%(low)s to %(high)s.", value=shown(text), low=low, high=high))
    number = int(value)
    if number < low or (high is not None and number > high):
        if high is None:
            raise Invalid(_("%(value)s is too small. Write a whole number of %(low)s or more.",
                            value=number, low=low))
        raise Invalid(_("%(value)s is not between %(low)s and %(high)s. Write a whole number "
                        "from %(low)s to %(high)s.", value=number, low=low, high=high))
    return number


# --- dates ---------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_DUTCH = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
FIRST_YEAR, LAST_YEAR = 2000, 2099


def parse_date(text: str) -> date:
    """2025-10-07, 7-10-2025, 07/10/2025 or 7.10.2025 (day before month, as in Dutch)."""
    value = text.strip()
    if match := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DUTCH.fullmatch(value):
        day, _sep, month, year = match.groups()
        year, month, day = int(year), int(month), int(day)
    else:
        raise Invalid(_("'%(value)s' is not a date. Write it as 2025-10-07 or 7-10-2025 "
                        "(day, month, year).", value=shown(text)))
    try:
        result = date(year, month, day)
    except ValueError:
        raise Invalid(_("'%(value)s' is not a date that exists: check the day and the month.",
                        value=shown(text))) from None
    if not FIRST_YEAR <= result.year <= LAST_YEAR:
        raise Invalid(_("The year of '%(value)s' looks wrong. Write a date from %(first)s to "
                        "%(last)s.", value=shown(text), first=FIRST_YEAR, last=LAST_YEAR))
    return result


# --- postcodes -----------------------------------------------------------------------------


def parse_postcode(text: str) -> tuple[str, str]:
    """The PC4 and its place; it must be a Dutch postcode that exists."""
    pc4 = clean_pc4(text)
    if pc4 is None:
        raise Invalid(_("'%(value)s' is not a postcode. Write the 4 digits of a Dutch "
                        "postcode, e.g. 6901.", value=shown(text)))
    try:
        check_pc4(pc4)
    except FieldError:
        raise Invalid(_("Postcode %(value)s does not exist. Check it: the 4 digits of a "
                        "Dutch postcode, e.g. 6901.", value=pc4)) from None
    return pc4, place_of(pc4)


# --- people --------------------------------------------------------------------------------

_GENDERS = {
    Gender.girl: ("meisje", "girl", "v", "f", "vrouw", "vrouwelijk", "female", "woman", "meid"),
    Gender.boy: ("jongen", "boy", "m", "man", "mannelijk", "male"),
    Gender.other: ("anders", "other", "x", "divers", "nonbinair", "nonbinary"),
    Gender.not_given: ("", "onbekend", "notgiven", "unknown", "zegiklieverniet",
                       "wilniknietzeggen", "prefernottosay", "geen", "none"),
}
_GENDER = {alias: gender for gender, aliases in _GENDERS.items() for alias in aliases}


def parse_gender(text: str) -> Gender:
    gender = _GENDER.get(compact(text))
    if gender is None:
        raise Invalid(_("'%(value)s' is not a gender we know. Write meisje, jongen or anders "
                        "(girl, boy or other), or leave it empty.", value=shown(text)))
    return gender


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_email(text: str, *, limit: int) -> str:
    value = text.strip().lower()
    if not _EMAIL.fullmatch(value) or len(value) > limit:
        raise Invalid(_("'%(value)s' is not an e-mail address.", value=shown(text)))
    return value


# --- lists ---------------------------------------------------------------------------------

# Between the items of a list cell (themes, levels, kinds): ";" or "|", also "," and a line
# break. In a file separated by semicolons a cell with ";" in it must be quoted (spreadsheets
# do that themselves); typed by hand, "|" is the separator that always works.
LIST_SEPARATORS = re.compile(r"[;|,\n]")


def list_items(text: str) -> list[str]:
    """The non-empty items of a list cell, each on one line."""
    return [item for part in LIST_SEPARATORS.split(text) if (item := " ".join(part.split()))]


# --- yes and no ----------------------------------------------------------------------------

_YES = {"ja", "j", "yes", "y", "1", "waar", "true", "x", "wel"}
_NO = {"nee", "n", "no", "0", "onwaar", "false", "niet", "geen"}


def parse_yes_no(text: str) -> bool:
    value = compact(text)
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise Invalid(_("'%(value)s' is not yes or no. Write ja or nee (yes or no, 1 or 0).",
                    value=shown(text)))
