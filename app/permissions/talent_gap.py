"""Talent without interest: who sees the list and invites from it."""

from __future__ import annotations

from datetime import date

from flask import abort

from app.db import get_session
from app.models import (
    Activity,
    Role,
    School,
    StudentProfile,
    User,
)
from app.models.lifecycle import EXPOSURE_KINDS
from app.permissions.activities import can_register_student
from app.permissions.base import current_actor

from ..models.base import local_today


def can_view_talent_gap(user: User, school: School) -> bool:
    """The list of a school's students with talent but little stated interest: the school's
    own counsellors, and admins."""
    if user.role is Role.admin:
        return True
    return user.role is Role.counsellor and school.id == user.school_id


def can_invite_to_activity(user: User, activity: Activity, student: StudentProfile,
                           today: date | None = None) -> bool:
    """Register one of their students for an upcoming exposure activity (Girlsday, a company
    visit, a guest lesson ...) of the school's region: the student's own counsellor, also when
    the region organises it; and whoever may register the student there anyway."""

    if student.anonymised_at is not None:
        return False
    if activity.kind not in EXPOSURE_KINDS or activity.starts_on < (today or local_today()):
        return False
    if user.role is Role.counsellor and student.school_id == user.school_id:
        school = get_session().get(School, student.school_id)
        return school is not None and activity.region_id == school.region_id
    return can_register_student(user, activity, student)


def get_invitation_or_404(student_id: int | None,
                          activity_id: int | None) -> tuple[StudentProfile, Activity]:
    """The student and activity of an invitation from the talent list, if this user may send
    it: the student's school is theirs to see and the activity one they may invite to."""
    user = current_actor()
    session = get_session()
    student = session.get(StudentProfile, student_id) if student_id is not None else None
    activity = session.get(Activity, activity_id) if activity_id is not None else None
    school = session.get(School, student.school_id) if student else None
    if student is None or activity is None or school is None \
            or not can_view_talent_gap(user, school) \
            or not can_invite_to_activity(user, activity, student):
        abort(404)
    return student, activity
