"""Who takes part: registering students (one by one or a whole class) within the capacity,
and undoing a registration made by mistake."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, col, func, select

from ...models import Activity, Participation, School, StudentProfile, TalentObservation, User
from ..rows import id_of
from .rules import RegistrationError


@dataclass(frozen=True)
class RegistrationResult:
    added: int
    skipped: int

    @property
    def message(self) -> str:
        if not self.added:
            return ngettext("%(num)s student was already registered; nobody was added.",
                            "All %(num)s students were already registered; nobody was added.",
                            self.skipped)
        text = ngettext("%(num)s student registered.", "%(num)s students registered.",
                        self.added)
        if self.skipped:
            text += " " + ngettext("%(num)s was already registered and was skipped.",
                                   "%(num)s were already registered and were skipped.",
                                   self.skipped)
        return text


def participant_count(*, session: Session, activity: Activity) -> int:
    return session.exec(select(func.count()).select_from(Participation)
                        .where(Participation.activity_id == activity.id)).one()


def _lock(session: Session, activity: Activity) -> int | None:
    """Take the activity's write lock until commit; returns its current capacity.

    A no-op UPDATE locks the row on PostgreSQL and takes the write lock on SQLite, so two
    registrations for the same activity run one after the other and the second counts the
    first one's participants.
    """
    session.exec(sa.update(Activity).where(col(Activity.id) == activity.id)
                 .values(capacity=Activity.capacity)
                 .execution_options(synchronize_session=False))
    return session.exec(select(Activity.capacity).where(Activity.id == activity.id)).one()


def register_students(*, session: Session, activity: Activity,
                      students: Iterable[StudentProfile],
                      by: User | None = None) -> RegistrationResult:
    """Register students for the activity; those already registered are skipped.

    A registration is not attendance: whether they came is marked once the activity has
    begun (:func:`app.services.attendance.set_attendance`).

    Never exceeds the capacity: if more new students are given than there are free places,
    nobody is registered.
    """
    students = list(students)
    ids = list(dict.fromkeys(id_of(s) for s in students))
    if not ids:
        raise RegistrationError(_("Choose at least one student to register."), field="student")
    if any(s.anonymised_at is not None for s in students):
        raise RegistrationError(_("The personal data of one of these students was deleted; "
                                  "they cannot take part in new activities."),
                                field="student")
    capacity = _lock(session, activity)
    try:
        existing = set(session.exec(
            select(Participation.student_id).where(Participation.activity_id == activity.id,
                                                   col(Participation.student_id).in_(ids))).all())
        new = [i for i in ids if i not in existing]
        if capacity is not None and new:
            free = max(0, capacity - participant_count(session=session, activity=activity))
            if free == 0:
                raise RegistrationError(ngettext(
                    "The activity is full (%(num)s place). Nobody was registered; raise the "
                    "capacity to add more.",
                    "The activity is full (%(num)s places). Nobody was registered; raise the "
                    "capacity to add more.", capacity))
            if len(new) > free:
                raise RegistrationError(ngettext(
                    "Only %(num)s place is free, not enough for %(count)s students. Nobody "
                    "was registered: choose fewer students or raise the capacity.",
                    "Only %(num)s places are free, not enough for %(count)s students. Nobody "
                    "was registered: choose fewer students or raise the capacity.",
                    free, count=len(new)))
        for student_id in new:
            session.add(Participation(activity_id=id_of(activity), student_id=student_id,
                                      registered_by_id=by.id if by else None))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return RegistrationResult(added=len(new), skipped=len(ids) - len(new))


def class_students(*, session: Session, school: School, class_name: str) -> list[StudentProfile]:
    """The current students of one class (deleted accounts left out)."""
    return list(session.exec(
        select(StudentProfile).where(StudentProfile.school_id == school.id,
                                     StudentProfile.class_name == class_name,
                                     col(StudentProfile.anonymised_at).is_(None))
        .order_by(col(StudentProfile.last_name), col(StudentProfile.first_name),
                  col(StudentProfile.id))
    ).all())


def register_class(*, session: Session, activity: Activity, school: School, class_name: str,
                   by: User | None = None) -> RegistrationResult:
    """Register every student of a class of ``school`` at once (capacity rules as above)."""
    class_name = (class_name or "").strip()
    if not class_name:
        raise RegistrationError(_("Choose a class."), field="class_ref")
    students = class_students(session=session, school=school, class_name=class_name)
    if not students:
        raise RegistrationError(_("Class %(cls)s of %(school)s has no students.",
                                  cls=class_name, school=school.name), field="class_ref")
    return register_students(session=session, activity=activity, students=students, by=by)


def unregister_student(*, session: Session, activity: Activity,
                       student: StudentProfile) -> None:
    """Remove a registration made by mistake; not once the student has been observed there."""
    participation = session.exec(select(Participation).where(
        Participation.activity_id == activity.id,
        Participation.student_id == student.id)).first()
    if participation is None:
        raise RegistrationError(_("%(name)s is not registered for this activity.",
                                  name=student.first_name))
    observed = session.exec(select(func.count()).select_from(TalentObservation).where(
        TalentObservation.activity_id == activity.id,
        TalentObservation.student_id == student.id)).one()
    if observed:
        raise RegistrationError(ngettext(
            "%(name)s cannot be unregistered: there is %(num)s observation of them at this "
            "activity.",
            "%(name)s cannot be unregistered: there are %(num)s observations of them at this "
            "activity.", observed, name=student.first_name))
    session.delete(participation)
    session.commit()
