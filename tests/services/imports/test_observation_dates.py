"""An observations file cannot claim what has not happened: no observation of an activity that
has not begun, none dated after today."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import TalentObservation
from app.models.base import local_today

from .test_observations import observation_row, observations_file
from .test_support import (
    OBSERVATION_HEADER,
    count,
    do_import,
    make_observer,
    messages,
    register,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")


@pytest.fixture
def scout(session, world, password_hash):
    register(session, world.home.activity, world.home.classmate)
    return make_observer(session, world.home.activity, password_hash)


def test_an_activity_that_has_not_begun_has_no_observations_to_import(session, world, scout):
    activity = world.home.activity
    activity.starts_on = local_today() + timedelta(days=14)
    session.add(activity)
    session.commit()
    before = count(session, TalentObservation)
    report = do_import(session, "observations", observations_file(
        observation_row(activity, world.home.classmate, scout)))
    assert [(p.line, p.column) for p in report.problems] == [(2, "activity_code")]
    assert (f"Activity {activity.code} starts on {activity.starts_on.isoformat()}: "
            "observations can be imported from that day on") in report.problems[0].message
    assert count(session, TalentObservation) == before


def test_an_observation_dated_after_today_is_a_problem(session, world, scout):
    tomorrow = local_today() + timedelta(days=1)
    header = [*OBSERVATION_HEADER, "datum"]
    report = do_import(session, "observations", observations_file(
        [*observation_row(world.home.activity, world.home.classmate, scout),
         tomorrow.isoformat()],
        [*observation_row(world.home.activity, world.home.student, scout),
         local_today().isoformat()], header=header))
    assert [(p.line, p.column) for p in report.problems] == [(2, "datum")]
    assert f"{tomorrow.isoformat()} is in the future" in report.problems[0].message
    today_only = do_import(session, "observations", observations_file(
        [*observation_row(world.home.activity, world.home.student, scout),
         local_today().isoformat()], header=header))
    assert today_only.created == 1, messages(today_only)
