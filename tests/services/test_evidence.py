"""Talent evidence is what has happened: attended participations and observations by the day.

``student_records`` is what matching, review, the talent-gap list and its reasons read; a
registration for something ahead, or a student marked absent, must never show up there.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.models import (
    ActivityKind,
    ActivityTheme,
    Attendance,
    Participation,
    ProposalStatus,
    TalentObservation,
)
from app.models.base import local_today
from app.services import matching, replacements, review, talent_gap
from app.services.matching import refresh, rounds
from app.services.matching_data import student_records
from tests import factories
from tests.web.activities.builders import make_themes

DAY = date(2025, 10, 7)  # the world's activity


@pytest.fixture
def themed(session, world):
    """The world's activity about robotics; its student attended and was observed there."""
    themes = make_themes(session)
    session.add(ActivityTheme(activity_id=world.home.activity.id,
                              theme_id=themes["robotica"].id))
    session.commit()
    return world.home.activity


def record(session, student, today=None):
    options = {} if today is None else {"today": today}
    return student_records(session=session, student_ids=[student.id], **options)[0]


def set_attendance(session, activity, student, attendance: Attendance) -> None:
    participation = session.exec(select(Participation).where(
        Participation.activity_id == activity.id,
        Participation.student_id == student.id)).one()
    participation.attendance = attendance
    session.add(participation)
    session.commit()


def test_an_attended_participation_is_evidence_from_the_day_of_the_activity(session, world,
                                                                            themed):
    student = world.home.student
    assert [p.activity for p in record(session, student, DAY).participations] == [themed.title]
    assert [o.observed_on for o in record(session, student, DAY).observations] == [DAY]
    # The day before, none of it had happened.
    earlier = record(session, student, DAY - timedelta(days=1))
    assert earlier.participations == () and earlier.observations == ()


@pytest.mark.parametrize("attendance", [Attendance.registered, Attendance.absent])
def test_a_registered_or_absent_student_gives_no_evidence(session, world, themed, attendance):
    student = world.home.student
    set_attendance(session, themed, student, attendance)
    assert record(session, student, DAY + timedelta(days=30)).participations == ()


def test_a_registration_for_a_future_activity_is_not_in_the_record(session, world, themed):
    """By default the day is today: what is ahead is not evidence, whatever it is marked."""
    ahead = factories.make_activity(session, world.home.region)
    ahead.starts_on = local_today() + timedelta(days=120)
    session.add(ahead)
    session.add(ActivityTheme(activity_id=ahead.id, theme_id=session.exec(
        select(ActivityTheme.theme_id).where(ActivityTheme.activity_id == themed.id)).one()))
    # Even marked attended (only a bulk write could do that), it has not happened yet.
    session.add(Participation(activity_id=ahead.id, student_id=world.home.classmate.id,
                              attendance=Attendance.attended))
    session.commit()
    assert record(session, world.home.classmate).participations == ()


def test_an_observation_dated_after_the_day_is_not_in_the_record(session, world, themed):
    later = DAY + timedelta(days=10)
    session.add(TalentObservation(activity_id=themed.id, student_id=world.home.student.id,
                                  observer_id=world.home.counsellor.id, strength=5,
                                  skills="bouwt een robotarm", observed_on=later))
    session.commit()
    assert [o.skills for o in record(session, world.home.student, later - timedelta(days=1))
            .observations] == ["heel precies bij het solderen"]
    assert len(record(session, world.home.student, later).observations) == 2


def test_an_invitation_from_the_talent_list_registers_which_is_no_evidence(app, session,
                                                                            world, themed):
    girlsday = world.home.other_activity
    girlsday.kind = ActivityKind.company_visit  # Girlsday is never evidence anyway
    girlsday.starts_on = local_today()
    session.add(girlsday)
    session.add(ActivityTheme(activity_id=girlsday.id, theme_id=session.exec(
        select(ActivityTheme.theme_id).where(ActivityTheme.activity_id == themed.id)).one()))
    session.commit()
    with app.test_request_context():
        assert talent_gap.invite(session=session, activity=girlsday,
                                 student=world.home.classmate, by=world.home.counsellor)
    participation = session.exec(select(Participation).where(
        Participation.activity_id == girlsday.id)).one()
    assert participation.attendance is Attendance.registered
    assert record(session, world.home.classmate).participations == ()


# --- every caller reads the evidence of its own day ---------------------------------------

@pytest.fixture
def days_asked(monkeypatch):
    """The ``today`` each caller passes to student_records."""
    asked: list[date | None] = []

    def spy(**arguments):
        asked.append(arguments.get("today"))
        raise LookupError("stop here: only the day is checked")

    # review reads through replacements (check_pair, student_page).
    for module in (rounds, refresh, replacements, talent_gap):
        monkeypatch.setattr(module, "student_records", spy)
    return asked


ROUND_DAY = date(2026, 2, 2)


def test_a_matching_round_reads_the_evidence_of_its_own_day(app, session, world, days_asked):
    with app.test_request_context(), pytest.raises(LookupError):
        matching.run_matching(session=session, scope=matching.Scope(), actor=None, seed=1,
                              today=ROUND_DAY)
    assert days_asked == [ROUND_DAY]


def test_refreshing_a_proposal_reads_the_evidence_of_its_day(app, session, world, days_asked):
    factories.make_proposal(session, world.home.student, world.home.placement,
                            status=ProposalStatus.proposed)
    session.commit()
    with app.test_request_context(), pytest.raises(LookupError):
        matching.refresh_student(session=session, student_id=world.home.student.id,
                                 today=ROUND_DAY)
    assert days_asked == [ROUND_DAY]


def test_review_alternatives_and_the_talent_list_read_the_evidence_of_their_day(
        app, session, world, days_asked):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=ProposalStatus.proposed)
    session.commit()
    with app.test_request_context():
        with pytest.raises(LookupError):
            review.alternatives(session=session, proposal=proposal, today=ROUND_DAY)
        with pytest.raises(LookupError):
            talent_gap.talent_without_interest(session=session, school=world.home.school,
                                               today=ROUND_DAY)
    assert days_asked == [ROUND_DAY, ROUND_DAY]
