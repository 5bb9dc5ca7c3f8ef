"""Reference data a region starts from: the regions and their schools.

The rules for each value (a region's name, slug and answer time; a school's BRIN code, kind,
levels, postcode and place) are checked here once, for the command line, the imports and the
administration pages alike. Every error is a :class:`ReferenceDataError` whose message says
what to fix; ``field`` names the value it is about.

``create_*`` and ``update_*`` validate, write and commit. The imports check rows with the
same rules (``clean_*`` and :func:`parse_school_kind`) and write a whole file at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matching.text import strip_accents

from ..models import Level, Region, School, SchoolKind
from ..models.organisations import LEVELS_OF_KIND, levels_of_kind
from .errors import ServiceError
from .regions import MAX_ANSWER_DAYS
from .validation import (
    FieldError,
    check_levels,
    check_number,
    check_pc4,
    check_text,
    column_length,
    place_of,
    reraise_as,
)

REGION_NAME_MAX = column_length(Region, "name")
SLUG_MAX = column_length(Region, "slug")
SCHOOL_NAME_MAX = column_length(School, "name")
PLACE_MAX = column_length(School, "place")
DEFAULT_ANSWER_DAYS = 10
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A BRIN code: 2 digits and 2 letters, and for one of the school's branches 2 digits more.
_BRIN = re.compile(r"\d{2}[A-Z]{2}(?:\d{2})?")


class ReferenceDataError(ServiceError):
    """A region or school that cannot be saved as given; the message says what to fix."""


class RegionDataError(ReferenceDataError):
    """A region's name, slug or answer time that cannot be used."""


class SchoolDataError(ReferenceDataError):
    """A school's code, kind, levels, postcode or place that cannot be used."""


# --- regions -------------------------------------------------------------------------------


def slug_for(name: str) -> str:
    """'Noord-Holland Noord' -> 'noord-holland-noord', "Land van Cuijk" -> ..."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:SLUG_MAX].strip("-")


def clean_region_name(text: str | None) -> str:
    with reraise_as(RegionDataError):
        return check_text(" ".join((text or "").split()), field="name",
                          maximum=REGION_NAME_MAX,
                          too_long=_l("Keep the name of the region to %(n)s characters.",
                                      n=REGION_NAME_MAX),
                          missing=_l("Give the name of the region, e.g. Liemers."))


def clean_slug(text: str | None) -> str:
    """A slug as people type it: lower case, letters, digits and dashes."""
    slug = (text or "").strip().lower()
    if not _SLUG.fullmatch(slug) or len(slug) > SLUG_MAX:
        raise RegionDataError(_(
            "'%(value)s' is not a slug. Write the short name of the region in lower-case "
            "letters and digits, with dashes between words (e.g. noord-holland-noord), at "
            "most %(n)s characters.", value=slug[:40], n=SLUG_MAX), field="slug")
    return slug


def clean_answer_days(value: int | None, field: str = "answer_days") -> int:
    with reraise_as(RegionDataError):
        return check_number(value, field=field, minimum=1, maximum=MAX_ANSWER_DAYS,
                            message=_l("Give a number of working days from 1 to %(n)s.",
                                       n=MAX_ANSWER_DAYS))


def all_regions(session: Session) -> list[Region]:
    """Every region, by name (a handful)."""
    return list(session.exec(select(Region).order_by(Region.name)).all())


def find_region(session: Session, text: str) -> Region | None:
    """The region ``text`` names by its slug or its name (case and accents do not matter)."""
    wanted = _compact(text)
    if not wanted:
        return None
    for region in all_regions(session):
        if wanted in (_compact(region.slug), _compact(region.name)):
            return region
    return None


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", strip_accents(text or "").lower())


def _region_clash(session: Session, *, name: str, slug: str, region_id: int | None) -> None:
    """Raise when another region has this name or this slug."""
    for other in all_regions(session):
        if other.id == region_id:
            continue
        if _compact(other.name) == _compact(name):
            raise RegionDataError(_(
                "There is already a region named %(name)s. Choose another name, or change "
                "that region.", name=other.name), field="name")
        if other.slug == slug:
            raise RegionDataError(_(
                "The slug %(slug)s is taken by the region %(name)s. Choose another slug.",
                slug=slug, name=other.name), field="slug")


def create_region(*, session: Session, name: str, slug: str | None = None,
                  answer_days: int | None = None,
                  student_answer_days: int | None = None) -> Region:
    """A new region; without a slug it gets one made from its name."""
    name = clean_region_name(name)
    slug = clean_slug(slug) if slug else _derived_slug(name)
    days = clean_answer_days(DEFAULT_ANSWER_DAYS if answer_days is None else answer_days)
    student_days = clean_answer_days(
        DEFAULT_ANSWER_DAYS if student_answer_days is None else student_answer_days,
        field="student_answer_days")
    _region_clash(session, name=name, slug=slug, region_id=None)
    return _commit_region(session, Region(name=name, slug=slug, answer_days=days,
                                          student_answer_days=student_days))


def update_region(*, session: Session, region: Region, name: str | None = None,
                  slug: str | None = None, answer_days: int | None = None,
                  student_answer_days: int | None = None) -> Region:
    """Change what is given; None keeps the value."""
    new_name = clean_region_name(name) if name is not None else region.name
    new_slug = clean_slug(slug) if slug is not None else region.slug
    _region_clash(session, name=new_name, slug=new_slug, region_id=region.id)
    region.name, region.slug = new_name, new_slug
    if answer_days is not None:
        region.answer_days = clean_answer_days(answer_days)
    if student_answer_days is not None:
        region.student_answer_days = clean_answer_days(student_answer_days,
                                                       field="student_answer_days")
    return _commit_region(session, region)


def _derived_slug(name: str) -> str:
    slug = slug_for(name)
    if not slug:
        raise RegionDataError(_(
            "No slug can be made from the name %(name)s: give a slug of letters and digits.",
            name=name), field="slug")
    return slug


def _commit_region(session: Session, region: Region) -> Region:
    session.add(region)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # another request saved the same name or slug in the meantime
        raise RegionDataError(_(
            "A region with the name %(name)s or the slug %(slug)s was just saved by someone "
            "else. Choose another.", name=region.name, slug=region.slug),
            field="name") from None
    session.refresh(region)
    return region


# --- schools -------------------------------------------------------------------------------

# The words people use for each kind of school; a word that names one level of the kind
# (havo, vwo, mavo) gives that level when the school's levels are not given.
_KIND_WORDS: dict[str, tuple[SchoolKind, tuple[Level, ...] | None]] = {
    word: (kind, levels) for kind, levels, words in (
        (SchoolKind.primary, None, ("primary", "primary school", "basisschool",
                                    "basisonderwijs", "po", "primair onderwijs", "bao")),
        (SchoolKind.vmbo, None, ("vmbo", "vakcollege")),
        (SchoolKind.vmbo, (Level.vmbo_tl,), ("mavo",)),
        (SchoolKind.havo_vwo, None, ("havo_vwo", "havo/vwo", "havo vwo", "lyceum",
                                     "scholengemeenschap havo vwo")),
        (SchoolKind.havo_vwo, (Level.havo,), ("havo",)),
        (SchoolKind.havo_vwo, (Level.vwo,), ("vwo", "atheneum", "gymnasium")),
        (SchoolKind.mbo, None, ("mbo", "roc", "mbo college", "regionaal opleidingencentrum")),
        (SchoolKind.hbo, None, ("hbo", "hogeschool", "university of applied sciences")),
    ) for word in words
}
_KIND_BY_COMPACT = {_compact(word): found for word, found in _KIND_WORDS.items()}
KIND_CHOICES = "basisschool, vmbo, havo, vwo, havo/vwo, mbo, hbo"
# How a kind is written back in a message: as people write it in the kind column.
KIND_WORD = {SchoolKind.primary: "basisschool", SchoolKind.vmbo: "vmbo",
             SchoolKind.havo_vwo: "havo/vwo", SchoolKind.mbo: "mbo", SchoolKind.hbo: "hbo"}
# Which levels a kind of school may teach: a secondary school may combine vmbo, havo and
# vwo (a scholengemeenschap); the others teach their own levels only.
_SECONDARY = frozenset(LEVELS_OF_KIND[SchoolKind.vmbo] + LEVELS_OF_KIND[SchoolKind.havo_vwo])
ALLOWED_LEVELS: dict[SchoolKind, frozenset[Level]] = {
    SchoolKind.primary: frozenset(LEVELS_OF_KIND[SchoolKind.primary]),
    SchoolKind.vmbo: _SECONDARY,
    SchoolKind.havo_vwo: _SECONDARY,
    SchoolKind.mbo: frozenset(LEVELS_OF_KIND[SchoolKind.mbo]),
    SchoolKind.hbo: frozenset(LEVELS_OF_KIND[SchoolKind.hbo]),
}


@dataclass(frozen=True)
class KindRead:
    kind: SchoolKind
    levels: list[str] | None  # the levels the word itself names (havo), else None


def level_text(value: str) -> str:
    """A level as people write it: vmbo_kb -> vmbo-kb."""
    return value.replace("_", "-")


def parse_school_kind(text: str | SchoolKind) -> KindRead:
    if isinstance(text, SchoolKind):
        return KindRead(text, None)
    found = _KIND_BY_COMPACT.get(_compact(text))
    if found is None:
        raise SchoolDataError(_("'%(value)s' is not a kind of school. Write one of: "
                                "%(choices)s.", value=" ".join(text.split())[:40],
                                choices=KIND_CHOICES), field="kind")
    kind, levels = found
    return KindRead(kind, [lv.value for lv in levels] if levels else None)


def clean_brin(text: str | None) -> str:
    """The BRIN code in capitals; spaces and a dash are forgiven."""
    code = re.sub(r"[\s.-]", "", text or "").upper()
    if not _BRIN.fullmatch(code):
        raise SchoolDataError(_(
            "'%(value)s' is not a BRIN code. Write the school's BRIN code: 2 digits and 2 "
            "letters (e.g. 85NR), for a branch followed by its 2 digits (85NR01).",
            value=(text or "").strip()[:40]), field="code")
    return code


def clean_school_name(text: str | None) -> str:
    with reraise_as(SchoolDataError):
        return check_text(" ".join((text or "").split()), field="name",
                          maximum=SCHOOL_NAME_MAX,
                          too_long=_l("Keep the name of the school to %(n)s characters.",
                                      n=SCHOOL_NAME_MAX),
                          missing=_l("Give the name of the school."))


def clean_place(text: str | None, pc4: str) -> str:
    """The place as given, or the place of the postcode when none is given."""
    with reraise_as(SchoolDataError):
        place = check_text(" ".join((text or "").split()), field="place", maximum=PLACE_MAX,
                           too_long=_l("Keep the place to %(n)s characters.", n=PLACE_MAX))
    return place or place_of(pc4)


def clean_postcode(text: str | None) -> str:
    with reraise_as(SchoolDataError):
        return check_pc4(text or "", field="postcode")


def clean_school_levels(kind: SchoolKind, levels: Iterable[str] | None) -> list[str]:
    """The levels in ladder order, each once, that a school of ``kind`` can teach; none
    given: every level of the kind."""
    given = list(levels or [])
    if not given:
        return levels_of_kind(kind)
    try:
        values = check_levels(given, field="levels")
    except FieldError as error:
        raise SchoolDataError(str(error), field="levels") from None
    wrong = [v for v in values if Level(v) not in ALLOWED_LEVELS[kind]]
    if wrong:
        allowed = [lv.value for lv in Level if lv in ALLOWED_LEVELS[kind]]
        raise SchoolDataError(_(
            "A school of kind %(kind)s does not teach %(levels)s. Choose from: %(allowed)s, "
            "or change the kind.", kind=KIND_WORD[kind],
            levels=", ".join(level_text(v) for v in wrong),
            allowed=", ".join(level_text(v) for v in allowed)), field="levels")
    return values


def _code_of_no_other(session: Session, code: str, school_id: int | None) -> str:
    other = session.exec(select(School).where(School.code == code)).first()
    if other is not None and other.id != school_id:
        raise SchoolDataError(_(
            "The BRIN code %(code)s is already used by %(school)s. Check the code; if it is "
            "the same school, change that one instead.", code=code, school=other.name),
            field="code")
    return code


def create_school(*, session: Session, code: str, name: str, kind: str | SchoolKind,
                  postcode: str, region: Region, levels: Iterable[str] | None = None,
                  place: str | None = None) -> School:
    """A new school of ``region``; without levels it teaches every level of its kind (or
    the one level its kind names, as havo)."""
    code = _code_of_no_other(session, clean_brin(code), None)
    name = clean_school_name(name)
    read = parse_school_kind(kind)
    pc4 = clean_postcode(postcode)
    school = School(code=code, name=name, kind=read.kind, postcode=pc4,
                    place=clean_place(place, pc4), region_id=_region_id(region),
                    levels=clean_school_levels(read.kind, levels or read.levels))
    return _commit_school(session, school)


def update_school(*, session: Session, school: School, code: str | None = None,
                  name: str | None = None, kind: str | SchoolKind | None = None,
                  postcode: str | None = None, place: str | None = None,
                  levels: Iterable[str] | None = None, region: Region | None = None) -> School:
    """Change what is given; None keeps the value. A new postcode without a place gives the
    place of that postcode; a new kind without levels, the levels of that kind."""
    if code is not None:
        school.code = _code_of_no_other(session, clean_brin(code), school.id)
    if name is not None:
        school.name = clean_school_name(name)
    read = parse_school_kind(kind) if kind is not None else KindRead(school.kind, None)
    given = list(levels) if levels is not None else None
    if given is None and read.kind is not school.kind:
        given = read.levels or levels_of_kind(read.kind)
    school.levels = clean_school_levels(read.kind, given if given is not None
                                        else school.levels)
    school.kind = read.kind
    if postcode is not None:
        school.postcode = clean_postcode(postcode)
        school.place = clean_place(place, school.postcode)
    elif place is not None:
        school.place = clean_place(place, school.postcode)
    if region is not None:
        school.region_id = _region_id(region)
    return _commit_school(session, school)


def _region_id(region: Region) -> int:
    if region.id is None:
        raise SchoolDataError(_("Save the region before adding schools to it."),
                              field="region")
    return region.id


def _commit_school(session: Session, school: School) -> School:
    session.add(school)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # another request saved the same code in the meantime
        raise SchoolDataError(_(
            "The BRIN code %(code)s was just saved for another school. Check the code.",
            code=school.code), field="code") from None
    session.refresh(school)
    return school
