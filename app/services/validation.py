"""Rules for single values that forms, services and imports all check the same way.

Each ``check_*`` returns the cleaned value or raises :class:`FieldError` with a message
that says what to fix (translated when there is a request or app context).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import gettext as _

from matching.geo import clean_pc4, postcodes

from ..models import Level, PlacementKind
from .errors import ServiceError

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


def check_kvk(text: str) -> str:
    """A chamber of commerce (KvK) number: exactly 8 digits; spaces and dots are forgiven."""
    digits = re.sub(r"[\s.]", "", text or "")
    if not _KVK.match(digits):
        raise FieldError(_("A KvK number has exactly 8 digits, e.g. 12345678."))
    return digits


def check_pc4(text: str) -> str:
    """The 4 digits of a Dutch postcode that exists."""
    pc4 = clean_pc4(text or "")
    if pc4 is None or pc4 not in postcodes():
        raise FieldError(_("Give the 4 digits of a Dutch postcode, e.g. 6901."))
    return pc4


def place_of(pc4: str) -> str:
    found = postcodes().get(pc4)
    return found.place if found else ""


def check_website(text: str) -> str:
    """An http(s) address, or empty; "www.example.nl" gets https:// in front."""
    text = (text or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        raise FieldError(_("Give a web address like https://www.example.nl, or leave it empty."))
    return text


def check_levels(values: list[str]) -> list[str]:
    """Level values (``Level``), at least one, without repeats, in ladder order."""
    try:
        levels = {Level(v) for v in values}
    except ValueError as error:
        raise FieldError(_("Choose levels from the list.")) from error
    if not levels:
        raise FieldError(_("Choose at least one level."))
    return [level.value for level in Level if level in levels]


def check_kinds(values: list[str]) -> list[str]:
    try:
        kinds = {PlacementKind(v) for v in values}
    except ValueError as error:
        raise FieldError(_("Choose kinds of placement from the list.")) from error
    return [kind.value for kind in PlacementKind if kind in kinds]
