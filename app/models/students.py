"""Student profiles, and what is kept apart from them (gender, consent).

Gender lives in its own table so that nothing that reads a profile for matching
can read it by accident.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow
from .enums import ConsentGiver, Gender, Level, Pathway, enum_column


class StudentProfile(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("school_id", "student_number"),
        sa.CheckConstraint("travel_km >= 0 AND travel_km <= 500", name="travel_km_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Null once the account is deleted; the anonymised profile keeps the counts right.
    user_id: int | None = Field(
        default=None, foreign_key="user.id", unique=True, ondelete="SET NULL"
    )
    school_id: int = Field(foreign_key="school.id", index=True)
    student_number: str = Field(max_length=32)
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=120)
    birth_year: int | None = None
    level: Level = Field(sa_type=enum_column(Level), index=True)
    pathway: Pathway | None = Field(default=None, sa_type=enum_column(Pathway))
    school_year: int = Field(default=1, description="leerjaar: year within the course")
    class_name: str = Field(default="", max_length=20)
    postcode: str = Field(max_length=4)
    travel_km: int = 15
    available_from: date | None = None
    available_until: date | None = None
    days_per_week: int | None = None
    wanted_kinds: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    interests_text: str = Field(default="", max_length=2000)
    dream_job: str = Field(default="", max_length=200)
    wants_role_model: bool = False
    deletion_requested_at: datetime | None = None
    anonymised_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class StudentGender(SQLModel, table=True):
    """Optional, given by the student; read only by the monitor and the fairness audit."""

    student_id: int = Field(
        foreign_key="studentprofile.id", primary_key=True, ondelete="CASCADE"
    )
    gender: Gender = Field(default=Gender.not_given, sa_type=enum_column(Gender), index=True)


class Consent(SQLModel, table=True):
    """Consent for a student under 16 to be shown to companies."""

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="studentprofile.id", index=True, ondelete="CASCADE")
    given_by: ConsentGiver = Field(sa_type=enum_column(ConsentGiver))
    given_by_name: str = Field(default="", max_length=160)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    given_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: datetime | None = None
    withdrawn_by_id: int | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL"
    )
    note: str = Field(default="", max_length=500)

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Theme(SQLModel, table=True):
    """A technology theme of the taxonomy (robotica, elektrotechniek, ...)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    label_nl: str = Field(max_length=120)
    label_en: str = Field(max_length=120)
    synonyms: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    esco_codes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    technical: bool = True


class StudentTheme(SQLModel, table=True):
    student_id: int = Field(
        foreign_key="studentprofile.id", primary_key=True, ondelete="CASCADE"
    )
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, ondelete="CASCADE")
