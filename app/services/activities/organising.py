"""Creating and editing activities: checking what the organiser entered, where a new one
belongs, and whether one that took place may move."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlmodel import Session, col, select

from matching.geo import clean_pc4, postcodes

from ...models import (
    Activity,
    ActivityKind,
    ActivityTheme,
    Attendance,
    Company,
    Participation,
    Pillar,
    Region,
    Role,
    School,
    TalentObservation,
    Theme,
    User,
    school_year_of,
)
from ...models.base import local_today
from ..rows import id_of
from ..validation import (
    FieldError,
    check_choice,
    check_date,
    check_number,
    check_rows,
    check_text,
    reraise_as,
)
from .registration import participant_count
from .rules import DESCRIPTION_MAX, SUGGESTED_PILLAR, TITLE_MAX, ActivityError


@dataclass(frozen=True)
class _Cleaned:
    kind: ActivityKind
    pillar: Pillar
    title: str
    description: str
    starts_on: date
    ends_on: date | None
    postcode: str
    place: str
    host_company_id: int | None
    theme_ids: tuple[int, ...]
    capacity: int | None


def _clean(session: Session, *, region_id: int, kind, pillar, title: str, description: str,
           starts_on: date | None, ends_on: date | None, postcode: str,
           host_company_id: int | None, theme_ids: Iterable[int],
           capacity: int | None) -> _Cleaned:
    with reraise_as(ActivityError):
        kind = check_choice(kind, ActivityKind, field="kind",
                            message=_l("Choose the kind of activity."))
        pillar = _pillar(kind, pillar)
        title = check_text(title, field="title", maximum=TITLE_MAX,
                           missing=_l("Give the activity a title."),
                           too_long=_l("Keep the title to %(n)s characters.", n=TITLE_MAX))
        description = check_text(
            description, field="description", maximum=DESCRIPTION_MAX,
            too_long=_l("Keep the description to %(n)s characters.", n=DESCRIPTION_MAX))
        starts_on = check_date(starts_on, field="starts_on",
                               missing=_l("Give the date of the activity."))
        ends_on = check_date(ends_on, field="ends_on", not_before=starts_on,
                             message=_l("The end date cannot be before the start date."))
        pc4, place = _postcode(postcode)
        _check_host(session, host_company_id, region_id)
        ids = check_rows(session, theme_ids, Theme.id, field="themes",
                         message=_l("Choose themes from the list."))
        capacity = check_number(
            capacity, field="capacity", optional=True,
            message=_l("The capacity must be at least 1, or empty for no limit."))
    return _Cleaned(kind, pillar, title, description, starts_on,
                    None if ends_on == starts_on else ends_on, pc4, place, host_company_id,
                    ids, capacity)


def _pillar(kind: ActivityKind, pillar) -> Pillar:
    """The pillar chosen, or the one the kind suggests when none is."""
    if pillar in (None, ""):
        pillar = SUGGESTED_PILLAR.get(kind)
        if pillar is None:
            raise FieldError(_("Choose a pillar: this kind of activity has no usual one."),
                             field="pillar")
    return check_choice(pillar, Pillar, field="pillar", message=_l("Choose a pillar."))


def _postcode(postcode: str) -> tuple[str, str]:
    """The 4 digits of a known postcode and its place."""
    pc4 = clean_pc4(postcode or "")
    if pc4 is None:
        raise FieldError(_("Enter the 4 digits of a Dutch postcode, e.g. 6901."),
                         field="postcode")
    known = postcodes().get(pc4)
    if known is None:
        raise FieldError(_("%(pc)s is not a known Dutch postcode. Check the digits.", pc=pc4),
                         field="postcode")
    return pc4, known.place


def _check_host(session: Session, host_company_id: int | None, region_id: int) -> None:
    """A host company, if any, is one of the activity's region."""
    if host_company_id is None:
        return
    company = session.get(Company, host_company_id)
    if company is None:
        raise FieldError(_("That host company does not exist."), field="host_company_id")
    if company.region_id != region_id:
        raise FieldError(
            _("%(company)s is in another region. Choose a host company from the region "
              "of the activity.", company=company.name), field="host_company_id")


def _region_and_school(session: Session, user: User,
                       region_id: int | None) -> tuple[int, int | None]:
    """Where a new activity belongs: the organiser's school and region, or (admin) a choice."""
    if user.role is Role.counsellor:
        school = session.get(School, user.school_id) if user.school_id else None
        if school is None:
            raise ActivityError(_("Your account is not linked to a school yet. "
                                  "Ask the administrator."))
        return school.region_id, school.id
    if user.role is Role.coordinator:
        if user.region_id is None:
            raise ActivityError(_("Your account is not linked to a region yet. "
                                  "Ask the administrator."))
        return user.region_id, None
    if user.role is Role.admin:
        if region_id is None or session.get(Region, region_id) is None:
            raise ActivityError(_("Choose the region of the activity."), field="region_id")
        return region_id, None
    raise ActivityError(_("Only counsellors, coordinators and administrators organise "
                          "activities."))


def _set_themes(session: Session, activity_id: int, theme_ids: Sequence[int]) -> None:
    session.exec(sa.delete(ActivityTheme).where(col(ActivityTheme.activity_id) == activity_id))
    for theme_id in theme_ids:
        session.add(ActivityTheme(activity_id=activity_id, theme_id=theme_id))


def _new_code(starts_on: date) -> str:
    return f"ACT-{starts_on.year}-{secrets.token_hex(4).upper()}"


def create_activity(*, session: Session, user: User, kind: ActivityKind | str,
                    title: str, starts_on: date | None, postcode: str,
                    pillar: Pillar | str | None = None, description: str = "",
                    ends_on: date | None = None, host_company_id: int | None = None,
                    theme_ids: Iterable[int] = (), capacity: int | None = None,
                    region_id: int | None = None) -> Activity:
    """A new activity in the organiser's region (``region_id`` only counts for an admin).

    ``pillar`` None takes the pillar suggested by the kind.
    """
    region_id, school_id = _region_and_school(session, user, region_id)
    clean = _clean(session, region_id=region_id, kind=kind, pillar=pillar, title=title,
                   description=description, starts_on=starts_on, ends_on=ends_on,
                   postcode=postcode, host_company_id=host_company_id, theme_ids=theme_ids,
                   capacity=capacity)
    activity = Activity(
        code=_new_code(clean.starts_on), kind=clean.kind, pillar=clean.pillar,
        title=clean.title, description=clean.description, starts_on=clean.starts_on,
        ends_on=clean.ends_on, school_year=school_year_of(clean.starts_on),
        postcode=clean.postcode, place=clean.place, region_id=region_id, school_id=school_id,
        host_company_id=clean.host_company_id, capacity=clean.capacity,
        created_by_id=user.id)
    session.add(activity)
    session.flush()
    _set_themes(session, id_of(activity), clean.theme_ids)
    session.commit()
    return activity


def moves_refused(*, session: Session, moves: Mapping[int, date],
                  today: date | None = None) -> dict[int, ActivityError]:
    """Why activities cannot start on the days asked (activity id: new first day), by id.

    One that anything says took place (attendance marked, or an observation recorded there)
    cannot move to a day after today. Editing asks for one activity, an import for many at
    once: only those moving ahead are looked up.
    """
    today = today or local_today()
    ahead = [activity_id for activity_id, day in moves.items() if day > today]
    if not ahead:
        return {}
    marked = session.exec(select(Participation.activity_id).where(
        col(Participation.activity_id).in_(ahead),
        Participation.attendance != Attendance.registered)).all()
    observed = session.exec(select(TalentObservation.activity_id).where(
        col(TalentObservation.activity_id).in_(ahead))).all()
    return {activity_id: ActivityError(
        _("Attendance or observations are recorded at this activity, so it has taken "
          "place: it cannot move to a day after today."), field="starts_on")
        for activity_id in {*marked, *observed}}


def update_activity(*, session: Session, activity: Activity, kind: ActivityKind | str,
                    title: str, starts_on: date | None, postcode: str,
                    pillar: Pillar | str | None = None, description: str = "",
                    ends_on: date | None = None, host_company_id: int | None = None,
                    theme_ids: Iterable[int] = (), capacity: int | None = None) -> Activity:
    """Change an activity; its region and school stay, its themes are replaced."""
    clean = _clean(session, region_id=activity.region_id, kind=kind, pillar=pillar,
                   title=title, description=description, starts_on=starts_on,
                   ends_on=ends_on, postcode=postcode, host_company_id=host_company_id,
                   theme_ids=theme_ids, capacity=capacity)
    refused = moves_refused(session=session, moves={id_of(activity): clean.starts_on})
    if activity.id in refused:
        raise refused[activity.id]
    if clean.capacity is not None:
        taken = participant_count(session=session, activity=activity)
        if taken > clean.capacity:
            raise ActivityError(
                ngettext("%(num)s student is already registered: the capacity cannot be "
                         "lower than that.",
                         "%(num)s students are already registered: the capacity cannot be "
                         "lower than that.", taken), field="capacity")
    activity.kind = clean.kind
    activity.pillar = clean.pillar
    activity.title = clean.title
    activity.description = clean.description
    activity.starts_on = clean.starts_on
    activity.ends_on = clean.ends_on
    activity.school_year = school_year_of(clean.starts_on)
    activity.postcode = clean.postcode
    activity.place = clean.place
    activity.host_company_id = clean.host_company_id
    activity.capacity = clean.capacity
    session.add(activity)
    _set_themes(session, id_of(activity), clean.theme_ids)
    session.commit()
    return activity
