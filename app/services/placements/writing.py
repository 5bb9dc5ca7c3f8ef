"""Writing a placement: checking what the company entered, creating one as a draft and
changing what it offers (a published one must stay complete)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ...models import (
    Company,
    Level,
    Placement,
    PlacementKind,
    PlacementStatus,
    PlacementTheme,
    Theme,
    User,
    utcnow,
)
from ...models.labels import label
from ..matching import after_placement_change
from ..occupations import set_occupation
from ..rows import id_of
from ..validation import (
    LEVELS_FOR_KIND,
    FieldError,
    check_choice,
    check_date,
    check_levels,
    check_number,
    check_pc4,
    check_rows,
    check_text,
    place_of,
    reraise_as,
)
from .rules import (
    ALLOWANCE_MAX,
    CODE_MAX,
    DESCRIPTION_MAX,
    LEARN_AND_DO_MAX,
    MAX_DAYS_PER_WEEK,
    MAX_HOURS_PER_WEEK,
    TITLE_MAX,
    PlacementError,
    StatusError,
    hours_beyond_days,
    missing_details,
    record_event,
)

_GENERATED_CODE = re.compile(r"^P-(\d+)$")


@dataclass(frozen=True)
class _Cleaned:
    code: str | None
    title: str
    description: str
    learn_and_do: str
    kind: PlacementKind
    levels: list[str]
    theme_ids: tuple[int, ...]
    postcode: str
    place: str
    capacity: int
    starts_on: date | None
    ends_on: date | None
    days_per_week: int | None
    hours_per_week: int | None
    allowance: str
    application_deadline: date | None


def _clean(session: Session, *, code, title, description, learn_and_do, kind, levels,
           theme_ids, postcode, capacity, starts_on, ends_on, days_per_week, hours_per_week,
           allowance, application_deadline) -> _Cleaned:
    start = starts_on.isoformat() if starts_on is not None else ""
    with reraise_as(PlacementError):
        code = check_text(code, field="code", maximum=CODE_MAX,
                          too_long=_l("Keep the reference to %(n)s characters.", n=CODE_MAX))
        title = check_text(title, field="title", maximum=TITLE_MAX,
                           missing=_l("Give the placement a title."),
                           too_long=_l("Keep the title to %(n)s characters.", n=TITLE_MAX))
        description = check_text(
            description, field="description", maximum=DESCRIPTION_MAX,
            too_long=_l("Keep the description to %(n)s characters.", n=DESCRIPTION_MAX))
        learn_and_do = check_text(
            learn_and_do, field="learn_and_do", maximum=LEARN_AND_DO_MAX,
            too_long=_l("Keep what a student will learn and do to %(n)s characters.",
                        n=LEARN_AND_DO_MAX))
        kind = check_choice(kind, PlacementKind, field="kind",
                            message=_l("Choose the kind of placement."))
        levels = _levels_for(kind, list(levels or []))
        ids = check_rows(session, theme_ids, Theme.id, field="themes",
                         message=_l("Choose themes from the list."))
        postcode = check_pc4(postcode, field="postcode")
        capacity = check_number(capacity, field="capacity", message=_l("Offer at least 1 place."))
        check_date(ends_on, field="ends_on", not_before=starts_on,
                   message=_l("The end date cannot be before the start date."))
        days_per_week = check_number(
            days_per_week, field="days_per_week", optional=True, maximum=MAX_DAYS_PER_WEEK,
            message=_l("Give a number of days per week from 1 to %(n)s.", n=MAX_DAYS_PER_WEEK))
        hours_per_week = check_number(
            hours_per_week, field="hours_per_week", optional=True, maximum=MAX_HOURS_PER_WEEK,
            message=_l("Give a number of hours per week from 1 to %(n)s.",
                       n=MAX_HOURS_PER_WEEK))
        if (too_many := hours_beyond_days(hours_per_week, days_per_week)) is not None:
            raise FieldError(too_many, field="hours_per_week")
        allowance = check_text(
            allowance, field="allowance", maximum=ALLOWANCE_MAX,
            too_long=_l("Keep the allowance to %(n)s characters.", n=ALLOWANCE_MAX))
        check_date(application_deadline, field="application_deadline", not_after=starts_on,
                   message=_l("The application deadline cannot be after the start date "
                              "(%(start)s).", start=start))
    return _Cleaned(code or None, title, description, learn_and_do, kind, levels, ids,
                    postcode, place_of(postcode), capacity, starts_on, ends_on, days_per_week,
                    hours_per_week, allowance, application_deadline)


def _levels_for(kind: PlacementKind, levels: list[str]) -> list[str]:
    """The chosen levels in ladder order, each one a level the kind of placement is for; none
    chosen is allowed (any level)."""
    if not levels:
        return levels
    levels = check_levels(levels, field="levels")
    fits = LEVELS_FOR_KIND[kind]
    wrong = [level for level in levels if Level(level) not in fits]
    if wrong:
        raise FieldError(
            _("A placement of the kind “%(kind)s” is for students of %(fits)s. Remove: "
              "%(wrong)s, or choose another kind.", kind=label(kind),
              fits=", ".join(label(level) for level in Level if level in fits),
              wrong=", ".join(label(level) for level in wrong)), field="levels")
    return levels


def _code_taken(session: Session, company_id: int, code: str, placement_id: int | None) -> bool:
    found = session.exec(select(Placement.id).where(Placement.company_id == company_id,
                                                    Placement.code == code)).first()
    return found is not None and found != placement_id


def next_code(*, session: Session, company: Company) -> str:
    """The next free reference like P-0001 for this company."""
    codes = session.exec(select(Placement.code).where(Placement.company_id == company.id)).all()
    numbers = [int(m.group(1)) for code in codes if (m := _GENERATED_CODE.match(code))]
    return f"P-{max(numbers, default=0) + 1:04d}"


def _apply(placement: Placement, cleaned: _Cleaned) -> None:
    look_up_occupation = not placement.occupation_chosen and (
        placement.title != cleaned.title or not placement.occupation_code)
    for name in ("title", "description", "learn_and_do", "kind", "levels", "postcode", "place",
                 "capacity", "starts_on", "ends_on", "days_per_week", "hours_per_week",
                 "allowance", "application_deadline"):
        setattr(placement, name, getattr(cleaned, name))
    if look_up_occupation:
        set_occupation(placement)
    placement.levels = list(cleaned.levels)
    placement.updated_at = utcnow()


def _set_themes(session: Session, placement: Placement, theme_ids: tuple[int, ...]) -> None:
    session.exec(sa.delete(PlacementTheme).where(col(PlacementTheme.placement_id) == placement.id)
                 .execution_options(synchronize_session=False))
    for theme_id in theme_ids:
        session.add(PlacementTheme(placement_id=id_of(placement), theme_id=theme_id))


def create_placement(*, session: Session, company: Company, user: User | None,
                     title: str, kind, postcode: str, capacity: int = 1,
                     code: str | None = None, description: str = "", learn_and_do: str = "",
                     levels: Iterable[str] = (), theme_ids: Iterable[int] = (),
                     starts_on: date | None = None, ends_on: date | None = None,
                     days_per_week: int | None = None, hours_per_week: int | None = None,
                     allowance: str = "",
                     application_deadline: date | None = None) -> Placement:
    """A new placement of ``company``: always a draft, seen only by the company until
    published. Without a ``code`` the next free one (P-0001, ...) is given."""
    cleaned = _clean(session, code=code, title=title, description=description,
                     learn_and_do=learn_and_do, kind=kind, levels=levels, theme_ids=theme_ids,
                     postcode=postcode, capacity=capacity, starts_on=starts_on,
                     ends_on=ends_on, days_per_week=days_per_week,
                     hours_per_week=hours_per_week, allowance=allowance,
                     application_deadline=application_deadline)
    if cleaned.code is not None and _code_taken(session, id_of(company), cleaned.code, None):
        raise PlacementError(_("%(company)s already has a placement with reference %(code)s. "
                               "Choose another, or leave it empty for a new one.",
                               company=company.name, code=cleaned.code), field="code")
    for _attempt in range(3):
        placement = Placement(company_id=id_of(company),
                              code=cleaned.code or next_code(session=session, company=company),
                              title=cleaned.title, kind=cleaned.kind,
                              postcode=cleaned.postcode, status=PlacementStatus.draft)
        _apply(placement, cleaned)
        session.add(placement)
        try:
            session.flush()
            _set_themes(session, placement, cleaned.theme_ids)
            record_event(session, placement, user=user, action="created", from_status=None,
                         to_status=PlacementStatus.draft)
            session.commit()
        except IntegrityError:
            # Someone else took the same reference at the same moment.
            session.rollback()
            if cleaned.code is not None:
                raise PlacementError(_("%(company)s already has a placement with reference "
                                       "%(code)s. Choose another, or leave it empty for a "
                                       "new one.", company=company.name, code=cleaned.code),
                                     field="code") from None
            continue
        return placement
    raise PlacementError(_("The placement could not be saved. Try again."))  # pragma: no cover


def update_placement(*, session: Session, placement: Placement, title: str, kind,
                     postcode: str, capacity: int, code: str | None = None,
                     description: str = "", learn_and_do: str = "",
                     levels: Iterable[str] = (), theme_ids: Iterable[int] = (),
                     starts_on: date | None = None, ends_on: date | None = None,
                     days_per_week: int | None = None, hours_per_week: int | None = None,
                     allowance: str = "",
                     application_deadline: date | None = None) -> Placement:
    """Change what a placement offers. A published placement must stay complete, and the
    capacity never drops below the places reserved for candidates."""
    cleaned = _clean(session, code=code, title=title, description=description,
                     learn_and_do=learn_and_do, kind=kind, levels=levels, theme_ids=theme_ids,
                     postcode=postcode, capacity=capacity, starts_on=starts_on,
                     ends_on=ends_on, days_per_week=days_per_week,
                     hours_per_week=hours_per_week, allowance=allowance,
                     application_deadline=application_deadline)
    if placement.status is PlacementStatus.closed:
        raise StatusError(_("This placement is closed and cannot be changed any more. Post a "
                            "new placement instead."))
    new_code = cleaned.code or placement.code
    if new_code != placement.code and _code_taken(session, placement.company_id, new_code,
                                                  placement.id):
        raise PlacementError(_("This company already has a placement with reference %(code)s. "
                               "Choose another.", code=new_code), field="code")
    session.refresh(placement, ["places_taken", "status"])
    _check_capacity(placement, cleaned.capacity)
    if placement.status in (PlacementStatus.open, PlacementStatus.paused):
        missing = missing_details(cleaned)
        if missing:
            raise PlacementError(
                _("A published placement must stay complete. Fill in: %(missing)s.",
                  missing="; ".join(missing)))
    _apply(placement, cleaned)
    placement.code = new_code
    session.add(placement)
    try:
        _set_themes(session, placement, cleaned.theme_ids)
        session.commit()
    except IntegrityError:
        # A place was reserved (or the reference taken) at the same moment.
        session.rollback()
        session.refresh(placement)
        _check_capacity(placement, cleaned.capacity)
        raise PlacementError(_("This company already has a placement with reference %(code)s. "
                               "Choose another.", code=new_code), field="code") from None
    after_placement_change(session=session, placement_id=id_of(placement))
    return placement


def _check_capacity(placement: Placement, capacity: int) -> None:
    if capacity < placement.places_taken:
        raise PlacementError(ngettext(
            "%(num)s place is reserved for a candidate (offered or accepted): the number of "
            "places cannot be lower than that.",
            "%(num)s places are reserved for candidates (offered or accepted): the number of "
            "places cannot be lower than that.", placement.places_taken), field="capacity")
