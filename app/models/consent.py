"""Whether something about a student may be shown to a company: the consent rule.

Beside the model because permissions, services and pages all ask it, and permissions may not
depend on services.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from .students import Consent, StudentProfile

# Below this age a parent, guardian or the school must consent before a company sees anything.
CONSENT_AGE = 16


def may_be_under_consent_age(student: StudentProfile, today: date) -> bool:
    """With only a birth year we cannot know the birthday: when in doubt, treat as under 16."""
    return student.birth_year is None or today.year - student.birth_year <= CONSENT_AGE


def active_consent(*, session: Session, student: StudentProfile) -> Consent | None:
    return session.exec(
        select(Consent).where(Consent.student_id == student.id,
                              col(Consent.withdrawn_at).is_(None))
        .order_by(col(Consent.given_at).desc())
    ).first()


def may_show_to_companies(*, session: Session, student: StudentProfile, today: date) -> bool:
    """Whether anything about this student may be shown to a company."""
    if student.anonymised_at is not None:
        return False
    if not may_be_under_consent_age(student, today):
        return True
    return active_consent(session=session, student=student) is not None
