"""Placements that companies post."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow
from .enums import PlacementKind, PlacementStatus, enum_column


class Placement(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("company_id", "code"),
        # The backstop against overbooking, whatever the application does.
        sa.CheckConstraint(
            "places_taken >= 0 AND places_taken <= capacity", name="places_within_capacity"
        ),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    code: str = Field(max_length=40)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=4000)
    learn_and_do: str = Field(default="", max_length=4000)
    # The ESCO occupation the title names, found by the occupation normaliser unless given.
    occupation_code: str = Field(default="", max_length=40)
    occupation_label: str = Field(default="", max_length=200)
    # The title for which the company chose the occupation (or chose none), "" when it was
    # found in the title: a chosen one outlives new titles, and that pair is what a person
    # mapped.
    occupation_chosen_for: str = Field(default="", max_length=200,
                                       sa_column_kwargs={"server_default": ""})
    kind: PlacementKind = Field(sa_type=enum_column(PlacementKind), index=True)
    levels: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    status: PlacementStatus = Field(
        default=PlacementStatus.draft, sa_type=enum_column(PlacementStatus), index=True
    )
    postcode: str = Field(max_length=4)
    place: str = Field(default="", max_length=120)
    capacity: int = 1
    places_taken: int = 0
    starts_on: date | None = None
    ends_on: date | None = None
    days_per_week: int | None = None
    # What a student plans a week around; with days_per_week it is what "hours" means on the
    # placement page (issue 21).
    hours_per_week: int | None = None
    allowance: str = Field(default="", max_length=120)
    application_deadline: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def places_free(self) -> int:
        return self.capacity - self.places_taken

    @property
    def occupation_chosen(self) -> bool:
        """The company chose the occupation; a new title no longer replaces it."""
        return bool(self.occupation_chosen_for)


class PlacementTheme(SQLModel, table=True):
    placement_id: int = Field(foreign_key="placement.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")


class PlacementEvent(SQLModel, table=True):
    """Every state change of a placement: who, when and why."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True, ondelete="CASCADE")
    actor_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    at: datetime = Field(default_factory=utcnow)
    action: str = Field(max_length=40)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str | None = Field(default=None, max_length=20)
    reason: str = Field(default="", max_length=1000)
