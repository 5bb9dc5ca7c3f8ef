"""Activities, attendance and observations: who organises, registers, marks and observes."""

from __future__ import annotations

from flask import abort
from sqlmodel import select

from app.db import get_session
from app.models import (
    Activity,
    ActivityObserver,
    Participation,
    Role,
    School,
    StudentProfile,
    TalentObservation,
    User,
)
from app.permissions.base import (
    current_actor,
    load_or_404,
    own_student_profile,
    user_company_ids,
    user_region_id,
)
from app.permissions.students import can_follow_school


def is_observer_of(user: User, activity: Activity) -> bool:
    """Assigned to record observations at this activity (a scout, a company host)."""
    return get_session().exec(
        select(ActivityObserver.user_id).where(
            ActivityObserver.activity_id == activity.id, ActivityObserver.user_id == user.id)
    ).first() is not None


def can_view_activity(user: User, activity: Activity) -> bool:
    if user.role is Role.admin:
        return True
    if user.role in (Role.counsellor, Role.coordinator):
        return activity.region_id == user_region_id(user)
    if user.role is Role.observer:
        return is_observer_of(user, activity)
    if user.role is Role.company:
        return (activity.host_company_id in user_company_ids(user)
                or is_observer_of(user, activity))
    if user.role is Role.student:
        profile = own_student_profile(user)
        return profile is not None and get_session().exec(
            select(Participation.id).where(
                Participation.activity_id == activity.id,
                Participation.student_id == profile.id,
            )
        ).first() is not None
    return False


def can_create_activity(user: User) -> bool:
    return user.role in (Role.counsellor, Role.coordinator, Role.admin)


def can_manage_activity(user: User, activity: Activity) -> bool:
    """Edit it, register participants, assign observers."""
    if user.role is Role.admin:
        return True
    if user.role is Role.coordinator:
        return activity.region_id == user.region_id
    if user.role is Role.counsellor:
        # A counsellor manages what their school organises, or what they created themselves.
        return activity.region_id == user_region_id(user) and (
            activity.school_id == user.school_id or activity.created_by_id == user.id)
    return False


def can_organise_at(user: User, school: School | None) -> bool:
    """The school an activity of this user may belong to (None: organised by the region)."""
    if user.role is Role.admin:
        return True
    if user.role is Role.counsellor:
        return school is not None and school.id == user.school_id
    if user.role is Role.coordinator:
        return school is None or school.region_id == user.region_id
    return False


def can_register_from_school(user: User, activity: Activity, school: School) -> bool:
    return can_manage_activity(user, activity) and can_follow_school(user, school)


def can_register_student(user: User, activity: Activity, student: StudentProfile) -> bool:
    school = get_session().get(School, student.school_id)
    return school is not None and can_register_from_school(user, activity, school)


def can_observe(user: User, activity: Activity) -> bool:
    """Record talent observations at this activity."""
    if user.role in (Role.admin, Role.counsellor, Role.coordinator):
        return can_view_activity(user, activity)
    if user.role in (Role.observer, Role.company):
        return is_observer_of(user, activity)
    return False


def can_mark_attendance(user: User, activity: Activity, student: StudentProfile) -> bool:
    """Mark a participant attended or absent: whoever manages the activity, or the student's
    own counsellor at an activity they can see."""
    if can_manage_activity(user, activity):
        return True
    return (user.role is Role.counsellor and student.school_id == user.school_id
            and can_view_activity(user, activity))


def attendance_school_ids(user: User, activity: Activity) -> list[int] | None:
    """Schools whose participants ``user`` may mark at ``activity``: None for every school
    (the organiser), their own school for another counsellor, none for anyone else. The list
    form of :func:`can_mark_attendance`."""
    if can_manage_activity(user, activity):
        return None
    if (user.role is Role.counsellor and user.school_id is not None
            and can_view_activity(user, activity)):
        return [user.school_id]
    return []


def can_edit_observation(user: User, observation: TalentObservation) -> bool:
    """Only the author corrects an observation (the history keeps every version)."""
    return observation.observer_id == user.id


def can_read_observation(user: User, observation: TalentObservation,
                         student: StudentProfile) -> bool:
    """Its author, the counsellors of the student's school, and admins read an observation."""
    if user.role is Role.admin or can_edit_observation(user, observation):
        return True
    return user.role is Role.counsellor and student.school_id == user.school_id


def registrable_school_ids(user: User, activity: Activity) -> list[int]:
    """Schools whose students this user may register at ``activity``.

    The list form of :func:`can_register_student`, for building choices.
    """
    if not can_manage_activity(user, activity):
        return []
    if user.role is Role.counsellor:
        return [user.school_id] if user.school_id else []
    region_id = user.region_id if user.role is Role.coordinator else activity.region_id
    return [school_id for school_id in get_session().exec(
        select(School.id).where(School.region_id == region_id)).all() if school_id is not None]


def get_activity_or_404(activity_id: int) -> Activity:
    return load_or_404(Activity, activity_id, lambda a: can_view_activity(current_actor(), a))


def get_observation_or_404(observation_id: int) -> TalentObservation:
    """An observation its author (or an admin) may open."""
    return load_or_404(TalentObservation, observation_id,
                       lambda o: current_actor().role is Role.admin
                       or can_edit_observation(current_actor(), o))


def get_managed_activity_or_404(activity_id: int) -> Activity:
    return load_or_404(Activity, activity_id, lambda a: can_manage_activity(current_actor(), a))


def get_attendee_or_404(activity: Activity, student_id: int) -> StudentProfile:
    """A student whose attendance at ``activity`` the user may mark."""
    return load_or_404(StudentProfile, student_id,
                       lambda s: can_mark_attendance(current_actor(), activity, s))


def get_readable_observation_or_404(observation_id: int) -> tuple[TalentObservation,
                                                                   StudentProfile]:
    """An observation and its student, for its author, the student's counsellors and admins."""
    session = get_session()
    observation = session.get(TalentObservation, observation_id)
    student = session.get(StudentProfile, observation.student_id) if observation else None
    if observation is None or student is None \
            or not can_read_observation(current_actor(), observation, student):
        abort(404)
    return observation, student


def get_observable_student_or_404(activity: Activity, student_id: int) -> StudentProfile:
    """A student registered for ``activity``, when the user may observe there."""
    student = get_session().get(StudentProfile, student_id)
    if student is None or not can_observe(current_actor(), activity) \
            or get_session().exec(select(Participation).where(
                Participation.activity_id == activity.id,
                Participation.student_id == student.id)).first() is None:
        abort(404)
    return student


def registrable_student(activity: Activity, student_id: int | None) -> StudentProfile | None:
    """The student chosen in a registration form, if the user may register them here (None:
    the form says to choose from the list)."""
    student = get_session().get(StudentProfile, student_id) if student_id is not None else None
    if student is None or not can_register_student(current_actor(), activity, student):
        return None
    return student


def get_registered_student_or_404(activity: Activity, student_id: int) -> StudentProfile:
    """A student the user may take off ``activity``'s list."""
    student = registrable_student(activity, student_id)
    if student is None:
        abort(404)
    return student


def get_observer_or_404(activity: Activity, user_id: int) -> User:
    """Someone assigned to observe at ``activity`` (the organiser removes them)."""
    observer = get_session().get(User, user_id)
    if observer is None or not is_observer_of(observer, activity):
        abort(404)
    return observer
