"""What the monitor counts over: the region and school year chosen, the filters that say so
in a query, and the counts per gender every figure is made of."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from ...models import Activity, Company, Gender, PlacementStatus, Region, StudentGender
from ..errors import ServiceError

# A talent observation this strong (on the 1-5 scale) is talent evidence.
TALENT_STRENGTH = 4
GENDERS = (Gender.girl, Gender.boy, Gender.other, Gender.not_given)
# Status a placement reaches when it is published (by hand or by an import).
POSTED_STATUSES = (PlacementStatus.open.value, PlacementStatus.paused.value)
DIMENSIONS = ("kind", "pillar", "level")
CHARTS = ("kinds", "pillars", "levels", "funnel", "sectors", "answers", "talent")
# A school year, 2025-2026 (the second year the next: checked by parse_school_year). The
# JSON API's description gives the pattern; ASCII digits, as a JSON Schema reads [0-9].
SCHOOL_YEAR_PATTERN = r"^([0-9]{4})-([0-9]{4})$"
_YEAR = re.compile(SCHOOL_YEAR_PATTERN)


class MonitorError(ServiceError):
    """A filter that does not exist; the message says which."""


@dataclass(frozen=True)
class Scope:
    region: Region | None = None   # None: every region
    school_year: str | None = None  # None: every school year, e.g. "2025-2026"

    @property
    def slug(self) -> str:
        return self.region.slug if self.region else "alle-regio-s"


def parse_school_year(text: str) -> str:
    """ "2025-2026" as given, or :class:`MonitorError`."""
    found = _YEAR.fullmatch(text or "")
    if not found or int(found[2]) != int(found[1]) + 1:
        raise MonitorError(_("Choose a school year like 2025-2026."))
    return text


def year_bounds(school_year: str) -> tuple[datetime, datetime]:
    """School years run from 1 August (UTC) to the next."""
    start = int(parse_school_year(school_year)[:4])
    return datetime(start, 8, 1, tzinfo=UTC), datetime(start + 1, 8, 1, tzinfo=UTC)


def in_year(column, school_year: str | None):
    if school_year is None:
        return sa.true()
    start, end = year_bounds(school_year)
    return sa.and_(column >= start, column < end)


def school_years(*, session: Session) -> list[str]:
    """School years that have activities, newest first."""
    return list(session.exec(
        select(Activity.school_year).distinct().order_by(col(Activity.school_year).desc())).all())



def region_by_slug(*, session: Session, slug: str) -> Region | None:
    return session.exec(select(Region).where(Region.slug == slug)).first()


# --- gender counts ------------------------------------------------------------------------


@dataclass(frozen=True)
class GenderCounts:
    girls: int = 0
    boys: int = 0
    other: int = 0
    not_given: int = 0

    @classmethod
    def of(cls, counts: dict[Gender, int]) -> GenderCounts:
        return cls(counts.get(Gender.girl, 0), counts.get(Gender.boy, 0),
                   counts.get(Gender.other, 0), counts.get(Gender.not_given, 0))

    @property
    def total(self) -> int:
        return self.girls + self.boys + self.other + self.not_given

    @property
    def given(self) -> int:
        """Students who gave their gender: the denominator of the girls' share."""
        return self.girls + self.boys + self.other

    @property
    def girls_share(self) -> float | None:
        return self.girls / self.given if self.given else None


def gender_or_not_given():
    """The student's gender category; no row counts as not given."""
    # A literal, not a bound parameter: PostgreSQL must see the same expression in GROUP BY.
    return func.coalesce(StudentGender.gender, sa.literal_column(f"'{Gender.not_given.value}'"))


def as_gender(value) -> Gender:
    return value if isinstance(value, Gender) else Gender(value)


def activities_in(scope: Scope):
    conditions = []
    if scope.region is not None:
        conditions.append(Activity.region_id == scope.region.id)
    if scope.school_year is not None:
        conditions.append(Activity.school_year == scope.school_year)
    return sa.and_(sa.true(), *conditions)


def companies_in(scope: Scope):
    return col(Company.region_id) == scope.region.id if scope.region is not None else sa.true()
