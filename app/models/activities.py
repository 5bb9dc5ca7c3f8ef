"""Activities where talent shows, who took part, and what observers saw."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow
from .enums import ActivityKind, Attendance, Pillar, enum_column


def school_year_of(day: date) -> str:
    """Dutch school years run from 1 August: 2025-09-10 is in "2025-2026"."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


class Activity(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    kind: ActivityKind = Field(sa_type=enum_column(ActivityKind), index=True)
    pillar: Pillar = Field(sa_type=enum_column(Pillar), index=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=4000)
    starts_on: date = Field(index=True)
    ends_on: date | None = None
    school_year: str = Field(max_length=9, index=True)
    postcode: str = Field(max_length=4)
    place: str = Field(default="", max_length=120)
    region_id: int = Field(foreign_key="region.id", index=True)
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)
    host_company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    capacity: int | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class ActivityTheme(SQLModel, table=True):
    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")


class ActivityObserver(SQLModel, table=True):
    """A scout or company host allowed to record observations at one activity."""

    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")


class Participation(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("activity_id", "student_id"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True, ondelete="CASCADE")
    student_id: int = Field(foreign_key="studentprofile.id", index=True, ondelete="CASCADE")
    registered_by_id: int | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL"
    )
    registered_at: datetime = Field(default_factory=utcnow)
    # Registered until the activity has begun; then attended or absent. Who set it and when
    # stay empty for attendance assumed by the migration that introduced it.
    attendance: Attendance = Field(default=Attendance.registered,
                                   sa_type=enum_column(Attendance))
    attendance_set_by_id: int | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL"
    )
    attendance_set_at: datetime | None = None


class TalentObservation(SQLModel, table=True):
    """What an observer saw a student do at an activity (Honk1-style)."""

    __table_args__ = (sa.CheckConstraint("strength BETWEEN 1 AND 5", name="strength_range"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", index=True, ondelete="CASCADE")
    student_id: int = Field(foreign_key="studentprofile.id", index=True, ondelete="CASCADE")
    observer_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    strength: int
    skills: str = Field(default="", max_length=300)
    note: str = Field(default="", max_length=1000)
    shared_with_companies: bool = False
    observed_on: date
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ObservationTheme(SQLModel, table=True):
    observation_id: int = Field(
        foreign_key="talentobservation.id", primary_key=True, ondelete="CASCADE"
    )
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")


class ObservationRevision(SQLModel, table=True):
    """The state of an observation before each correction: nothing is overwritten unseen."""

    id: int | None = Field(default=None, primary_key=True)
    observation_id: int = Field(
        foreign_key="talentobservation.id", index=True, ondelete="CASCADE"
    )
    changed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    changed_at: datetime = Field(default_factory=utcnow)
    previous: dict = Field(default_factory=dict, sa_type=sa.JSON)
