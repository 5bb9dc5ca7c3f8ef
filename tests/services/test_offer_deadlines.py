"""A student answers an offer within their region's working days, is reminded once two working
days before, and an unanswered offer lapses after."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import DecisionLog, Notification, OutboxEmail, ProposalStatus, Region
from app.services import offer_deadlines
from tests import factories

MONDAY = date(2026, 12, 7)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def offer(world, session, ctx):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=ProposalStatus.offered)
    offer_deadlines.set_student_deadline(session=session, proposal=proposal, today=MONDAY)
    session.commit()
    return proposal


def notes_of(session, user, kind):
    return session.exec(select(Notification).where(Notification.user_id == user.id,
                                                   Notification.kind == kind)).all()


def test_an_offer_is_answered_within_ten_working_days_by_default(offer):
    assert offer.student_deadline == date(2026, 12, 21)


def test_an_offer_is_answered_within_the_working_days_its_region_sets(world, session, ctx):
    region = session.get(Region, world.home.region.id)
    region.student_answer_days = 3
    session.add(region)
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=ProposalStatus.offered)
    assert offer_deadlines.set_student_deadline(session=session, proposal=proposal,
                                                today=date(2026, 12, 10)) == date(2026, 12, 15)


def test_no_reminder_before_two_working_days_ahead(offer, session, world):
    assert offer_deadlines.remind_students(session=session, today=date(2026, 12, 16)) == 0
    assert notes_of(session, world.home.student_user, "answer_reminder") == []


def test_the_student_is_reminded_once_two_working_days_before(offer, session, world):
    day = date(2026, 12, 17)  # Thursday; the last day is Monday the 21st
    assert offer_deadlines.remind_students(session=session, today=day) == 1
    assert offer_deadlines.remind_students(session=session, today=day) == 0
    assert offer_deadlines.remind_students(session=session, today=date(2026, 12, 18)) == 0
    [note] = notes_of(session, world.home.student_user, "answer_reminder")
    assert "21 december 2026" in note.message
    assert session.exec(select(OutboxEmail).where(
        OutboxEmail.to_address == world.home.student_user.email)).all()


def test_an_offer_is_not_lapsed_on_its_last_day(offer, session):
    assert offer_deadlines.lapse_unanswered(session=session, today=date(2026, 12, 21)) == 0
    session.refresh(offer)
    assert offer.status is ProposalStatus.offered


def test_an_unanswered_offer_lapses_after_its_last_day_and_both_are_told(offer, session, world):
    assert offer_deadlines.lapse_unanswered(session=session, today=date(2026, 12, 22)) == 1
    session.refresh(offer)
    assert offer.status is ProposalStatus.lapsed
    log = session.exec(select(DecisionLog).where(DecisionLog.proposal_id == offer.id)).one()
    assert (log.action, log.from_status, log.actor_role) == ("lapse", "offered", "system")
    assert notes_of(session, world.home.student_user, "lapsed")
    assert notes_of(session, world.home.counsellor, "lapsed")
    assert offer_deadlines.lapse_unanswered(session=session, today=date(2026, 12, 23)) == 0


def test_an_answered_offer_never_lapses(offer, session):
    offer.status = ProposalStatus.student_accepted
    session.add(offer)
    session.commit()
    assert offer_deadlines.lapse_unanswered(session=session, today=date(2027, 1, 5)) == 0
    assert offer_deadlines.remind_students(session=session, today=date(2026, 12, 18)) == 0


def test_without_a_scheduler_the_proposals_page_lapses_overdue_offers_once_a_minute(
        world, session, ctx, login, monkeypatch):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=ProposalStatus.offered)
    proposal.student_deadline = date(2020, 1, 6)  # long past, whatever day the test runs
    session.add(proposal)
    session.commit()
    clock = iter([1000.0, 1030.0])
    monkeypatch.setattr(offer_deadlines, "_clock", lambda: next(clock))
    client = login(world.home.student_user)
    assert client.get("/me/proposals/").status_code == 200
    session.refresh(proposal)
    assert proposal.status is ProposalStatus.lapsed
    assert offer_deadlines.upkeep_when_due(session=session) is None  # 30 s later: not again
