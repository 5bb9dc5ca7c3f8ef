"""A student's page (talent record), and what their school does for them: consent, deletion."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.db import get_session
from app.models import ConsentGiver, Role
from app.permissions import (
    can_manage_student,
    get_managed_student_or_404,
    get_student_or_404,
    own_student_profile,
    require_role,
)
from app.services import students
from app.services.details import student_detail
from app.web.students.forms import ConsentForm
from app.web.ui.forms import ConfirmForm

from ...models.base import local_today

bp = Blueprint("students", __name__, url_prefix="/students")


@bp.route("/<int:student_id>")
@login_required
def detail(student_id: int):
    session = get_session()
    student = get_student_or_404(student_id)
    manages = can_manage_student(current_user, student)
    return render_template(
        "students/detail.html",
        data=student_detail(session=session, student=student),
        record=students.talent_record(session=session, student=student),
        manages=manages,
        needs_consent=students.may_be_under_consent_age(student, local_today()),
        consent=students.active_consent(session=session, student=student),
        consents=students.consent_history(session=session, student=student) if manages else [],
        consent_form=ConsentForm() if manages else None,
        confirm_form=ConfirmForm() if manages else None,
        share_form=ConfirmForm(),
    )


@bp.route("/<int:student_id>/consent", methods=["POST"])
@login_required
def record_consent(student_id: int):
    student = get_managed_student_or_404(student_id)
    form = ConsentForm()
    if form.validate_on_submit():
        try:
            students.record_consent(
                session=get_session(), student=student, recorded_by=current_user,
                given_by=ConsentGiver(form.given_by.data),
                given_by_name=form.given_by_name.data or "", note=form.note.data or "")
        except students.StudentError as error:
            flash(str(error), "error")
        else:
            flash(_("Consent recorded."), "success")
    else:
        flash(_("Check the consent form and try again."), "error")
    return redirect(url_for("students.detail", student_id=student.id, _anchor="consent"))


@bp.route("/<int:student_id>/consent/withdraw", methods=["POST"])
@login_required
def withdraw_consent(student_id: int):
    student = get_managed_student_or_404(student_id)
    if ConfirmForm().validate_on_submit():
        try:
            students.withdraw_consent(session=get_session(), student=student,
                                      withdrawn_by=current_user)
        except students.StudentError as error:
            flash(str(error), "error")
        else:
            flash(_("Consent withdrawn. Companies no longer see this student."), "success")
    return redirect(url_for("students.detail", student_id=student.id, _anchor="consent"))


@bp.route("/deletions")
@require_role(Role.counsellor, Role.admin)
def deletions():
    school_id = None if current_user.role is Role.admin else current_user.school_id
    pending = students.pending_deletions(session=get_session(), school_id=school_id)
    return render_template("students/deletions.html", pending=pending, form=ConfirmForm())


@bp.route("/<int:student_id>/anonymise", methods=["POST"])
@login_required
def anonymise(student_id: int):
    student = get_managed_student_or_404(student_id)
    if ConfirmForm().validate_on_submit():
        students.anonymise_student(session=get_session(), student=student)
        flash(_("The student's personal data is deleted; the programme's counts stay."),
              "success")
    return redirect(url_for("students.deletions"))


@bp.route("/me/observations/<int:observation_id>/share", methods=["POST"])
@require_role(Role.student)
def share_observation(observation_id: int):
    profile = own_student_profile(current_user)
    form = ConfirmForm()
    if profile is None or not form.validate_on_submit():
        abort(404)
    shared = request.form.get("shared") == "1"
    try:
        students.set_observation_shared(session=get_session(), student=profile,
                                        observation_id=observation_id, shared=shared)
    except students.StudentError:
        abort(404)
    flash(_("Companies you are sent to can read this observation.") if shared
          else _("Companies can no longer read this observation."), "success")
    return redirect(url_for("students.detail", student_id=profile.id, _anchor="record"))
