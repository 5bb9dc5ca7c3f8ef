"""Talent without interest: a counsellor's list of students to invite to see technology."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session
from app.models import Role, School
from app.permissions import (
    can_view_talent_gap,
    current_actor,
    get_invitation_or_404,
    require_role,
    school_in_scope_or_404,
)
from app.services import choices
from app.services import talent_gap as service
from app.services.activities import RegistrationError
from app.web.talent_gap.forms import InviteForm
from app.web.ui.query_params import int_arg, to_int

bp = Blueprint("talent_gap", __name__, url_prefix="/talent")




def _school() -> School | None:
    """The counsellor's own school; for an admin the one chosen (None: not yet)."""
    return school_in_scope_or_404(current_actor(), int_arg("school", args=request.values),
                                  can_view_talent_gap)


@bp.route("/")
@require_role(Role.counsellor, Role.admin)
def index():
    session = get_session()
    school = _school()
    schools = []
    if current_user.role is Role.admin:
        schools = choices.schools_with_regions(session=session)
    data = service.talent_without_interest(session=session, school=school) if school else None
    return render_template("talent_gap/index.html", data=data, school=school, schools=schools,
                           form=InviteForm(formdata=None))


@bp.route("/invite", methods=["POST"])
@require_role(Role.counsellor, Role.admin)
def invite():
    session = get_session()
    user = current_actor()
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Choose an activity to invite the student to."), "error")
        return redirect(url_for(".index", school=to_int(request.form.get("school"))))
    student, activity = get_invitation_or_404(to_int(form.student_id.data),
                                              form.activity_id.data)
    back = redirect(url_for(".index", school=student.school_id if user.role is Role.admin else None,
                            _anchor=f"student-{student.id}"))
    try:
        added = service.invite(session=session, activity=activity, student=student, by=user)
    except RegistrationError as error:
        flash(str(error), "error")
        return back
    if added:
        flash(_("%(name)s is registered for %(activity)s and has been told.",
                name=student.display_name, activity=activity.title), "success")
    else:
        flash(_("%(name)s was already registered.", name=student.display_name), "info")
    return back
