"""Talent without interest: a counsellor's list of students to invite to see technology."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import select
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired

from ..db import get_session
from ..form_fields import Form
from ..models import Activity, Region, Role, School, StudentProfile
from ..permissions import can_invite_to_activity, can_view_talent_gap, require_role
from ..query_params import int_arg, to_int
from ..services import talent_gap as service
from ..services.activities import RegistrationError

bp = Blueprint("talent_gap", __name__, url_prefix="/talent")


class InviteForm(Form):
    student_id = HiddenField(validators=[DataRequired()])
    activity_id = IntegerField(_l("Activity"), validators=[DataRequired()])


def _school() -> School | None:
    """The counsellor's own school; for an admin the one chosen (None: not yet)."""
    session = get_session()
    user = current_user._get_current_object()
    if user.role is Role.counsellor:
        school = session.get(School, user.school_id) if user.school_id else None
        if school is None:
            abort(404)
        return school
    school_id = int_arg("school", args=request.values)
    school = session.get(School, school_id) if school_id else None
    if school_id and (school is None or not can_view_talent_gap(user, school)):
        abort(404)
    return school


@bp.route("/")
@require_role(Role.counsellor, Role.admin)
def index():
    session = get_session()
    school = _school()
    schools = []
    if current_user.role is Role.admin:
        schools = session.exec(select(School, Region).join(Region, Region.id == School.region_id)
                               .order_by(Region.name, School.name)).all()
    data = service.talent_without_interest(session=session, school=school) if school else None
    return render_template("talent_gap/index.html", data=data, school=school, schools=schools,
                           form=InviteForm(formdata=None))


@bp.route("/invite", methods=["POST"])
@require_role(Role.counsellor, Role.admin)
def invite():
    session = get_session()
    user = current_user._get_current_object()
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Choose an activity to invite the student to."), "error")
        return redirect(url_for(".index", school=to_int(request.form.get("school"))))
    student_id = to_int(form.student_id.data)
    student = session.get(StudentProfile, student_id) if student_id is not None else None
    activity = session.get(Activity, form.activity_id.data)
    school = session.get(School, student.school_id) if student else None
    if student is None or activity is None or school is None \
            or not can_view_talent_gap(user, school) \
            or not can_invite_to_activity(user, activity, student):
        abort(404)
    back = redirect(url_for(".index", school=school.id if user.role is Role.admin else None,
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
