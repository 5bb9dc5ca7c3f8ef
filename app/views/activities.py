"""Activities: the list, creating and editing, participants, attendance and observers."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlmodel import select
from wtforms.fields.choices import SelectChoice

from ..activity_forms import (
    ActivityForm,
    AttendanceForm,
    ConfirmForm,
    EveryoneAttendedForm,
    ObserverForm,
    RegisterClassForm,
    RegisterStudentForm,
)
from ..db import get_session
from ..form_fields import attach_error
from ..models import ActivityKind, Attendance, Region, Role, School, StudentProfile, User
from ..models.labels import theme_label
from ..permissions import (
    attendance_school_ids,
    can_manage_activity,
    can_mark_attendance,
    can_observe,
    can_read_observation,
    can_register_student,
    can_view_student,
    get_activity_or_404,
    get_attendee_or_404,
    get_managed_activity_or_404,
    registrable_school_ids,
    require_role,
    user_region_id,
)
from ..query_params import enum_arg, int_arg, text_arg
from ..services import activities as service
from ..services import attendance
from ..services.details import activity_detail
from ..services.observations import observations_at

bp = Blueprint("activities", __name__, url_prefix="/activities")

ORGANISERS = (Role.counsellor, Role.coordinator, Role.admin)
STUDENT_LIST_LIMIT = 200


# --- the list ---------------------------------------------------------------------------

@bp.route("/")
@require_role(*ORGANISERS)
def index():
    session = get_session()
    user = current_user._get_current_object()
    regions = []
    if user.role is Role.admin:
        regions = list(session.exec(select(Region).order_by(Region.name)).all())
        region_id = int_arg("region")
    else:
        region_id = user_region_id(user)
        if region_id is None:
            return render_template("activities/index.html", data=None, years=[], regions=[],
                                   filters={})
    years = service.school_years(session=session, region_id=region_id)
    year = request.args.get("year", "")
    year = year if year in years else None
    kind = enum_arg("kind", ActivityKind)
    data = service.list_activities(session=session, region_id=region_id, school_year=year,
                                   kind=kind, page=int_arg("page", 1))
    filters = {"year": year, "kind": kind.value if kind else None,
               "region": region_id if user.role is Role.admin else None}
    filters = {name: value for name, value in filters.items() if value}
    return render_template("activities/index.html", data=data, years=years, regions=regions,
                           filters=filters, kinds=list(ActivityKind))


# --- creating and editing ---------------------------------------------------------------

def _fill_activity_choices(form: ActivityForm, *, user: User, region_id: int | None) -> None:
    session = get_session()
    if user.role is Role.admin and region_id is None:
        regions = {r.id: r for r in session.exec(select(Region).order_by(Region.name)).all()}
        form.region_id.choices = [SelectChoice("", _("Choose a region")),
                                  *[SelectChoice(r.id, r.name) for r in regions.values()]]
        companies = sorted(service.region_companies(session=session, region_id=None),
                           key=lambda c: (regions[c.region_id].name, c.name, c.id))
        form.host_company_id.choices = [
            SelectChoice("", _("No host company")),
            *[SelectChoice(c.id, f"{c.name} · {c.place}", optgroup=regions[c.region_id].name)
              for c in companies]]
    else:
        del form.region_id
        companies = (service.region_companies(session=session, region_id=region_id)
                     if region_id is not None else [])
        form.host_company_id.choices = [
            SelectChoice("", _("No host company")),
            *[SelectChoice(c.id, f"{c.name} · {c.place}") for c in companies]]
    form.themes.choices = [SelectChoice(t.id, theme_label(t))
                           for t in service.all_themes(session=session)]


def _activity_values(form: ActivityForm) -> dict:
    return {
        "kind": form.kind.data, "pillar": form.pillar.data or None, "title": form.title.data,
        "description": form.description.data or "", "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data, "postcode": form.postcode.data,
        "host_company_id": form.host_company_id.data, "theme_ids": form.themes.data or [],
        "capacity": form.capacity.data,
    }


@bp.route("/new", methods=["GET", "POST"])
@require_role(*ORGANISERS)
def new():
    session = get_session()
    user = current_user._get_current_object()
    region_id = None if user.role is Role.admin else user_region_id(user)
    form = ActivityForm()
    _fill_activity_choices(form, user=user, region_id=region_id)
    if request.method == "GET" and request.args.get("kind") in {k.value for k in ActivityKind}:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        chosen_region = form.region_id.data if "region_id" in form else None
        try:
            activity = service.create_activity(session=session, user=user,
                                               region_id=chosen_region,
                                               **_activity_values(form))
        except service.ActivityError as error:
            attach_error(form, error)
        else:
            flash(_("Activity “%(title)s” is created. Now register who takes part.",
                    title=activity.title), "success")
            return redirect(url_for(".detail", activity_id=activity.id))
    return render_template("activities/form.html", form=form, activity=None)


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int):
    session = get_session()
    activity = get_managed_activity_or_404(activity_id)
    data = {
        "kind": activity.kind.value, "pillar": activity.pillar.value, "title": activity.title,
        "description": activity.description, "starts_on": activity.starts_on,
        "ends_on": activity.ends_on, "postcode": activity.postcode,
        "host_company_id": activity.host_company_id, "capacity": activity.capacity,
        "themes": service.theme_ids_of(session=session, activity=activity),
    }
    form = ActivityForm(data=data)
    _fill_activity_choices(form, user=current_user, region_id=activity.region_id)
    if form.validate_on_submit():
        try:
            service.update_activity(session=session, activity=activity,
                                    **_activity_values(form))
        except service.ActivityError as error:
            attach_error(form, error)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".detail", activity_id=activity.id))
    return render_template("activities/form.html", form=form, activity=activity)


# --- the detail page --------------------------------------------------------------------

def _class_choices(user: User, activity) -> list[SelectChoice]:
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


def _attendance_groups(user: User, activity, rows) -> dict[str, tuple[School, str]]:
    """The classes among the participants ``user`` may mark, by form value."""
    groups: dict[str, tuple[School, str]] = {}
    for row in rows:
        if row.student.class_name and can_mark_attendance(user, activity, row.student):
            groups.setdefault(f"{row.school.id}:{row.student.class_name}",
                              (row.school, row.student.class_name))
    return groups


def _everyone_choices(user: User, activity, groups: dict[str, tuple[School, str]]
                      ) -> list[SelectChoice]:
    everyone = (_("Everyone still registered") if can_manage_activity(user, activity)
                else _("Everyone of your school still registered"))
    several_schools = len({school.id for school, _name in groups.values()}) > 1
    return [SelectChoice("", everyone), *[
        SelectChoice(value, _("Class %(cls)s", cls=name),
                     optgroup=school.name if several_schools else None)
        for value, (school, name) in groups.items()]]


def render_detail(activity, *, student_form=None, class_form=None, observer_form=None,
                  everyone_form=None):
    session = get_session()
    user = current_user._get_current_object()
    manage = can_manage_activity(user, activity)
    observe = can_observe(user, activity)
    context = {"data": activity_detail(session=session, activity=activity),
               "manage": manage, "observe": observe, "participants": [],
               "observations": [], "query": "", "begun": attendance.has_begun(activity),
               "markable": set()}
    if manage or observe:
        context["participants"] = service.participants(session=session, activity=activity)
        rows = context["participants"]
        context["counts"] = Counter(row.participation.attendance for row in rows)
        context["statuses"] = (Attendance.attended, Attendance.absent, Attendance.registered)
        context["markable"] = {row.student.id for row in rows
                               if can_mark_attendance(user, activity, row.student)}
        if context["begun"] and context["markable"]:
            everyone_form = everyone_form or EveryoneAttendedForm()
            everyone_form.group.choices = _everyone_choices(
                user, activity, _attendance_groups(user, activity, rows))
            context.update(everyone_form=everyone_form, attendance_form=AttendanceForm())
        context["observations"] = [
            row for row in observations_at(session=session, activity=activity)
            if can_read_observation(user, row.observation, row.student)]
        context["full_names"] = {row.student.id for row in context["participants"]
                                 if manage or can_view_student(user, row.student)}
        context["linked"] = {row.student.id for row in context["participants"]
                             if can_view_student(user, row.student)}
    if manage:
        query = text_arg("q", max_length=80)
        candidates, more = service.registrable_students(
            session=session, activity=activity,
            school_ids=registrable_school_ids(user, activity), query=query,
            limit=STUDENT_LIST_LIMIT)
        student_form = student_form or RegisterStudentForm()
        several_schools = len({school.id for _s, school in candidates}) > 1
        student_form.student.choices = [SelectChoice("", _("Choose a student"))] + [
            SelectChoice(s.id, " · ".join(filter(None, [
                f"{s.display_name} ({s.student_number})", s.class_name])),
                optgroup=school.name if several_schools else None)
            for s, school in candidates]
        class_form = class_form or RegisterClassForm()
        class_form.class_ref.choices = [SelectChoice("", _("Choose a class")),
                                        *_class_choices(user, activity)]
        context.update(
            query=query, more_students=more, student_form=student_form,
            class_form=class_form, observer_form=observer_form or ObserverForm(),
            observers=service.observers(session=session, activity=activity),
            confirm_form=ConfirmForm(),
            removable={row.student.id for row in context["participants"]
                       if can_register_student(user, activity, row.student)},
            free=(None if activity.capacity is None
                  else max(0, activity.capacity - len(context["participants"]))))
    return render_template("activities/detail.html", **context)


@bp.route("/<int:activity_id>")
@login_required
def detail(activity_id: int):
    return render_detail(get_activity_or_404(activity_id))


def _back(activity, anchor: str):
    return redirect(url_for(".detail", activity_id=activity.id, _anchor=anchor))


@bp.route("/<int:activity_id>/participants", methods=["POST"])
@login_required
def register_student(activity_id: int):
    session = get_session()
    user = current_user._get_current_object()
    activity = get_managed_activity_or_404(activity_id)
    form = RegisterStudentForm()
    if form.validate_on_submit():
        student = session.get(StudentProfile, form.student.data)
        if student is None or not can_register_student(user, activity, student):
            form.student.errors = [*form.student.errors, _("Choose a student from the list.")]
        else:
            try:
                result = service.register_students(session=session, activity=activity,
                                                   students=[student], by=user)
            except service.RegistrationError as error:
                attach_error(form, error, fallback="student")
            else:
                if result.added:
                    flash(_("%(name)s is registered.", name=student.display_name), "success")
                else:
                    flash(_("%(name)s was already registered.", name=student.display_name),
                          "info")
                return _back(activity, "participants")
    return render_detail(activity, student_form=form)


@bp.route("/<int:activity_id>/participants/class", methods=["POST"])
@login_required
def register_class(activity_id: int):
    session = get_session()
    user = current_user._get_current_object()
    activity = get_managed_activity_or_404(activity_id)
    form = RegisterClassForm()
    form.class_ref.choices = _class_choices(user, activity)
    if form.validate_on_submit():
        school_id, _sep, class_name = form.class_ref.data.partition(":")
        school = session.get(School, int(school_id))
        try:
            result = service.register_class(session=session, activity=activity, school=school,
                                            class_name=class_name, by=user)
        except service.RegistrationError as error:
            attach_error(form, error, fallback="class_ref")
        else:
            flash(result.message, "success" if result.added else "info")
            return _back(activity, "participants")
    return render_detail(activity, class_form=form)


@bp.route("/<int:activity_id>/participants/<int:student_id>/remove", methods=["POST"])
@login_required
def unregister_student(activity_id: int, student_id: int):
    session = get_session()
    user = current_user._get_current_object()
    activity = get_managed_activity_or_404(activity_id)
    student = session.get(StudentProfile, student_id)
    if student is None or not can_register_student(user, activity, student):
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            service.unregister_student(session=session, activity=activity, student=student)
        except service.RegistrationError as error:
            flash(str(error), "error")
        else:
            flash(_("%(name)s is no longer registered.", name=student.display_name), "success")
    return _back(activity, "participants")


@bp.route("/<int:activity_id>/attendance/<int:student_id>", methods=["POST"])
@login_required
def set_attendance(activity_id: int, student_id: int):
    activity = get_activity_or_404(activity_id)
    student = get_attendee_or_404(activity, student_id)
    form = AttendanceForm()
    if form.validate_on_submit():
        try:
            participation = attendance.set_attendance(
                session=get_session(), activity=activity, student=student,
                attendance=form.attendance.data or "", by=current_user._get_current_object())
        except attendance.AttendanceError as error:
            flash(str(error), "error")
        else:
            if participation.attendance is Attendance.attended:
                flash(_("%(name)s is marked as attended.", name=student.display_name),
                      "success")
            else:
                flash(_("%(name)s is marked as absent.", name=student.display_name), "success")
    return _back(activity, f"participant-{student.id}")


@bp.route("/<int:activity_id>/attendance", methods=["POST"])
@login_required
def everyone_attended(activity_id: int):
    user = current_user._get_current_object()
    activity = get_activity_or_404(activity_id)
    school_ids = attendance_school_ids(user, activity)
    if school_ids == []:
        abort(404)
    groups = _attendance_groups(user, activity, service.participants(session=get_session(),
                                                                     activity=activity))
    form = EveryoneAttendedForm()
    form.group.choices = _everyone_choices(user, activity, groups)
    if form.validate_on_submit():
        school, class_name = groups.get(form.group.data or "", (None, ""))
        try:
            result = attendance.everyone_attended(
                session=get_session(), activity=activity, by=user, school_ids=school_ids,
                school=school, class_name=class_name)
        except attendance.AttendanceError as error:
            # Not begun, or nobody left to mark: the form is not on the page then.
            flash(str(error), "error")
        else:
            flash(result.message, "success" if result.marked else "info")
        return _back(activity, "participants")
    return render_detail(activity, everyone_form=form)


@bp.route("/<int:activity_id>/observers", methods=["POST"])
@login_required
def assign_observer(activity_id: int):
    session = get_session()
    activity = get_managed_activity_or_404(activity_id)
    form = ObserverForm()
    if form.validate_on_submit():
        try:
            result = service.assign_observer(
                session=session, activity=activity, email=form.email.data,
                display_name=form.display_name.data or "", password=form.password.data or "")
        except service.ObserverError as error:
            attach_error(form, error, fallback="email")
        else:
            if result.created:
                flash(_("A talent scout account is made for %(name)s. Hand over the initial "
                        "password yourself: it is not sent by e-mail.",
                        name=result.user.display_name), "success")
            else:
                flash(_("%(name)s can now record observations at this activity.",
                        name=result.user.display_name), "success")
            return _back(activity, "observers")
    return render_detail(activity, observer_form=form)


@bp.route("/<int:activity_id>/observers/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_observer(activity_id: int, user_id: int):
    session = get_session()
    activity = get_managed_activity_or_404(activity_id)
    observer = session.get(User, user_id)
    if observer is None or not service.is_assigned(session=session, activity=activity,
                                                   user=observer):
        abort(404)
    if ConfirmForm().validate_on_submit():
        service.remove_observer(session=session, activity=activity, user=observer)
        flash(_("%(name)s is no longer an observer here.", name=observer.display_name),
              "success")
    return _back(activity, "observers")
