"""Regions, schools and companies: the organisations people belong to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Field, SQLModel

from .base import utcnow
from .enums import Level, PlacementKind, SchoolKind, enum_column

# The levels of students each kind of school teaches, when the school does not say otherwise.
LEVELS_OF_KIND: dict[SchoolKind, tuple[Level, ...]] = {
    SchoolKind.primary: (Level.basis,),
    SchoolKind.vmbo: (Level.vmbo_bb, Level.vmbo_kb, Level.vmbo_gl, Level.vmbo_tl),
    SchoolKind.havo_vwo: (Level.havo, Level.vwo),
    SchoolKind.mbo: (Level.mbo_1, Level.mbo_2, Level.mbo_3, Level.mbo_4),
    SchoolKind.hbo: (Level.hbo,),
}


def levels_of_kind(kind: SchoolKind | str) -> list[str]:
    """The level values a school of ``kind`` teaches unless it says otherwise."""
    return [level.value for level in LEVELS_OF_KIND[SchoolKind(kind)]]


def _levels_of_inserted_kind(context) -> list[str]:
    """The column default of a row inserted without model objects (bulk inserts)."""
    return levels_of_kind(context.get_current_parameters()["kind"])


class Region(SQLModel, table=True):
    """A regional technology pact (e.g. Liemers, Achterhoek)."""

    # Server defaults are read when first used, not at insert: see student_answer_days.
    __mapper_args__ = {"eager_defaults": False}

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    name: str = Field(max_length=120, unique=True)
    # Working days a candidate may wait for a company's answer before the offer lapses.
    answer_days: int = Field(default=10, sa_column_kwargs={"server_default": "10"})
    # Working days a student may leave an offer unanswered before it lapses. None until
    # saved: a new region gets the database's default (10), and an insert leaves the column
    # out, so code written against the table before it had this column keeps working.
    student_answer_days: int | None = Field(default=None, nullable=False,
                                            sa_column_kwargs={"server_default": "10"})


class School(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True, description="BRIN-like school code")
    name: str = Field(max_length=160)
    kind: SchoolKind = Field(sa_type=enum_column(SchoolKind))
    postcode: str = Field(max_length=4)
    place: str = Field(max_length=120)
    region_id: int = Field(foreign_key="region.id", index=True)
    # The levels of the students it teaches (``Level`` values, in ladder order); a school
    # saved without them teaches every level of its kind.
    levels: list[str] = Field(default_factory=list, sa_type=sa.JSON,
                              sa_column_kwargs={"default": _levels_of_inserted_kind,
                                                "server_default": "[]"})

@event.listens_for(School, "before_insert")
def _levels_of_its_kind(_mapper, _connection, school: School) -> None:
    if not school.levels:
        school.levels = levels_of_kind(school.kind)


class Company(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=160)
    kvk: str = Field(max_length=8, unique=True, description="Chamber of commerce number")
    sector: str = Field(max_length=80)
    address: str = Field(default="", max_length=200)
    postcode: str = Field(max_length=4)
    place: str = Field(max_length=120)
    region_id: int = Field(foreign_key="region.id", index=True)
    website: str = Field(default="", max_length=200)
    recognised: bool = Field(default=False, description="erkend leerbedrijf")
    recognised_for: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    offers_mentor: bool = False
    female_role_model: bool = False
    accessibility_notes: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)

    def recognised_for_kinds(self) -> list[PlacementKind]:
        return [PlacementKind(k) for k in self.recognised_for]


class CompanyContact(SQLModel, table=True):
    """A user who may act for a company; a company has several."""

    __table_args__ = (sa.UniqueConstraint("company_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    can_act: bool = True
    job_title: str = Field(default="", max_length=120)
