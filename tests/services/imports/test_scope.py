"""The import's rules on who may write what agree with app.permissions."""

from __future__ import annotations

import itertools

import pytest

from app.models import Role, School
from app.permissions import (
    can_import,
    can_manage_activity,
    can_observe,
    can_register_student,
)
from app.services.imports import KINDS, ImportScope

from .test_support import scope_of


def people(world):
    return [world.home.counsellor, world.home.coordinator, world.away.counsellor,
            world.away.coordinator, world.admin, world.home.company_user,
            world.home.student_user]


def activities(world):
    return [world.home.activity, world.home.other_activity, world.away.activity,
            world.away.other_activity]


def students(world):
    return [world.home.student, world.home.other_school_student, world.away.student]


def test_managing_activities_agrees_with_permissions(app, session, world):
    with app.app_context():
        for user, activity in itertools.product(people(world), activities(world)):
            scope = scope_of(session, user)
            assert scope.may_manage_activity(activity) == can_manage_activity(
                user, activity), (user.role, activity.code)


def test_registering_students_agrees_with_permissions(app, session, world):
    with app.app_context():
        for user, activity, student in itertools.product(
                people(world), activities(world), students(world)):
            scope = scope_of(session, user)
            school = session.get(School, student.school_id)
            assert scope.may_register(activity, school) == can_register_student(
                user, activity, student), (user.role, activity.code, student.student_number)


def test_observing_is_no_wider_than_permissions(app, session, world):
    with app.app_context():
        for user, activity, student in itertools.product(
                people(world), activities(world), students(world)):
            scope = scope_of(session, user)
            school = session.get(School, student.school_id)
            if scope.may_observe(activity, school):
                assert can_observe(user, activity), (user.role, activity.code)


def test_kinds_follow_can_import(session, world):
    for user, kind in itertools.product(people(world), KINDS):
        refused = scope_of(session, user).refusal(kind) is not None
        assert refused != can_import(user, kind), (user.role, kind)


def test_the_operator_may_import_everything():
    scope = ImportScope.operator()
    assert scope.full and scope.user_id is None
    assert all(scope.refusal(kind) is None for kind in KINDS)


@pytest.mark.parametrize("role", [Role.counsellor, Role.coordinator])
def test_an_account_without_school_or_region_is_told_to_ask_the_administrator(
        session, world, role):
    user = world.home.counsellor if role is Role.counsellor else world.home.coordinator
    user.school_id = None
    user.region_id = None
    scope = scope_of(session, user)
    assert "Ask the administrator" in scope.refusal("activities")
