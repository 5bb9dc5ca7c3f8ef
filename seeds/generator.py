"""The deterministic demo data generator: one call fills an empty database."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.models import (
    Activity,
    ActivityKind,
    Company,
    Participation,
    Placement,
    Region,
    School,
    StudentProfile,
    TalentObservation,
    User,
    school_year_of,
)
from app.services.maintenance import analyze

from .activities import SCHOOL_YEARS, ActivityPlanner
from .context import Build
from .demo import name_demo_accounts
from .organisations import add_companies, add_regions, add_schools, add_staff
from .people import add_students
from .placements import add_placements
from .places import Atlas
from .store import Rows
from .taxonomy import Taxonomy

# The school year the demo data is written for (students' years, placements, activities).
SEEDED_SCHOOL_YEAR = SCHOOL_YEARS[-1]

MIN_STUDENTS, MIN_PLACEMENTS = 100, 10
# Tables that only the generator fills: any row in them means the data is already there.
# (Not the themes: the migrations fill those, and the demo data uses them.)
_SEEDED_TABLES: tuple[type[SQLModel], ...] = (
    Region, School, Company, StudentProfile, Activity, Placement,
)


@dataclass(frozen=True)
class SeedSummary:
    regions: int
    schools: int
    students: int
    users: int
    activities: int
    participations: int
    observations: int
    companies: int
    placements: int
    themes: int


def generate(session: Session, *, students: int = 600, placements: int = 300,
             seed: int = 2026, password_hash: str, as_of: date | None = None) -> SeedSummary:
    """Fill an empty database with demo data and commit; the same arguments give the same data.

    Every generated user gets ``password_hash``. Schools, activities and companies scale
    with ``students`` and ``placements``. The data is written for the school year 2025-2026;
    with ``as_of`` every date moves by whole years so that it is written for the school year
    of that day instead (a demo made today has placements ahead, not behind), and activities
    after that day are only registered for: nobody attended them or was observed there yet.
    Without ``as_of`` every activity has happened. Raises ``ValueError`` on a database that
    already has demo data, before writing anything.
    """
    if students < MIN_STUDENTS or placements < MIN_PLACEMENTS:
        raise ValueError(f"Seed at least {MIN_STUDENTS} students and {MIN_PLACEMENTS} "
                         f"placements (got {students} and {placements}).")
    if not password_hash:
        raise ValueError("password_hash is empty; hash the demo password first.")
    _refuse_if_seeded(session)

    build = Build(random.Random(seed), Rows(session), Atlas(), password_hash)
    taxonomy = Taxonomy(build, session)
    regions = add_regions(build)
    schools = add_schools(build, regions, min(max(students // 30, 20), 400))
    add_staff(build, regions, schools)
    companies = add_companies(build, regions, max(120, math.ceil(placements / 2.5)))
    people = add_students(build, schools, taxonomy, students)
    shift = int(school_year_of(as_of)[:4]) - SEEDED_SCHOOL_YEAR if as_of is not None else 0
    planner = ActivityPlanner(build, regions, companies, people, taxonomy,
                              today=_years_back(as_of, shift) if as_of is not None else None)
    tally = planner.add_all(max(len(ActivityKind) * len(SCHOOL_YEARS), students // 10))
    per_company = add_placements(build, companies, taxonomy, placements)
    name_demo_accounts(regions, people, tally, companies, per_company)

    _refuse_taken_emails(session, build.rows)
    if as_of is not None:
        build.rows.shift_years(shift)
    build.rows.write(session)
    session.commit()
    analyze(session=session)  # the planner's statistics for the tables just filled
    rows = build.rows
    return SeedSummary(
        regions=rows.count(Region), schools=rows.count(School),
        students=rows.count(StudentProfile), users=rows.count(User),
        activities=rows.count(Activity), participations=rows.count(Participation),
        observations=rows.count(TalentObservation), companies=rows.count(Company),
        placements=rows.count(Placement), themes=taxonomy.count,
    )


def _years_back(day: date, years: int) -> date:
    """``day`` moved back into the seeded school years (29 February to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _refuse_if_seeded(session: Session) -> None:
    found = {
        model.__tablename__: count for model in _SEEDED_TABLES
        if (count := session.scalar(sa.select(sa.func.count()).select_from(model)))
    }
    if found:
        listed = ", ".join(f"{count} {table}" for table, count in found.items())
        raise ValueError(f"The database already has data ({listed}); seeding it again would "
                         "duplicate it. Seed a fresh database instead.")


def _refuse_taken_emails(session: Session, rows: Rows) -> None:
    """Users made before seeding (say an admin) may stay, but not under a seeded address."""
    existing = set(session.scalars(sa.select(User.email)))
    taken = sorted(existing.intersection(row["email"] for row in rows.of(User)))
    if taken:
        raise ValueError(f"Users with these e-mail addresses already exist: "
                         f"{', '.join(taken[:5])}. Seed a fresh database instead.")
