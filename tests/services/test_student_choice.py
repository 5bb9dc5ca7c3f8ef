"""Students find and choose: their own list, the search, and "Ik heb interesse"."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import (
    Company,
    DecisionLog,
    MatchProposal,
    Notification,
    PlacementKind,
    PlacementStatus,
    ProposalOrigin,
    ProposalStatus,
)
from app.services import placement_search, student_choice
from app.services.matching import forget_fitted_scorers
from tests import factories

TODAY = date(2026, 12, 7)


@pytest.fixture
def ctx(app):
    forget_fitted_scorers()
    with app.test_request_context():
        yield
    forget_fitted_scorers()


def test_showing_interest_puts_the_students_own_choice_scored_and_explained_in_the_queue(
        world, session, ctx):
    home = world.home
    proposal = student_choice.show_interest(session=session, student=home.student,
                                            placement=home.placement, actor=home.student_user,
                                            today=TODAY)
    assert proposal.origin is ProposalOrigin.student
    assert proposal.status is ProposalStatus.proposed
    assert proposal.score > 0 and proposal.explanation and proposal.components
    assert proposal.round_id is None
    log = session.exec(select(DecisionLog).where(DecisionLog.proposal_id == proposal.id)).one()
    assert (log.action, log.actor_id) == ("student_choice", home.student_user.id)
    told = session.exec(select(Notification).where(
        Notification.user_id == home.counsellor.id)).all()
    assert [n.kind for n in told] == ["student_choice"]
    assert told[0].link == f"/review/{proposal.id}"


def test_showing_interest_twice_gives_a_clear_message_and_no_second_proposal(
        world, session, ctx):
    home = world.home
    student_choice.show_interest(session=session, student=home.student,
                                 placement=home.placement, actor=home.student_user, today=TODAY)
    with pytest.raises(student_choice.ChoiceError, match="staat al bij je keuzes"):
        student_choice.show_interest(session=session, student=home.student,
                                     placement=home.placement, actor=home.student_user,
                                     today=TODAY)
    assert len(session.exec(select(MatchProposal)).all()) == 1


def test_interest_in_a_placement_with_a_live_proposal_from_the_engine_is_refused(
        world, session, ctx):
    home = world.home
    factories.make_proposal(session, home.student, home.placement, status=ProposalStatus.offered)
    session.commit()
    with pytest.raises(student_choice.ChoiceError, match="staat al bij je keuzes"):
        student_choice.show_interest(session=session, student=home.student,
                                     placement=home.placement, actor=home.student_user,
                                     today=TODAY)


def test_interest_in_a_closed_placement_is_refused(world, session, ctx):
    home = world.home
    home.placement.status = PlacementStatus.closed
    session.add(home.placement)
    session.commit()
    with pytest.raises(student_choice.ChoiceError, match="niet open"):
        student_choice.show_interest(session=session, student=home.student,
                                     placement=home.placement, actor=home.student_user,
                                     today=TODAY)
    assert session.exec(select(MatchProposal)).all() == []


def test_interest_in_a_placement_beyond_the_travel_limit_is_refused(world, session, ctx):
    home = world.home
    far_company = session.get(Company, home.company.id)
    far = factories.make_placement(session, far_company)
    far.postcode, far.place = "1781", "Den Helder"  # some 150 km from Zevenaar
    session.add(far)
    session.commit()
    with pytest.raises(student_choice.ChoiceError, match="past niet bij jou"):
        student_choice.show_interest(session=session, student=home.student, placement=far,
                                     actor=home.student_user, today=TODAY)


def test_interest_in_a_level_the_placement_does_not_take_is_refused(world, session, ctx):
    home = world.home
    home.placement.levels = ["hbo"]
    session.add(home.placement)
    session.commit()
    with pytest.raises(student_choice.ChoiceError, match="past niet bij jou"):
        student_choice.show_interest(session=session, student=home.student,
                                     placement=home.placement, actor=home.student_user,
                                     today=TODAY)


def test_the_student_sees_their_choices_and_only_their_own(world, session, ctx):
    home = world.home
    student_choice.show_interest(session=session, student=home.student,
                                 placement=home.placement, actor=home.student_user, today=TODAY)
    factories.make_proposal(session, home.student, world.away.placement,
                            status=ProposalStatus.offered)
    session.commit()
    mine = student_choice.choices_of(session=session, student=home.student)
    assert [c.placement.id for c in mine] == [home.placement.id]
    assert mine[0].waiting_for_counsellor
    assert student_choice.choices_of(session=session, student=home.classmate) == []


def test_for_you_lists_open_placements_in_reach_across_regions_with_a_reason(
        world, session, ctx):
    listed = student_choice.for_you(session=session, student=world.home.student, today=TODAY)
    ids = {s.placement.id for s in listed}
    # Both regions' open placements lie in Zevenaar; drafts are never listed.
    assert ids == {world.home.placement.id, world.away.placement.id}
    assert all(s.reason for s in listed)


def test_for_you_leaves_out_what_the_student_already_chose(world, session, ctx):
    home = world.home
    student_choice.show_interest(session=session, student=home.student,
                                 placement=home.placement, actor=home.student_user, today=TODAY)
    listed = student_choice.for_you(session=session, student=home.student, today=TODAY)
    assert home.placement.id not in {s.placement.id for s in listed}


def test_search_filters_by_kind_recognised_distance_and_period(world, session, ctx):
    home, away = world.home, world.away
    away.company.recognised = False
    home.placement.starts_on, home.placement.ends_on = date(2027, 2, 1), date(2027, 2, 5)
    session.add_all([away.company, home.placement])
    session.commit()
    student = home.student

    def found(**filters) -> set[int]:
        page = placement_search.search(session=session, student=student, today=TODAY,
                                       filters=placement_search.SearchFilters(**filters))
        return {hit.placement.id for hit in page.hits}

    both = {home.placement.id, away.placement.id}
    assert found() == both
    assert found(recognised_only=True) == {home.placement.id}
    assert found(kind=PlacementKind.bbl_apprenticeship.value) == set()
    assert found(kind=PlacementKind.snuffelstage.value) == both
    assert found(max_km=0) == set()
    assert found(max_km=15) == both
    assert found(period_from=date(2027, 3, 1)) == {away.placement.id}
    assert found(period_until=date(2027, 1, 1)) == {away.placement.id}


def test_search_pages_by_twenty_five(world, session, ctx):
    for _ in range(30):
        factories.make_placement(session, world.home.company)
    session.commit()
    first = placement_search.search(session=session, student=world.home.student, today=TODAY,
                                    filters=placement_search.SearchFilters())
    second = placement_search.search(session=session, student=world.home.student, today=TODAY,
                                     filters=placement_search.SearchFilters(), page=2)
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (32, 2, 25, 7)
    assert not {h.placement.id for h in first.hits} & {h.placement.id for h in second.hits}


def test_a_matching_round_keeps_the_students_own_choice_and_does_not_propose_it_again(
        world, session, ctx):
    from app.services.matching import Scope, run_matching

    home = world.home
    chosen = student_choice.show_interest(session=session, student=home.student,
                                          placement=home.placement, actor=home.student_user,
                                          today=TODAY)
    run_matching(session=session, scope=Scope(school=home.school), actor=None, seed=1,
                 today=TODAY)
    session.expire_all()
    theirs = session.exec(select(MatchProposal).where(
        MatchProposal.student_id == home.student.id)).all()
    assert chosen.id in {p.id for p in theirs}
    assert [p.placement_id for p in theirs].count(home.placement.id) == 1
