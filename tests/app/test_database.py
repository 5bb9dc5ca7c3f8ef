"""Database rules that hold on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import Participation, Placement


def test_foreign_keys_are_enforced(session, world):
    session.add(Participation(activity_id=999999, student_id=world.home.student.id))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    session.rollback()


def test_a_placement_can_never_hold_more_students_than_it_has_places(session, world):
    placement = session.get(Placement, world.home.placement.id)
    placement.places_taken = placement.capacity + 1
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    session.rollback()


def test_the_same_student_cannot_be_registered_twice_for_an_activity(session, world):
    session.add(Participation(activity_id=world.home.activity.id,
                              student_id=world.home.student.id))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    session.rollback()
