"""Settings of a regional programme."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from ..models import Region
from .errors import ServiceError

MAX_ANSWER_DAYS = 30


class RegionError(ServiceError):
    """A setting that cannot be saved; the message says what to fix."""


def set_answer_days(*, session: Session, region: Region, days: int) -> Region:
    """How many working days a company has to answer a candidate before the offer lapses."""
    if not 1 <= days <= MAX_ANSWER_DAYS:
        raise RegionError(_("Give a number of working days from 1 to %(n)s.", n=MAX_ANSWER_DAYS))
    region.answer_days = days
    session.add(region)
    session.commit()
    return region
