"""Who takes part in an activity, their attendance, and the talent observations made there.

The activity is loaded through ``get_activity_or_404``. Registering students (one by one or a
whole class), recording attendance and recording observations are the participations and
observations imports of those rows, as the token's account: the same rights (who may
register from which school, mark whom, observe where), checks and messages. Their natural
keys (activity and student; activity, student and observer) make a repeated request change
nothing. The lists show the rows the account may see: a participant when it may see the
student or mark their attendance (as on the activity's page), an observation when
``can_read_observation`` says so.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from app.db import get_session
from app.permissions import (
    can_mark_attendance,
    can_read_observation,
    can_view_student,
    current_actor,
    get_activity_or_404,
    get_school_or_404,
)
from app.services import api_rows
from app.services.activities import class_students, participants
from app.services.observations import observations_at
from app.web.api import rows
from app.web.api.activities import ActivityPath, bp
from app.web.api.idempotency import IdempotencyHeader, replayed_or
from app.web.api.import_fields import ImportRowIn, either, number
from app.web.api.paging import Page, PageQuery, page_of_list
from app.web.api.problems import VALIDATION, ApiProblem, FieldError
from app.web.api.regions import ROW_ID

Cell = str | int | None
MAX_ROWS = 1000


class ParticipationOut(BaseModel):
    id: int
    student_id: int
    student_number: str
    school_id: int
    attendance: str = Field(description="registered, attended or absent.")


class ParticipationPage(Page[ParticipationOut]):
    """A page of an activity's participants."""


class Registration(ImportRowIn):
    IMPORT_KIND: ClassVar[str] = "participations"
    FILLED: ClassVar[frozenset[str]] = frozenset({"activity_code"})  # the path

    student_number: str = Field(max_length=64)
    school_code: str | None = Field(None, max_length=64, description="Only needed when the "
                                                                    "number is used at more "
                                                                    "than one school.")
    attended: bool | str | None = Field(None, description="Empty keeps (or, for a new "
                                                          "participant, derives) attendance.")


class SchoolClass(BaseModel):
    model_config = ConfigDict(extra="forbid")

    school_id: int = ROW_ID
    class_name: str = Field(min_length=1, max_length=20)


# A registration names students, a class, or both (else a 422: "Name students, a class, or
# both."): an anyOf in the description, the class first, as the story of issue 22 goes.
STUDENTS_OR_CLASS = either(("class", {}), ("students", {"minItems": 1}))


class RegistrationIn(BaseModel):
    """Students to register (and their attendance), as the participations import takes
    them; ``class`` registers every current student of a class as well. At least one of
    the two: ``students`` with a student or a ``class``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True,
                              json_schema_extra=STUDENTS_OR_CLASS)  # type: ignore[arg-type]

    students: list[Registration] = Field(default_factory=list, max_length=MAX_ROWS)
    school_class: SchoolClass | None = Field(None, alias="class")


class WriteSummary(BaseModel):
    created: int
    updated: int
    unchanged: int


class ObservationOut(BaseModel):
    id: int
    student_id: int
    student_number: str
    observer_id: int | None
    strength: int
    skills: str
    note: str
    observed_on: date
    themes: list[str]


class ObservationPage(Page[ObservationOut]):
    """A page of observations."""


# An observation names what the student showed: a theme or a skill (else a 422 on themes:
# "Name at least one theme or skill the student showed.").
THEMES_OR_SKILLS = either(
    ("themes", {"anyOf": [{"type": "array", "minItems": 1, "items": {"type": "string"}},
                          {"type": "string", "minLength": 1}]}),
    ("skills", {"minLength": 1}))


class ObservationIn(ImportRowIn):
    """One observation as the observations import takes it (docs/imports.md): at least one
    theme or skill."""

    model_config = ConfigDict(extra="forbid",
                              json_schema_extra=THEMES_OR_SKILLS)  # type: ignore[arg-type]

    IMPORT_KIND: ClassVar[str] = "observations"
    # The path's activity; the observer is the token's account when left out.
    FILLED: ClassVar[frozenset[str]] = frozenset({"activity_code", "observer_email"})

    student_number: str = Field(max_length=64)
    school_code: str | None = Field(None, max_length=64)
    themes: list[str] | str | None = None
    strength: Annotated[Cell, number(1, 5)] = Field(None, description="1 (a glimpse) to 5.")
    skills: str | None = Field(None, max_length=1000)
    note: str | None = Field(None, max_length=4000)
    date: str | None = Field(None, max_length=40, description="When it was observed.")
    observer_email: str | None = Field(None, max_length=400, description="Who observed; "
                                                                        "the token's account "
                                                                        "when left out.")


class ObservationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    observations: list[ObservationIn] = Field(min_length=1, max_length=MAX_ROWS)


def _summary(report) -> tuple[dict, int]:
    body = WriteSummary(created=report.created, updated=report.updated,
                        unchanged=report.unchanged).model_dump(mode="json")
    return body, rows.status_of(report)


@bp.get("/activities/<int:activity_id>/participations", responses={200: ParticipationPage})
def list_participations(path: ActivityPath, query: PageQuery):
    """The activity's participants the token's account may see, with their attendance."""
    activity = get_activity_or_404(path.activity_id)
    user = current_actor()
    items = [ParticipationOut(id=row.participation.id or 0, student_id=row.student.id or 0,
                              student_number=row.student.student_number,
                              school_id=row.school.id or 0,
                              attendance=row.participation.attendance.value)
             for row in participants(session=get_session(), activity=activity)
             if can_view_student(user, row.student)
             or can_mark_attendance(user, activity, row.student)]
    found, cursor = page_of_list(items, query)
    return ParticipationPage(items=found, next_cursor=cursor).model_dump(mode="json")


@bp.post("/activities/<int:activity_id>/participations",
         responses={200: WriteSummary, 201: WriteSummary})
def register(path: ActivityPath, body: RegistrationIn, header: IdempotencyHeader):
    """Register students, a class, or both, and record attendance: the participations import
    of these rows. A student already registered is kept (attendance updated when given)."""
    del header  # read by replayed_or; declared for the description
    return replayed_or(lambda: _register(path, body))


def _register(path: ActivityPath, body: RegistrationIn):
    activity = get_activity_or_404(path.activity_id)
    api_rows.check_kind(user=current_actor(), kind="participations")  # 403 before any 422
    session = get_session()
    cells = [{"activity_code": activity.code, "student_number": item.student_number,
              "school_code": item.school_code, "attended": rows.text(item.attended)}
             for item in body.students]
    if body.school_class is not None:
        school = get_school_or_404(body.school_class.school_id)
        cells += [{"activity_code": activity.code, "student_number": student.student_number,
                   "school_code": school.code, "attended": None}
                  for student in class_students(session=session, school=school,
                                                class_name=body.school_class.class_name)]
    if not cells:
        raise ApiProblem(422, _("Name students, a class, or both."), type_=VALIDATION,
                         errors=[FieldError(field="students",
                                            message=_("Name students, a class, or both."))])
    report = rows.check(api_rows.import_rows(session=session, kind="participations",
                                             rows=cells, user=current_actor()),
                        list_field="students")
    return _summary(report)


@bp.get("/activities/<int:activity_id>/observations", responses={200: ObservationPage})
def list_observations(path: ActivityPath, query: PageQuery):
    """The observations made at the activity that the token's account may read."""
    activity = get_activity_or_404(path.activity_id)
    user = current_actor()
    items = [ObservationOut(id=row.observation.id or 0, student_id=row.student.id or 0,
                            student_number=row.student.student_number,
                            observer_id=row.observation.observer_id,
                            strength=row.observation.strength, skills=row.observation.skills,
                            note=row.observation.note, observed_on=row.observation.observed_on,
                            themes=[theme.slug for theme in row.themes])
             for row in observations_at(session=get_session(), activity=activity)
             if can_read_observation(user, row.observation, row.student)]
    found, cursor = page_of_list(items, query)
    return ObservationPage(items=found, next_cursor=cursor).model_dump(mode="json")


@bp.post("/activities/<int:activity_id>/observations",
         responses={200: WriteSummary, 201: WriteSummary})
def record_observations(path: ActivityPath, body: ObservationsIn, header: IdempotencyHeader):
    """Record observations: the observations import of these rows. One per activity,
    student and observer: sent again, it is updated (its history kept), not doubled."""
    del header  # read by replayed_or; declared for the description
    return replayed_or(lambda: _record_observations(path, body))


def _record_observations(path: ActivityPath, body: ObservationsIn):
    activity = get_activity_or_404(path.activity_id)
    user = current_actor()
    cells = [{**{name: rows.text(value) for name, value in item.model_dump().items()},
              "activity_code": activity.code,
              "observer_email": item.observer_email or user.email}
             for item in body.observations]
    report = rows.check(api_rows.import_rows(session=get_session(), kind="observations",
                                             rows=cells, user=user),
                        list_field="observations")
    return _summary(report)
