"""Students: a school's students, read and written by its counsellors (and admins).

``GET /schools/{id}/students`` and ``PUT /schools/{id}/students/{student_number}`` load the
school through ``get_school_or_404`` and need ``can_manage_students_of`` (its own counsellors,
admins), as the web's invitation page does; one student is read through
``get_student_or_404``. A PUT is the students import of one row: the same checks and
messages, and its natural key (the number within the school) makes it idempotent. Gender is
written but never read back: it is kept apart from everything else (README, privacy).
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, Field

from app.db import get_session
from app.models import ApiArea, Level, StudentProfile
from app.permissions import (
    can_manage_students_of,
    current_actor,
    get_school_or_404,
    get_student_or_404,
)
from app.services import api_lists, api_rows
from app.services.imports.students import (
    FIRST_BIRTH_YEAR,
    MAX_TRAVEL_KM,
    PRIMARY_YEARS,
    YEARS,
)
from app.web.api import rows
from app.web.api.import_fields import ImportRowIn, number, one_of
from app.web.api.paging import Page, PageQuery, page_of
from app.web.api.regions import ROW_ID, SchoolPath
from app.web.api.resource import not_yours, resource

from ...models.base import local_today

bp = resource("students", __name__, area=ApiArea.students, tag="students",
              description="A school's students. Scopes: students:read, students:write.")

Cell = str | int | None


class StudentOut(BaseModel):
    id: int
    school_id: int
    student_number: str
    first_name: str
    last_name: str
    birth_year: int | None
    level: str
    pathway: str | None
    year: int
    class_name: str
    postcode: str
    travel_km: int
    interests: str
    dream_job: str
    themes: list[str] = Field(description="Theme slugs.")


class StudentPage(Page[StudentOut]):
    """A page of students."""


class StudentQuery(PageQuery):
    class_name: str | None = Field(None, max_length=20, description="Only this class.")
    level: str | None = Field(None, max_length=20, description="Only this level, e.g. vmbo-kb.")


class StudentIn(ImportRowIn):
    """A student as the students import takes them (docs/imports.md): the same fields by
    their English column names, the same rules and messages."""

    IMPORT_KIND: ClassVar[str] = "students"
    FILLED: ClassVar[frozenset[str]] = frozenset({"student_number", "school_code"})  # the path

    first_name: str | None = Field(None, max_length=400)
    name_prefix: str | None = Field(None, max_length=400)
    last_name: str | None = Field(None, max_length=400)
    birth_year: Annotated[Cell, number(FIRST_BIRTH_YEAR, local_today().year - 3)] = None
    level: Annotated[str | None, one_of(Level)] = Field(None, max_length=400)
    pathway: str | None = Field(None, max_length=400, description="bol or bbl (mbo), or bb, "
                                                                  "kb, gl or tl (vmbo).")
    year: Annotated[Cell, number(1, max(YEARS, PRIMARY_YEARS))] = Field(
        None, description=f"The school year (leerjaar): 1 to {YEARS}; groups 1 to "
                          f"{PRIMARY_YEARS} for basisonderwijs.")
    class_name: str | None = Field(None, max_length=400)
    postcode: str | None = Field(None, max_length=400, description="A Dutch postcode; the 4 "
                                                                   "digits are enough.")
    travel_km: Annotated[Cell, number(0, MAX_TRAVEL_KM)] = Field(
        None, description="How far the student may travel, in km.")
    gender: str | None = Field(None, max_length=400)
    interests: str | None = Field(None, max_length=4000)
    dream_job: str | None = Field(None, max_length=400)
    themes: list[str] | str | None = Field(None, description="Theme names or slugs; an empty "
                                                             "list keeps the student's themes.")
    email: str | None = Field(None, max_length=400)


class StudentPath(BaseModel):
    student_id: int = ROW_ID


class StudentKeyPath(BaseModel):
    school_id: int = ROW_ID
    student_number: str = Field(min_length=1, max_length=64)


def _out(student: StudentProfile, themes: list[str]) -> StudentOut:
    return StudentOut(
        id=student.id or 0, school_id=student.school_id, student_number=student.student_number,
        first_name=student.first_name, last_name=student.last_name,
        birth_year=student.birth_year, level=student.level.value,
        pathway=student.pathway.value if student.pathway else None, year=student.school_year,
        class_name=student.class_name, postcode=student.postcode, travel_km=student.travel_km,
        interests=student.interests_text, dream_job=student.dream_job, themes=themes)


def _managed_school(school_id: int):
    school = get_school_or_404(school_id)
    if not can_manage_students_of(current_actor(), school):
        raise not_yours()
    return school


@bp.get("/schools/<int:school_id>/students", responses={200: StudentPage})
def list_students(path: SchoolPath, query: StudentQuery):
    """The school's students, by id; filter by class or level."""
    school = _managed_school(path.school_id)
    session = get_session()
    statement = api_lists.students(school_id=school.id or 0, class_name=query.class_name,
                                   level=query.level)
    found, cursor = page_of(session, statement, StudentProfile.id, query)
    themes = api_lists.theme_slugs(session=session, student_ids=[s.id for s in found])
    return StudentPage(items=[_out(s, themes.get(s.id or 0, [])) for s in found],
                       next_cursor=cursor).model_dump(mode="json")


@bp.get("/students/<int:student_id>", responses={200: StudentOut})
def get_student(path: StudentPath):
    """One student (404 when the token's account may not see them)."""
    student = get_student_or_404(path.student_id)
    themes = api_lists.theme_slugs(session=get_session(), student_ids=[path.student_id])
    return _out(student, themes.get(path.student_id, [])).model_dump(mode="json")


@bp.put("/schools/<int:school_id>/students/<student_number>",
        responses={200: StudentOut, 201: StudentOut})
def put_student(path: StudentKeyPath, body: StudentIn):
    """Create the student with this number at the school, or update them: the students
    import of one row. Sent again, it changes nothing."""
    school = _managed_school(path.school_id)
    session = get_session()
    cells = {name: rows.text(value) for name, value in body.model_dump().items()}
    cells.update(student_number=path.student_number, school_code=school.code)
    report = rows.check(api_rows.import_rows(session=session, kind="students", rows=[cells],
                                             user=current_actor()))
    student_id = api_lists.student_id_by_number(session=session, school_id=school.id or 0,
                                                number=path.student_number.strip())
    student = get_student_or_404(student_id or 0)
    themes = api_lists.theme_slugs(session=session, student_ids=[student_id or 0])
    return _out(student, themes.get(student_id or 0, [])).model_dump(mode="json"), \
        rows.status_of(report)
