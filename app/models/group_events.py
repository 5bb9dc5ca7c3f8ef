"""Group events: school groups sent to host companies for Girlsday, the Week van de Techniek or
a PET day, assigned by the coordinator of the region and published to the schools."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow
from .enums import ActivityKind, enum_column


class GroupEventStatus(enum.StrEnum):
    draft = "draft"          # the coordinator enters groups and hosts and runs the assignment
    published = "published"  # the schools see where their groups go


class AgeGroup(enum.StrEnum):
    """Who a host prefers to receive: by age, because a visit is made for an age."""

    primary = "primary"                  # basisonderwijs, groep 7-8
    lower_secondary = "lower_secondary"  # vo onderbouw, klas 1-2
    upper_secondary = "upper_secondary"  # vo bovenbouw, klas 3 and up
    vocational = "vocational"            # mbo and hbo


class GroupEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    kind: ActivityKind = Field(sa_type=enum_column(ActivityKind))
    title: str = Field(max_length=200)
    held_on: date
    # The activity in the programme this event is part of, if it was entered as one.
    activity_id: int | None = Field(default=None, foreign_key="activity.id",
                                    ondelete="SET NULL")
    status: GroupEventStatus = Field(default=GroupEventStatus.draft,
                                     sa_type=enum_column(GroupEventStatus))
    # What the last run of the assignment found (students placed, km, optimal, ...).
    summary: dict = Field(default_factory=dict, sa_type=sa.JSON)
    assigned_at: datetime | None = None
    published_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class GroupRequest(SQLModel, table=True):
    """A school group (a class) that takes part in a group event."""

    __table_args__ = (sa.UniqueConstraint("event_id", "school_id", "name"),
                      sa.CheckConstraint("size >= 1", name="size_positive"))

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="groupevent.id", index=True, ondelete="CASCADE")
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=40, description="the class, e.g. 2B or groep 8")
    size: int
    age_group: AgeGroup = Field(sa_type=enum_column(AgeGroup))


class HostOffer(SQLModel, table=True):
    """A company that receives groups at a group event, up to its capacity."""

    __table_args__ = (sa.UniqueConstraint("event_id", "company_id"),
                      sa.CheckConstraint("capacity >= 1", name="capacity_positive"))

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="groupevent.id", index=True, ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    capacity: int
    # Preferred age groups (AgeGroup values); empty: any.
    age_groups: list[str] = Field(default_factory=list, sa_type=sa.JSON)


class GroupAssignment(SQLModel, table=True):
    """Students of a group sent to a host: the whole group, or one part of a group larger
    than every host."""

    __table_args__ = (sa.UniqueConstraint("request_id", "offer_id"),
                      sa.CheckConstraint("students >= 1", name="students_positive"))

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="groupevent.id", index=True, ondelete="CASCADE")
    request_id: int = Field(foreign_key="grouprequest.id", index=True, ondelete="CASCADE")
    offer_id: int = Field(foreign_key="hostoffer.id", index=True, ondelete="CASCADE")
    students: int
    distance_km: float | None = None
    preferred: bool = True
