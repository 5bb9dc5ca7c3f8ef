"""Counsellors (for their school) and admins (for any) see where each student's account stands
and give access: invitations by e-mail for a student, a class or the whole school, and a
printed sheet of one-time codes for a class without e-mail."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.db import get_session
from app.models import Role, School
from app.permissions import (
    can_manage_students_of,
    current_actor,
    get_managed_student_or_404,
    get_school_or_404,
    require_role,
)
from app.services import access, accounts
from app.web.invitations.forms import PrintCodesForm, SendInvitationsForm
from app.web.invitations.views import bp
from app.web.ui.query_params import text_arg, to_int

CLASS_NAME_MAX = 20


def _managed_school_or_404(school_id: int) -> School:
    school = get_school_or_404(school_id)
    if not can_manage_students_of(current_actor(), school):
        abort(404)
    return school


@bp.route("/invitations/schools/<int:school_id>")
@require_role(Role.counsellor, Role.admin)
def school(school_id: int):
    school = _managed_school_or_404(school_id)
    session = get_session()
    return render_template(
        "invitations/school.html", school=school,
        classes=access.class_rows(session=session, school=school),
        staff=access.staff_of(session=session, school=school),
        send_form=SendInvitationsForm(formdata=None))


@bp.route("/invitations/schools/<int:school_id>/class")
@require_role(Role.counsellor, Role.admin)
def school_class(school_id: int):
    school = _managed_school_or_404(school_id)
    name = text_arg("name", max_length=CLASS_NAME_MAX)
    rows = access.students_access(session=get_session(), school=school, class_name=name)
    return render_template(
        "invitations/class.html", school=school, class_name=name, rows=rows,
        send_form=SendInvitationsForm(formdata=None), codes_form=PrintCodesForm(formdata=None),
        code_days=access.CODE_DAYS)


def _outcome_message(outcome: access.InviteOutcome) -> str:
    parts = []
    if outcome.invited:
        parts.append(ngettext("%(num)s invitation sent.", "%(num)s invitations sent.",
                              len(outcome.invited)))
    if outcome.recently:
        parts.append(ngettext("%(num)s was invited less than an hour ago and is left out.",
                              "%(num)s were invited less than an hour ago and are left out.",
                              len(outcome.recently)))
    if outcome.no_mailbox:
        parts.append(ngettext("%(num)s has no e-mail address: print a code for them.",
                              "%(num)s have no e-mail address: print codes for them.",
                              len(outcome.no_mailbox)))
    if outcome.has_password:
        parts.append(ngettext("%(num)s already has a password.",
                              "%(num)s already have a password.", len(outcome.has_password)))
    if not parts:
        parts.append(_("There is nobody to invite: no account here is waiting for a password."))
    return " ".join(parts)


def _invite(form: SendInvitationsForm, school: School) -> tuple[access.InviteOutcome, str]:
    """Send what the form asks for; the outcome, and the page to go back to."""
    session, user = get_session(), current_actor()
    class_name = form.class_name.data or ""
    if form.scope.data == "student":
        student_id = to_int(form.student.data)
        if student_id is None:
            abort(404)
        student = get_managed_student_or_404(student_id)
        if student.school_id != school.id:
            abort(404)
        row = access.student_access(session=session, student=student)
        outcome = access.invite(session=session, users=[row.user] if row.user else [],
                                invited_by=user)
        return outcome, url_for("students.detail", student_id=student.id)
    if form.scope.data == "class":
        outcome = access.invite_students(session=session, school=school,
                                         class_name=class_name, invited_by=user)
        return outcome, url_for(".school_class", school_id=school.id, name=class_name)
    outcome = access.invite_students(session=session, school=school, class_name=None,
                                     invited_by=user)
    return outcome, url_for(".school", school_id=school.id)


@bp.route("/invitations/schools/<int:school_id>/send", methods=["POST"])
@require_role(Role.counsellor, Role.admin)
def send(school_id: int):
    school = _managed_school_or_404(school_id)
    form = SendInvitationsForm()
    back = url_for(".school", school_id=school.id)
    if not form.validate_on_submit():
        flash(_("Nothing was sent: the form was not complete. Try again."), "error")
        return redirect(back)
    try:
        outcome, back = _invite(form, school)
    except access.AccessError as error:
        flash(str(error), "error")
    else:
        flash(_outcome_message(outcome), "success" if outcome.invited else "info")
    return redirect(back)


@bp.route("/invitations/schools/<int:school_id>/codes", methods=["POST"])
@require_role(Role.counsellor, Role.admin)
def codes(school_id: int):
    school = _managed_school_or_404(school_id)
    form = PrintCodesForm()
    if not form.validate_on_submit():
        flash(_("No codes were made: the form was not complete. Try again."), "error")
        return redirect(url_for(".school", school_id=school.id))
    class_name = form.class_name.data or ""
    try:
        sheet = access.issue_codes(session=get_session(), school=school,
                                   class_name=class_name, created_by=current_actor())
    except access.AccessError as error:
        flash(str(error), "error")
        return redirect(url_for(".school", school_id=school.id))
    # The sheet is for the counsellor who asked: the address they reach the site at will do
    # when BASE_URL is not set.
    site = access.site_address() or request.host_url.rstrip("/")
    return render_template("invitations/sheet.html", sheet=sheet, site=site,
                           min_password=accounts.MIN_PASSWORD_LENGTH)


@bp.app_template_global("student_account")
def student_account(student) -> access.StudentAccess:
    """Where a student's account stands, for the button on their page (app/templates/students
    /detail.html shows it to those who manage the student)."""
    return access.student_access(session=get_session(), student=student)
