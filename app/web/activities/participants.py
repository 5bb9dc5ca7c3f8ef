"""Changing who takes part in an activity, their attendance, and who observes there."""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _
from flask_login import login_required

from app.db import get_session
from app.models import Attendance, School
from app.permissions import (
    attendance_school_ids,
    current_actor,
    get_activity_or_404,
    get_attendee_or_404,
    get_managed_activity_or_404,
    get_observer_or_404,
    get_registered_student_or_404,
    registrable_student,
    related,
)
from app.services import activities as service
from app.services import attendance
from app.web.activities.detail import (
    attendance_groups,
    back_to,
    class_choices,
    everyone_choices,
    render_detail,
)
from app.web.activities.forms import (
    AttendanceForm,
    EveryoneAttendedForm,
    ObserverForm,
    RegisterClassForm,
    RegisterStudentForm,
)
from app.web.activities.views import bp
from app.web.ui.fields import attach_error
from app.web.ui.forms import ConfirmForm


@bp.route("/<int:activity_id>/participants", methods=["POST"])
@login_required
def register_student(activity_id: int):
    session = get_session()
    user = current_actor()
    activity = get_managed_activity_or_404(activity_id)
    form = RegisterStudentForm()
    if form.validate_on_submit():
        student = registrable_student(activity, form.student.data)
        if student is None:
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
                return back_to(activity, "participants")
    return render_detail(activity, student_form=form)


@bp.route("/<int:activity_id>/participants/class", methods=["POST"])
@login_required
def register_class(activity_id: int):
    session = get_session()
    user = current_actor()
    activity = get_managed_activity_or_404(activity_id)
    form = RegisterClassForm()
    form.class_ref.choices = class_choices(user, activity)
    if form.validate_on_submit():
        school_id, _sep, class_name = form.class_ref.data.partition(":")
        school = related(School, int(school_id))  # a choice the form offered this user
        try:
            result = service.register_class(session=session, activity=activity, school=school,
                                            class_name=class_name, by=user)
        except service.RegistrationError as error:
            attach_error(form, error, fallback="class_ref")
        else:
            flash(result.message, "success" if result.added else "info")
            return back_to(activity, "participants")
    return render_detail(activity, class_form=form)


@bp.route("/<int:activity_id>/participants/<int:student_id>/remove", methods=["POST"])
@login_required
def unregister_student(activity_id: int, student_id: int):
    session = get_session()
    activity = get_managed_activity_or_404(activity_id)
    student = get_registered_student_or_404(activity, student_id)
    if ConfirmForm().validate_on_submit():
        try:
            service.unregister_student(session=session, activity=activity, student=student)
        except service.RegistrationError as error:
            flash(str(error), "error")
        else:
            flash(_("%(name)s is no longer registered.", name=student.display_name), "success")
    return back_to(activity, "participants")


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
                attendance=form.attendance.data or "", by=current_actor())
        except attendance.AttendanceError as error:
            flash(str(error), "error")
        else:
            if participation.attendance is Attendance.attended:
                flash(_("%(name)s is marked as attended.", name=student.display_name),
                      "success")
            else:
                flash(_("%(name)s is marked as absent.", name=student.display_name), "success")
    return back_to(activity, f"participant-{student.id}")


@bp.route("/<int:activity_id>/attendance", methods=["POST"])
@login_required
def everyone_attended(activity_id: int):
    user = current_actor()
    activity = get_activity_or_404(activity_id)
    school_ids = attendance_school_ids(user, activity)
    if school_ids == []:
        abort(404)
    groups = attendance_groups(user, activity, service.participants(session=get_session(),
                                                                     activity=activity))
    form = EveryoneAttendedForm()
    form.group.choices = everyone_choices(user, activity, groups)
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
        return back_to(activity, "participants")
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
            return back_to(activity, "observers")
    return render_detail(activity, observer_form=form)


@bp.route("/<int:activity_id>/observers/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_observer(activity_id: int, user_id: int):
    session = get_session()
    activity = get_managed_activity_or_404(activity_id)
    observer = get_observer_or_404(activity, user_id)
    if ConfirmForm().validate_on_submit():
        service.remove_observer(session=session, activity=activity, user=observer)
        flash(_("%(name)s is no longer an observer here.", name=observer.display_name),
              "success")
    return back_to(activity, "observers")
