"""The filtered statements behind the API's lists; the API pages them (app/web/api/paging.py)
and the rows an account may see are picked by app.permissions, never here."""

from __future__ import annotations

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import (
    Activity,
    ActivityKind,
    Level,
    Region,
    School,
    StudentProfile,
    StudentTheme,
    Theme,
)


def regions() -> SelectOfScalar[Region]:
    return select(Region)


def schools(*, region_id: int | None = None, code: str | None = None) -> SelectOfScalar[School]:
    statement = select(School)
    if region_id is not None:
        statement = statement.where(col(School.region_id) == region_id)
    if code:
        statement = statement.where(col(School.code) == code.strip().upper())
    return statement


def students(*, school_id: int, class_name: str | None = None,
             level: str | None = None) -> SelectOfScalar[StudentProfile]:
    """A school's students who are still there (not anonymised after a deletion)."""
    statement = select(StudentProfile).where(col(StudentProfile.school_id) == school_id,
                                             col(StudentProfile.anonymised_at).is_(None))
    if class_name:
        statement = statement.where(col(StudentProfile.class_name) == class_name.strip())
    if level:
        known = {item.value: item for item in Level}
        wanted = known.get(level.strip().lower().replace("-", "_"))
        # An unknown level matches nobody rather than failing: filters narrow, never refuse.
        statement = statement.where(col(StudentProfile.level) == wanted) if wanted else \
            statement.where(col(StudentProfile.id) == -1)
    return statement


def student_id_by_number(*, session: Session, school_id: int, number: str) -> int | None:
    return session.exec(select(StudentProfile.id).where(
        col(StudentProfile.school_id) == school_id,
        col(StudentProfile.student_number) == number)).first()


def theme_slugs(*, session: Session, student_ids: list[int]) -> dict[int, list[str]]:
    """Each student's theme slugs, in one query for all of them."""
    found: dict[int, list[str]] = {}
    if not student_ids:
        return found
    for student_id, slug in session.exec(
            select(StudentTheme.student_id, Theme.slug)
            .join(Theme, col(Theme.id) == StudentTheme.theme_id)
            .where(col(StudentTheme.student_id).in_(student_ids))
            .order_by(col(Theme.slug))).all():
        found.setdefault(student_id, []).append(slug)
    return found


def activities(*, region_id: int | None, school_year: str | None = None,
               kind: str | None = None) -> SelectOfScalar[Activity]:
    """Activities of a region (None: every region), by id."""
    statement = select(Activity).order_by(col(Activity.id))
    if region_id is not None:
        statement = statement.where(col(Activity.region_id) == region_id)
    if school_year:
        statement = statement.where(col(Activity.school_year) == school_year.strip())
    if kind:
        wanted = {item.value: item for item in ActivityKind}.get(kind.strip().lower())
        statement = statement.where(col(Activity.kind) == wanted) if wanted else \
            statement.where(col(Activity.id) == -1)
    return statement


def activity_id_by_code(*, session: Session, code: str) -> int | None:
    return session.exec(select(Activity.id).where(col(Activity.code) == code)).first()
