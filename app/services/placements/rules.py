"""What every part of placements shares: the lengths the columns allow, the errors raised,
what a placement needs before students may see it, and the record of each change."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session

from ...models import Placement, PlacementEvent, PlacementStatus, User
from ...models.base import local_today
from ..errors import ServiceError
from ..rows import id_of
from ..validation import column_length

CODE_MAX = column_length(Placement, "code")
TITLE_MAX = column_length(Placement, "title")
DESCRIPTION_MAX = column_length(Placement, "description")
LEARN_AND_DO_MAX = column_length(Placement, "learn_and_do")
ALLOWANCE_MAX = column_length(Placement, "allowance")
REASON_MAX = column_length(PlacementEvent, "reason")
MAX_DAYS_PER_WEEK = 5
MAX_HOURS_PER_WEEK = 40
# A placement day is a working day: more than this would be a student's second shift. The
# domain notes give no stricter rule for minors, so one bound holds for every kind.
MAX_HOURS_PER_DAY = 10


class PlacementError(ServiceError):
    """Input that cannot be saved; the message says what to fix."""


class StatusError(PlacementError):
    """A change of status that is not possible from the current status."""


class NotComplete(StatusError):
    """A placement that cannot be published (or stay published) yet: ``missing`` says why."""

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = missing


def hours_beyond_days(hours_per_week: int | None, days_per_week: int | None) -> str | None:
    """Why ``hours_per_week`` cannot be worked in ``days_per_week`` (at most
    MAX_HOURS_PER_DAY a day); None when they fit or either is not known. The form, the service
    and the import all say it in these words."""
    if hours_per_week is None or days_per_week is None:
        return None
    most = days_per_week * MAX_HOURS_PER_DAY
    if hours_per_week <= most:
        return None
    return ngettext(
        "%(hours)s hours a week do not fit in %(num)s day: at most %(most)s hours a day, so "
        "at most %(total)s hours. Lower the hours or add days.",
        "%(hours)s hours a week do not fit in %(num)s days: at most %(most)s hours a day, so "
        "at most %(total)s hours. Lower the hours or add days.",
        days_per_week, hours=hours_per_week, most=MAX_HOURS_PER_DAY, total=most)


def record_event(session: Session, placement: Placement, *, user: User | None, action: str,
                 from_status: PlacementStatus | None, to_status: PlacementStatus | None,
                 reason: str = "") -> None:
    session.add(PlacementEvent(
        placement_id=id_of(placement), actor_id=user.id if user else None, action=action,
        from_status=from_status.value if from_status else None,
        to_status=to_status.value if to_status else None, reason=reason))


def missing_details(values) -> list[str]:
    """What a placement still needs before students may see it."""
    missing = []
    if not values.description:
        missing.append(_("a description"))
    if not values.learn_and_do:
        missing.append(_("what a student will learn and do"))
    if not values.levels:
        missing.append(_("the levels it accepts"))
    if values.starts_on is None:
        missing.append(_("the start date"))
    if values.ends_on is None:
        missing.append(_("the end date"))
    if values.days_per_week is None:
        missing.append(_("the days per week"))
    return missing


def missing_for_publishing(placement: Placement, *, today: date | None = None) -> list[str]:
    """What to fill in before ``placement`` can be published; empty when it can be."""
    missing = missing_details(placement)
    today = today or local_today()
    if placement.ends_on is not None and placement.ends_on < today:
        missing.append(_("a period that has not ended yet"))
    if placement.application_deadline is not None and placement.application_deadline < today:
        missing.append(_("an application deadline that has not passed yet"))
    return missing
