"""Builders shared by the activity and observation tests (no tests in here).

Each flushes so ids exist; the caller commits.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import ActivityObserver, Role, TalentObservation, Theme, User
from tests import factories

THEMES = (
    ("robotica", "Robotica", "Robotics"),
    ("elektrotechniek", "Elektrotechniek", "Electrical engineering"),
    ("lassen", "Lassen", "Welding"),
)


def make_themes(session: Session) -> dict[str, Theme]:
    themes = {}
    for slug, nl, en in THEMES:
        theme = Theme(slug=slug, label_nl=nl, label_en=en)
        session.add(theme)
        themes[slug] = theme
    session.flush()
    return themes


def make_observer(session: Session, activity, *, password_hash: str,
                  name: str = "Scout Sam") -> User:
    """A talent scout account assigned to ``activity``."""
    user = factories.make_user(session, Role.observer, password_hash=password_hash, name=name)
    session.add(ActivityObserver(activity_id=activity.id, user_id=user.id))
    session.flush()
    return user


def make_class(session: Session, school, size: int, *, password_hash: str,
               class_name: str = "3B"):
    """``size`` more students in ``class_name`` of ``school``."""
    students = []
    for n in range(size):
        student = factories.make_student(session, school, password_hash=password_hash,
                                         first_name=f"Kim{n}")
        student.class_name = class_name
        session.add(student)
        students.append(student)
    session.flush()
    return students


def world_observation(session: Session, side) -> TalentObservation:
    """The observation the world's counsellor made of the student at the side's activity."""
    return session.exec(select(TalentObservation)
                        .where(TalentObservation.activity_id == side.activity.id)).one()


def in_english(client):
    """Switch the client to English, so assertions do not depend on the Dutch catalogue."""
    client.get("/lang/en")
    return client
