"""Attendance: whether the students registered for an activity came.

A participation is *registered* until the activity has begun; then the organiser or the
student's counsellor marks it *attended* or *absent*. Only attended counts as talent evidence
(:mod:`app.services.matching_data`), so nothing that has not happened is claimed. Who may mark
whom is decided by the views with :mod:`app.permissions`.

Keyword-only functions that validate, commit once, and raise an :class:`AttendanceError` whose
message says what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import (
    ATTENDANCE_MARKS,
    Activity,
    Attendance,
    Participation,
    School,
    StudentProfile,
    TalentObservation,
    User,
    utcnow,
)
from ..models.base import local_today
from .activities import ActivityError
from .matching import after_student_change
from .rows import id_of


class AttendanceError(ActivityError):
    """Attendance that cannot be set as asked."""


def has_begun(activity: Activity, today: date | None = None) -> bool:
    """Whether anyone can have attended yet: from the activity's first day on."""
    return activity.starts_on <= (today or local_today())


def _not_begun(activity: Activity) -> AttendanceError:
    return AttendanceError(_(
        "%(title)s starts on %(date)s: attendance can be recorded from that day on. Until "
        "then students are registered.", title=activity.title,
        date=format_date(activity.starts_on, "long")))


def _observed(session: Session, activity: Activity, student_ids: Iterable[int]) -> set[int]:
    return set(session.exec(select(TalentObservation.student_id).where(
        TalentObservation.activity_id == activity.id,
        col(TalentObservation.student_id).in_(list(student_ids)))).all())


def _mark(participation: Participation, attendance: Attendance, by: User | None) -> None:
    participation.attendance = attendance
    participation.attendance_set_by_id = by.id if by else None
    participation.attendance_set_at = utcnow()


def set_attendance(*, session: Session, activity: Activity, student: StudentProfile,
                   attendance: Attendance | str, by: User | None,
                   today: date | None = None) -> Participation:
    """Mark a registered student attended or absent, or correct that; only once the activity
    has begun. A student observed there was there: they cannot be marked absent."""
    try:
        mark = Attendance(attendance)
    except ValueError:
        raise AttendanceError(_("Choose attended or absent."), field="attendance") from None
    if mark not in ATTENDANCE_MARKS:
        raise AttendanceError(_("Choose attended or absent."), field="attendance")
    if not has_begun(activity, today):
        raise _not_begun(activity)
    participation = session.exec(select(Participation).where(
        Participation.activity_id == activity.id,
        Participation.student_id == student.id)).first()
    if participation is None:
        raise AttendanceError(_("%(name)s is not registered for this activity.",
                                name=student.first_name))
    if mark is Attendance.absent and _observed(session, activity, [id_of(student)]):
        raise AttendanceError(_(
            "%(name)s was observed at this activity, so they were there: they cannot be "
            "marked absent.", name=student.first_name))
    if participation.attendance is not mark:
        _mark(participation, mark, by)
        session.add(participation)
        session.commit()
        # What counts as evidence changed: a proposal waiting for review is scored anew.
        after_student_change(session=session, student_id=id_of(student))
    return participation


@dataclass(frozen=True)
class AttendanceResult:
    marked: int  # registered until now, attended now
    already: int  # attended before
    absent: int  # marked absent before, and left so

    @property
    def message(self) -> str:
        text = ngettext("%(num)s student marked as attended.",
                        "%(num)s students marked as attended.", self.marked)
        if self.already:
            text += " " + ngettext("%(num)s was already marked as attended.",
                                   "%(num)s were already marked as attended.", self.already)
        if self.absent:
            text += " " + ngettext(
                "%(num)s marked absent stays absent: change that one by one.",
                "%(num)s marked absent stay absent: change those one by one.", self.absent)
        return text


def everyone_attended(*, session: Session, activity: Activity, by: User | None,
                      school_ids: Sequence[int] | None = None, school: School | None = None,
                      class_name: str = "", today: date | None = None) -> AttendanceResult:
    """Mark every participant who is still registered as attended, in one go.

    ``school_ids`` limits it to the students of these schools (None: every participant, for
    the organiser); ``school`` and ``class_name`` to one class. Students marked absent stay
    absent: "everyone" means everyone not known to be missing.
    """
    if not has_begun(activity, today):
        raise _not_begun(activity)
    class_name = (class_name or "").strip()
    if school is not None and school_ids is not None and school.id not in school_ids:
        raise AttendanceError(_("You can mark the attendance of your own school's students "
                                "only."), field="group")
    query = (select(Participation)
             .join(StudentProfile, col(StudentProfile.id) == Participation.student_id)
             .where(Participation.activity_id == activity.id))
    if school_ids is not None:
        query = query.where(col(StudentProfile.school_id).in_(list(school_ids)))
    if school is not None:
        query = query.where(StudentProfile.school_id == school.id,
                            StudentProfile.class_name == class_name)
    rows = list(session.exec(query).all())
    if not rows:
        if school is not None:
            raise AttendanceError(_("Nobody of class %(cls)s is registered for this activity.",
                                    cls=class_name), field="group")
        raise AttendanceError(_("Nobody is registered for this activity yet."), field="group")
    result = AttendanceResult(
        marked=sum(p.attendance is Attendance.registered for p in rows),
        already=sum(p.attendance is Attendance.attended for p in rows),
        absent=sum(p.attendance is Attendance.absent for p in rows))
    marked = [p for p in rows if p.attendance is Attendance.registered]
    for participation in marked:
        _mark(participation, Attendance.attended, by)
        session.add(participation)
    if marked:
        session.commit()
    for participation in marked:
        after_student_change(session=session, student_id=participation.student_id)
    return result
