"""What every part of a group event shares: its limits, the words for age groups, the error
it raises, and the checks and lookups that each change starts with."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from ...models import (
    ActivityKind,
    AgeGroup,
    Company,
    GroupAssignment,
    GroupEvent,
    GroupEventStatus,
    GroupRequest,
    HostOffer,
    School,
    SchoolKind,
)
from ..errors import ServiceError

EVENT_KINDS = (ActivityKind.girlsday, ActivityKind.tech_week, ActivityKind.pet_event)
TITLE_MAX = 200
NAME_MAX = 40
MAX_GROUP_SIZE = 500
MAX_CAPACITY = 2000
MAX_IMPORT_LINES = 2000
# Seconds each of the assignment's two solver steps may take: a web request must end.
TIME_LIMIT = 8.0

DEFAULT_AGE_GROUP = {
    SchoolKind.primary: AgeGroup.primary,
    SchoolKind.vmbo: AgeGroup.lower_secondary,
    SchoolKind.havo_vwo: AgeGroup.lower_secondary,
    SchoolKind.mbo: AgeGroup.vocational,
    SchoolKind.hbo: AgeGroup.vocational,
}
# What people type in a spreadsheet for an age group (lower case), besides the values.
AGE_WORDS = {
    "po": AgeGroup.primary, "basisonderwijs": AgeGroup.primary, "basisschool": AgeGroup.primary,
    "primary": AgeGroup.primary, "onderbouw": AgeGroup.lower_secondary,
    "vo-onderbouw": AgeGroup.lower_secondary, "lower_secondary": AgeGroup.lower_secondary,
    "bovenbouw": AgeGroup.upper_secondary, "vo-bovenbouw": AgeGroup.upper_secondary,
    "upper_secondary": AgeGroup.upper_secondary, "mbo": AgeGroup.vocational,
    "hbo": AgeGroup.vocational, "vocational": AgeGroup.vocational,
}


class GroupEventError(ServiceError):
    """Input that cannot be saved; nothing was changed. ``problems`` lists every line of an
    import that needs fixing."""

    def __init__(self, message: str, field: str | None = None,
                 problems: list[str] | None = None):
        super().__init__(message, field)
        self.problems = problems or []


def require_draft(event: GroupEvent) -> None:
    if event.status is not GroupEventStatus.draft:
        raise GroupEventError(_("The assignment is published. Reopen the event to change "
                                "it."))


def forget_assignment(session: Session, event: GroupEvent) -> None:
    """Groups or hosts changed: the assignment no longer fits them."""
    session.exec(sa.delete(GroupAssignment).where(col(GroupAssignment.event_id) == event.id))
    event.assigned_at = None
    event.summary = {}
    session.add(event)


def clean_size(value, *, maximum: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise GroupEventError(_("Enter a whole number from 1 to %(n)s.", n=maximum),
                              field=field)
    return value


def clean_age_group(value) -> AgeGroup:
    if isinstance(value, AgeGroup):
        return value
    found = AGE_WORDS.get(str(value or "").strip().lower())
    if found is None:
        raise GroupEventError(_("Choose an age group."), field="age_group")
    return found


def default_age_group(school: School) -> AgeGroup:
    return DEFAULT_AGE_GROUP.get(school.kind, AgeGroup.lower_secondary)


def find_group(session: Session, event: GroupEvent, school_id: int,
               name: str) -> GroupRequest | None:
    return session.exec(select(GroupRequest).where(
        GroupRequest.event_id == event.id, GroupRequest.school_id == school_id,
        func.lower(GroupRequest.name) == name.lower())).first()


def groups_and_hosts(session: Session, event: GroupEvent):
    groups = session.exec(
        select(GroupRequest, School).join(School, col(School.id) == GroupRequest.school_id)
        .where(GroupRequest.event_id == event.id)
        .order_by(col(School.name), col(GroupRequest.name), col(GroupRequest.id))).all()
    hosts = session.exec(
        select(HostOffer, Company).join(Company, col(Company.id) == HostOffer.company_id)
        .where(HostOffer.event_id == event.id)
        .order_by(col(Company.name), col(HostOffer.id))).all()
    return list(groups), list(hosts)
