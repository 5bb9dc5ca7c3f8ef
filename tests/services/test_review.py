"""The counsellor's decisions and the student's answer, as services."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import (
    DecisionLog,
    MatchProposal,
    Notification,
    Placement,
    PlacementStatus,
    ProposalStatus,
)
from app.services import offers, review
from app.services.matching import Scope, run_matching
from tests import factories

S = ProposalStatus
TODAY = date(2026, 1, 15)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def proposed(world, session, ctx):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.proposed)
    session.commit()
    return proposal


def log_of(session, proposal):
    return [(e.action, e.from_status, e.to_status, e.reason_code) for e in session.exec(
        select(DecisionLog).where(DecisionLog.proposal_id == proposal.id)
        .order_by(DecisionLog.id)).all()]


def test_approving_offers_to_the_student_logs_both_steps_and_tells_the_student(
        world, session, proposed):
    review.approve(session=session, proposal=proposed, actor=world.home.counsellor,
                   note="Past goed bij haar stage-eisen")
    assert proposed.status is S.offered and proposed.counsellor_note
    assert log_of(session, proposed) == [("approve", "proposed", "approved", ""),
                                         ("offer", "approved", "offered", "")]
    note = session.exec(select(Notification).where(
        Notification.user_id == world.home.student_user.id)).one()
    assert note.kind == "offer" and note.link == "/me/proposals"


def test_rejecting_needs_a_reason_from_the_list_and_text_for_other(world, session, proposed):
    with pytest.raises(review.ReviewError, match="Kies een reden uit de lijst"):
        review.reject(session=session, proposal=proposed, actor=world.home.counsellor,
                      reason_code="")
    with pytest.raises(review.ReviewError, match="andere reden"):
        review.reject(session=session, proposal=proposed, actor=world.home.counsellor,
                      reason_code="other", reason="  ")
    assert proposed.status is S.proposed and log_of(session, proposed) == []
    review.reject(session=session, proposal=proposed, actor=world.home.counsellor,
                  reason_code="distance", reason="Twee keer overstappen")
    assert log_of(session, proposed) == [("reject", "proposed", "rejected", "distance")]


def test_a_counsellor_of_another_school_cannot_decide(world, session, proposed):
    with pytest.raises(review.ReviewError, match="mag jij niet"):
        review.approve(session=session, proposal=proposed, actor=world.away.counsellor)
    assert proposed.status is S.proposed


def test_deciding_many_skips_what_was_decided_meanwhile_and_names_it(world, session, ctx):
    home = world.home
    waiting = factories.make_proposal(session, home.student, home.placement, status=S.proposed)
    decided = factories.make_proposal(session, home.classmate, home.placement,
                                      status=S.rejected)
    session.commit()
    result = review.decide_many(session=session, proposals=[waiting, decided],
                                actor=home.counsellor, decision="approve")
    assert result.done == 1 and result.skipped == ["Daan de Vries"]
    assert waiting.status is S.offered and decided.status is S.rejected


def test_a_refused_bulk_decision_changes_nothing(world, session, ctx):
    home, away = world.home, world.away
    mine = factories.make_proposal(session, home.student, home.placement, status=S.proposed)
    theirs = factories.make_proposal(session, away.student, away.placement, status=S.proposed)
    session.commit()
    with pytest.raises(review.ReviewError):
        review.decide_many(session=session, proposals=[mine, theirs], actor=home.counsellor,
                           decision="approve")
    session.expire_all()
    assert session.get(MatchProposal, mine.id).status is S.proposed
    assert session.exec(select(DecisionLog)).first() is None


def test_replacing_offers_the_chosen_placement_and_keeps_what_the_engine_proposed(
        world, session, ctx):
    home = world.home
    other = Placement(company_id=home.company.id, code="ALT1", title="Snuffelstage robotica",
                      kind=home.placement.kind, levels=home.placement.levels,
                      status=PlacementStatus.open, postcode="6902", place="Zevenaar",
                      capacity=3)
    session.add(other)
    session.commit()
    run_matching(session=session, scope=Scope(school=home.school), actor=None, seed=1,
                 today=TODAY)
    engine = session.exec(select(MatchProposal).where(
        MatchProposal.student_id == home.student.id)).one()
    target = other if engine.placement_id != other.id else home.placement
    with pytest.raises(review.ReviewError, match="Zeg waarom"):
        review.replace(session=session, proposal=engine, placement=target,
                       actor=home.counsellor, reason="", today=TODAY)
    new = review.replace(session=session, proposal=engine, placement=target,
                         actor=home.counsellor, reason="Wil liever robots", today=TODAY)
    assert engine.status is S.rejected and new.status is S.offered
    assert new.placement_id == target.id and new.explanation
    entry = session.exec(select(DecisionLog).where(DecisionLog.proposal_id == new.id,
                                                   DecisionLog.action == "replace")).one()
    assert entry.details["engine_placement_id"] == engine.placement_id
    assert entry.details["engine_score"] == engine.score and entry.reason == "Wil liever robots"
    rows = review.decision_log_rows(session=session, school_ids=[home.school.id])
    replaced = [r for r in rows if r[7] == "reject" and r[10] == "replaced"]
    assert replaced and replaced[0][12] == session.get(Placement, engine.placement_id).code


def test_alternatives_show_free_open_placements_with_the_students_score(world, session, ctx):
    home = world.home
    proposal = factories.make_proposal(session, home.student, home.placement, status=S.proposed)
    full = Placement(company_id=home.company.id, code="FULL", title="Vol", capacity=1,
                     places_taken=1, kind=home.placement.kind, levels=home.placement.levels,
                     status=PlacementStatus.open, postcode="6902", place="Zevenaar")
    session.add(full)
    session.commit()
    found = review.alternatives(session=session, proposal=proposal, today=TODAY)
    assert all(a.placement.id not in (home.placement.id, full.id) for a in found)
    assert all(a.free > 0 for a in found)


def test_a_student_who_says_yes_goes_to_the_company_when_consent_is_on_file(
        world, session, ctx):
    home = world.home
    factories.give_consent(session, home.student)
    proposal = factories.make_proposal(session, home.student, home.placement, status=S.offered)
    session.commit()
    offers.student_accept(session=session, proposal=proposal, actor=home.student_user)
    assert proposal.status is S.sent_to_company and proposal.holds_place
    assert session.get(Placement, home.placement.id).places_taken == 1


def test_without_consent_a_yes_waits_and_the_counsellor_is_asked(world, session, ctx):
    home = world.home
    proposal = factories.make_proposal(session, home.student, home.placement, status=S.offered)
    session.commit()
    offers.student_accept(session=session, proposal=proposal, actor=home.student_user)
    assert proposal.status is S.student_accepted and not proposal.holds_place
    asked = session.exec(select(Notification).where(
        Notification.user_id == home.counsellor.id)).one()
    assert asked.kind == "consent_needed"
    with pytest.raises(offers.OfferError, match="toestemming"):
        offers.send_after_consent(session=session, proposal=proposal, actor=home.counsellor)
    factories.give_consent(session, home.student)
    session.commit()
    offers.send_after_consent(session=session, proposal=proposal, actor=home.counsellor)
    assert proposal.status is S.sent_to_company


def test_a_no_is_fed_back_to_matching(world, session, ctx):
    home = world.home
    proposal = factories.make_proposal(session, home.student, home.placement, status=S.offered)
    session.commit()
    offers.student_decline(session=session, proposal=proposal, actor=home.student_user,
                           reason="Te ver fietsen")
    assert proposal.status is S.student_declined
    round_ = run_matching(session=session, scope=Scope(school=home.school), actor=None,
                          seed=1, today=TODAY)
    again = session.exec(select(MatchProposal).where(
        MatchProposal.round_id == round_.id, MatchProposal.student_id == home.student.id)).all()
    assert all(p.placement_id != home.placement.id for p in again)


def test_another_student_cannot_answer(world, session, ctx):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.offered)
    session.commit()
    with pytest.raises(offers.OfferError, match="mag jij niet"):
        offers.student_accept(session=session, proposal=proposal,
                              actor=world.home.counsellor)
    assert proposal.status is S.offered


def test_where_each_student_stands_and_who_has_nothing_yet(world, session, proposed):
    overview = review.status_overview(session=session, school_ids=[world.home.school.id])
    by_name = {s.student.first_name: s for s in overview}
    assert by_name["Sanne"].proposal.id == proposed.id
    assert by_name["Daan"].proposal is None
