"""An activity's page: who takes part, their attendance, the observers, the observations."""

from __future__ import annotations

from collections import Counter

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import Attendance, School, User
from app.permissions import (
    can_manage_activity,
    can_mark_attendance,
    can_observe,
    can_read_observation,
    can_register_student,
    can_view_student,
    current_actor,
    get_activity_or_404,
    registrable_school_ids,
)
from app.services import activities as service
from app.services import attendance
from app.services.details import activity_detail
from app.services.observations import observations_at
from app.web.activities.forms import (
    AttendanceForm,
    EveryoneAttendedForm,
    ObserverForm,
    RegisterClassForm,
    RegisterStudentForm,
)
from app.web.activities.views import bp
from app.web.ui.forms import ConfirmForm
from app.web.ui.query_params import text_arg

# The register-a-student list shows at most this many; a search narrows it.
STUDENT_LIST_LIMIT = 200


def class_choices(user: User, activity) -> list[SelectChoice]:
    rows = service.classes(session=get_session(),
                           school_ids=registrable_school_ids(user, activity))
    several_schools = len({row.school.id for row in rows}) > 1
    choices = []
    for row in rows:
        size = ngettext("%(num)s student", "%(num)s students", row.students)
        choices.append(SelectChoice(f"{row.school.id}:{row.class_name}",
                                    f"{row.class_name} ({size})",
                                    optgroup=row.school.name if several_schools else None))
    return choices


def attendance_groups(user: User, activity, rows) -> dict[str, tuple[School, str]]:
    """The classes among the participants ``user`` may mark, by form value."""
    groups: dict[str, tuple[School, str]] = {}
    for row in rows:
        if row.student.class_name and can_mark_attendance(user, activity, row.student):
            groups.setdefault(f"{row.school.id}:{row.student.class_name}",
                              (row.school, row.student.class_name))
    return groups


def everyone_choices(user: User, activity, groups: dict[str, tuple[School, str]]
                      ) -> list[SelectChoice]:
    everyone = (_("Everyone still registered") if can_manage_activity(user, activity)
                else _("Everyone of your school still registered"))
    several_schools = len({school.id for school, _name in groups.values()}) > 1
    return [SelectChoice("", everyone), *[
        SelectChoice(value, _("Class %(cls)s", cls=name),
                     optgroup=school.name if several_schools else None)
        for value, (school, name) in groups.items()]]


def _participant_context(user: User, activity, manage: bool, everyone_form) -> dict:
    """Who takes part, their attendance and the observations, for organisers and observers."""
    session = get_session()
    rows = service.participants(session=session, activity=activity)
    context = {
        "participants": rows,
        "counts": Counter(row.participation.attendance for row in rows),
        "statuses": (Attendance.attended, Attendance.absent, Attendance.registered),
        "markable": {row.student.id for row in rows
                     if can_mark_attendance(user, activity, row.student)},
        "observations": [row for row in observations_at(session=session, activity=activity)
                         if can_read_observation(user, row.observation, row.student)],
        "full_names": {row.student.id for row in rows
                       if manage or can_view_student(user, row.student)},
        "linked": {row.student.id for row in rows if can_view_student(user, row.student)},
    }
    if attendance.has_begun(activity) and context["markable"]:
        everyone_form = everyone_form or EveryoneAttendedForm()
        everyone_form.group.choices = everyone_choices(
            user, activity, attendance_groups(user, activity, rows))
        context.update(everyone_form=everyone_form, attendance_form=AttendanceForm())
    return context


def _student_form(user: User, activity, student_form) -> tuple[RegisterStudentForm, str, bool]:
    """The register-a-student form with the students this user may register, found by the
    search in ``q``; also the search and whether more students matched than are listed."""
    query = text_arg("q", max_length=80)
    candidates, more = service.registrable_students(
        session=get_session(), activity=activity,
        school_ids=registrable_school_ids(user, activity), query=query,
        limit=STUDENT_LIST_LIMIT)
    student_form = student_form or RegisterStudentForm()
    several_schools = len({school.id for _s, school in candidates}) > 1
    student_form.student.choices = [SelectChoice("", _("Choose a student"))] + [
        SelectChoice(s.id, " · ".join(filter(None, [
            f"{s.display_name} ({s.student_number})", s.class_name])),
            optgroup=school.name if several_schools else None)
        for s, school in candidates]
    return student_form, query, more


def _organiser_context(user: User, activity, participants, *, student_form, class_form,
                       observer_form) -> dict:
    """The forms to register students and classes and to assign observers."""
    student_form, query, more = _student_form(user, activity, student_form)
    class_form = class_form or RegisterClassForm()
    class_form.class_ref.choices = [SelectChoice("", _("Choose a class")),
                                    *class_choices(user, activity)]
    return {
        "query": query, "more_students": more, "student_form": student_form,
        "class_form": class_form, "observer_form": observer_form or ObserverForm(),
        "observers": service.observers(session=get_session(), activity=activity),
        "confirm_form": ConfirmForm(),
        "removable": {row.student.id for row in participants
                      if can_register_student(user, activity, row.student)},
        "free": (None if activity.capacity is None
                 else max(0, activity.capacity - len(participants)))}


def render_detail(activity, *, student_form=None, class_form=None, observer_form=None,
                  everyone_form=None):
    session = get_session()
    user = current_actor()
    manage = can_manage_activity(user, activity)
    observe = can_observe(user, activity)
    context = {"data": activity_detail(session=session, activity=activity),
               "manage": manage, "observe": observe, "participants": [],
               "observations": [], "query": "", "begun": attendance.has_begun(activity),
               "markable": set()}
    if manage or observe:
        context.update(_participant_context(user, activity, manage, everyone_form))
    if manage:
        context.update(_organiser_context(
            user, activity, context["participants"], student_form=student_form,
            class_form=class_form, observer_form=observer_form))
    return render_template("activities/detail.html", **context)


@bp.route("/<int:activity_id>")
@login_required
def detail(activity_id: int):
    return render_detail(get_activity_or_404(activity_id))


def back_to(activity, anchor: str):
    return redirect(url_for(".detail", activity_id=activity.id, _anchor=anchor))
