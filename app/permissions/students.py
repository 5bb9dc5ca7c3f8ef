"""Students and schools: who may see, follow and manage them, and import for them."""

from __future__ import annotations

from app.models import (
    Role,
    School,
    StudentProfile,
    User,
)
from app.permissions.base import (
    current_actor,
    load_or_404,
)


def can_view_student(user: User, student: StudentProfile) -> bool:
    if user.role is Role.admin:
        return True
    if user.role is Role.student:
        return student.user_id == user.id
    if user.role is Role.counsellor:
        return student.school_id == user.school_id
    # Coordinators read figures, companies only see approved candidates (their own view).
    return False


def can_view_school(user: User, school: School) -> bool:
    if user.role is Role.admin:
        return True
    if user.role in (Role.student, Role.counsellor):
        return school.id == user.school_id
    if user.role is Role.coordinator:
        return school.region_id == user.region_id
    return False


def can_follow_school(user: User, school: School) -> bool:
    """Whose students this user registers and records observations for (staff only)."""
    if user.role is Role.admin:
        return True
    if user.role is Role.counsellor:
        return school.id == user.school_id
    if user.role is Role.coordinator:
        return school.region_id == user.region_id
    return False


def can_manage_students_of(user: User, school: School) -> bool:
    """Add or change students of ``school``: its own counsellors, or an admin."""
    if user.role is Role.admin:
        return True
    return user.role is Role.counsellor and school.id == user.school_id


def can_manage_student(user: User, student: StudentProfile) -> bool:
    """Record consent, carry out a deletion: the student's own school, or an admin."""
    if user.role is Role.admin:
        return True
    return user.role is Role.counsellor and student.school_id == user.school_id


def get_student_or_404(student_id: int) -> StudentProfile:
    return load_or_404(StudentProfile, student_id,
                       lambda s: can_view_student(current_actor(), s))


def get_school_or_404(school_id: int) -> School:
    return load_or_404(School, school_id, lambda s: can_view_school(current_actor(), s))


def get_managed_student_or_404(student_id: int) -> StudentProfile:
    return load_or_404(StudentProfile, student_id,
                       lambda s: can_manage_student(current_actor(), s))


def can_import(user: User, kind: str) -> bool:
    if user.role is Role.admin:
        return True
    if user.role is Role.counsellor:
        return kind in ("students", "activities", "participations", "observations")
    if user.role is Role.coordinator:
        return kind in ("schools", "activities", "participations", "observations",
                        "companies", "placements")
    return False
