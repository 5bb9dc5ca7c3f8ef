"""What the activity pages show: the list of activities, the participants and observers of
one, and the students, classes, companies and themes its forms offer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, func, or_, select

from ...models import (
    Activity,
    ActivityKind,
    ActivityObserver,
    ActivityTheme,
    Company,
    Participation,
    Region,
    School,
    StudentProfile,
    User,
)
from .rules import PAGE_SIZE


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    region: Region
    participants: int


@dataclass(frozen=True)
class ActivityPage:
    rows: list[ActivityRow]
    total: int
    page: int
    pages: int


def list_activities(*, session: Session, region_id: int | None, school_year: str | None = None,
                    kind: ActivityKind | None = None, page: int = 1,
                    page_size: int = PAGE_SIZE) -> ActivityPage:
    """Activities of a region (``None``: every region), newest first, one page."""
    conditions = []
    if region_id is not None:
        conditions.append(Activity.region_id == region_id)
    if school_year:
        conditions.append(Activity.school_year == school_year)
    if kind is not None:
        conditions.append(Activity.kind == kind)
    total = session.exec(select(func.count()).select_from(Activity).where(*conditions)).one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    count = (select(func.count()).select_from(Participation)
             .where(Participation.activity_id == Activity.id).scalar_subquery())
    rows = session.exec(
        select(Activity, Region, count).join(Region, col(Region.id) == Activity.region_id)
        .where(*conditions)
        .order_by(col(Activity.starts_on).desc(), col(Activity.id).desc())
        .offset((page - 1) * page_size).limit(page_size)
    ).all()
    return ActivityPage([ActivityRow(a, r, n) for a, r, n in rows], total, page, pages)


def school_years(*, session: Session, region_id: int | None) -> list[str]:
    query = select(Activity.school_year).distinct()
    if region_id is not None:
        query = query.where(Activity.region_id == region_id)
    return sorted(session.exec(query).all(), reverse=True)


@dataclass(frozen=True)
class ParticipantRow:
    student: StudentProfile
    school: School
    participation: Participation
    marked_by: User | None = None  # who set the attendance, if anyone did


def participants(*, session: Session, activity: Activity) -> list[ParticipantRow]:
    rows = session.exec(
        select(Participation, StudentProfile, School, User)
        .join(StudentProfile, col(StudentProfile.id) == Participation.student_id)
        .join(School, col(School.id) == StudentProfile.school_id)
        .outerjoin(User, col(User.id) == Participation.attendance_set_by_id)
        .where(Participation.activity_id == activity.id)
        .order_by(col(School.name), col(StudentProfile.class_name), col(StudentProfile.first_name),
                  col(StudentProfile.last_name), col(StudentProfile.id))
    ).all()
    return [ParticipantRow(s, school, p, by) for p, s, school, by in rows]


def observers(*, session: Session, activity: Activity) -> list[User]:
    return list(session.exec(
        select(User).join(ActivityObserver, col(ActivityObserver.user_id) == User.id)
        .where(ActivityObserver.activity_id == activity.id).order_by(col(User.display_name))
    ).all())


def registrable_students(*, session: Session, activity: Activity, school_ids: Sequence[int],
                         query: str = "", limit: int = 200
                         ) -> tuple[list[tuple[StudentProfile, School]], bool]:
    """Students of these schools not yet registered, matching ``query`` (name or number).

    Returns at most ``limit`` of them, and whether there were more.
    """
    if not school_ids:
        return [], False
    registered = select(Participation.student_id).where(
        Participation.activity_id == activity.id)
    statement = (
        select(StudentProfile, School).join(School, col(School.id) == StudentProfile.school_id)
        .where(col(StudentProfile.school_id).in_(school_ids),
               col(StudentProfile.anonymised_at).is_(None),
               col(StudentProfile.id).not_in(registered))
    )
    for word in (query or "").split()[:4]:
        pattern = f"%{word.lower()}%"
        statement = statement.where(or_(
            func.lower(StudentProfile.first_name).like(pattern),
            func.lower(StudentProfile.last_name).like(pattern),
            func.lower(StudentProfile.student_number).like(pattern),
            func.lower(StudentProfile.class_name) == word.lower(),
        ))
    rows = session.exec(
        statement.order_by(col(School.name), col(StudentProfile.class_name),
                           col(StudentProfile.last_name), col(StudentProfile.first_name),
                           col(StudentProfile.id)).limit(limit + 1)
    ).all()
    return [(s, school) for s, school in rows[:limit]], len(rows) > limit


@dataclass(frozen=True)
class ClassRow:
    school: School
    class_name: str
    students: int


def classes(*, session: Session, school_ids: Sequence[int]) -> list[ClassRow]:
    """The classes of these schools, with how many current students each has."""
    if not school_ids:
        return []
    rows = session.exec(
        select(School, StudentProfile.class_name, func.count())
        .join(StudentProfile, col(StudentProfile.school_id) == School.id)
        .where(col(School.id).in_(school_ids), StudentProfile.class_name != "",
               col(StudentProfile.anonymised_at).is_(None))
        .group_by(col(School.id), col(StudentProfile.class_name))
        .order_by(col(School.name), col(School.id), col(StudentProfile.class_name))
    ).all()
    return [ClassRow(school, name, n) for school, name, n in rows]


def region_companies(*, session: Session, region_id: int | None) -> list[Company]:
    """Possible hosts: the companies of a region (``None``: all)."""
    query = select(Company)
    if region_id is not None:
        query = query.where(Company.region_id == region_id)
    return list(session.exec(query.order_by(col(Company.name), col(Company.id))).all())



def theme_ids_of(*, session: Session, activity: Activity) -> list[int]:
    return list(session.exec(select(ActivityTheme.theme_id)
                             .where(ActivityTheme.activity_id == activity.id)).all())
