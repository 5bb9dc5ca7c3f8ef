"""Matching rounds in the application: from seeded data to stored, explained proposals."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlmodel import select

from app.models import (
    Level,
    MatchPin,
    MatchProposal,
    MatchRound,
    PinKind,
    Placement,
    PlacementStatus,
    ProposalStatus,
    School,
    StudentGender,
    StudentProfile,
)
from app.services.matching import (
    MatchingError,
    Scope,
    refresh_placement,
    refresh_student,
    run_matching,
    set_pin,
)
from app.services.matching_data import free_places
from matching.scoring import COMPONENTS
from seeds import generate

TODAY = date(2026, 1, 15)


@pytest.fixture
def seeded(session, password_hash):
    generate(session, students=240, placements=120, seed=7, password_hash=password_hash)
    return session


def proposals(session, **where):
    query = select(MatchProposal)
    for name, value in where.items():
        query = query.where(getattr(MatchProposal, name) == value)
    return session.exec(query).all()


def test_a_round_on_seeded_data_stores_explained_proposals_within_the_free_places(seeded):
    session = seeded
    placements = session.exec(select(Placement.id)).all()
    free = free_places(session=session, placement_ids=list(placements))
    round_ = run_matching(session=session, scope=Scope(), actor=None, seed=1, today=TODAY)
    stored = proposals(session, round_id=round_.id)
    assert round_.status.value == "finished" and len(stored) == \
        round_.summary["students_proposed"] > 20
    assert len({p.student_id for p in stored}) == len(stored)
    for placement_id, count in Counter(p.placement_id for p in stored).items():
        assert count <= free[placement_id]
    for proposal in stored:
        assert set(proposal.components) == set(COMPONENTS)
        assert proposal.explanation.endswith((".", "?")) and proposal.explanation_parts["why"]
        assert proposal.status is ProposalStatus.proposed and proposal.rank >= 1
    summary = round_.summary
    assert summary["students"] == summary["students_proposed"] + summary["insufficient"] + \
        summary["no_admissible"] + summary["unassigned"]
    assert round_.parameters["seed"] == 1 and summary["seconds"] >= 0


def test_a_second_round_replaces_undecided_proposals_and_leaves_underway_ones(seeded):
    session = seeded
    first = run_matching(session=session, scope=Scope(), actor=None, seed=1, today=TODAY)
    kept = proposals(session, round_id=first.id)[0]
    kept.status = ProposalStatus.approved
    session.add(kept)
    session.commit()
    second = run_matching(session=session, scope=Scope(), actor=None, seed=2, today=TODAY)
    assert proposals(session, round_id=first.id) == [kept]
    assert kept.student_id not in {p.student_id for p in proposals(session, round_id=second.id)}
    assert second.summary["students"] == first.summary["students"] - 1


def test_a_rejected_pair_is_not_proposed_again(world, session):
    home = world.home
    first = run_matching(session=session, scope=Scope(school=home.school), actor=None, seed=1,
                         today=TODAY)
    rejected = proposals(session, round_id=first.id, student_id=home.student.id)[0]
    rejected.status = ProposalStatus.rejected
    session.add(rejected)
    session.commit()
    again = run_matching(session=session, scope=Scope(school=home.school), actor=None, seed=1,
                         today=TODAY)
    assert not proposals(session, round_id=again.id, student_id=home.student.id,
                         placement_id=rejected.placement_id)


def test_pins_and_excludes_steer_the_next_round(world, session):
    home = world.home
    second = Placement(company_id=home.company.id, code="EXTRA", title="Snuffelstage robotica",
                       kind=home.placement.kind, levels=home.placement.levels,
                       status=PlacementStatus.open, postcode="6902", place="Zevenaar",
                       capacity=3)
    session.add(second)
    session.commit()
    set_pin(session=session, student=home.student, placement=second, kind=PinKind.pin,
            actor=home.counsellor, note="Wil graag robots")
    set_pin(session=session, student=home.classmate, placement=home.placement,
            kind=PinKind.exclude, actor=home.counsellor)
    round_ = run_matching(session=session, scope=Scope(school=home.school), actor=None,
                          seed=3, today=TODAY)
    by_student = {p.student_id: p for p in proposals(session, round_id=round_.id)}
    assert by_student[home.student.id].placement_id == second.id
    assert by_student[home.student.id].pinned
    assert by_student[home.classmate.id].placement_id != home.placement.id


def test_a_second_pin_for_the_same_student_is_refused_with_a_reason(world, session):
    home = world.home
    set_pin(session=session, student=home.student, placement=home.placement, kind=PinKind.pin,
            actor=home.counsellor)
    with pytest.raises(MatchingError, match="already has a pinned placement"):
        set_pin(session=session, student=home.student, placement=home.draft_placement,
                kind=PinKind.pin, actor=home.counsellor)
    assert len(session.exec(select(MatchPin)).all()) == 1


def test_only_the_scope_is_matched_and_an_empty_scope_says_so(world, session):
    home = world.home
    round_ = run_matching(session=session, scope=Scope(school=home.school), actor=None, seed=1,
                          today=TODAY)
    schools = {session.get(StudentProfile, p.student_id).school_id
               for p in proposals(session, round_id=round_.id)}
    assert schools == {home.school.id}
    empty = School(code="EMPTY1", name="Lege school", kind=home.school.kind, postcode="6901",
                   place="Zevenaar", region_id=home.region.id)
    session.add(empty)
    session.commit()
    with pytest.raises(MatchingError, match="no students to match"):
        run_matching(session=session, scope=Scope(school=empty), actor=None, today=TODAY)
    assert session.exec(select(MatchRound).where(MatchRound.scope == "school:EMPTY1")).first() \
        is None


def test_changing_a_profile_rescoring_replaces_a_proposal_that_no_longer_fits(world, session):
    home = world.home
    run_matching(session=session, scope=Scope(school=home.school), actor=None, seed=1,
                 today=TODAY)
    pending = proposals(session, student_id=home.student.id)[0]
    before = pending.score
    student = session.get(StudentProfile, home.student.id)
    student.interests_text = "solderen, elektrotechniek en schakelkasten"
    session.add(student)
    session.commit()
    assert refresh_student(session=session, student_id=student.id, today=TODAY)
    session.refresh(pending)
    assert pending.score != before
    student.level = Level.havo  # no placement takes havo here
    session.add(student)
    session.commit()
    refresh_student(session=session, student_id=student.id, today=TODAY)
    assert proposals(session, student_id=student.id) == []


def test_closing_a_placement_moves_its_pending_proposals(world, session):
    home = world.home
    run_matching(session=session, scope=Scope(school=home.school), actor=None, seed=1,
                 today=TODAY)
    on_it = proposals(session, placement_id=home.placement.id)
    assert on_it
    placement = session.get(Placement, home.placement.id)
    placement.status = PlacementStatus.closed
    session.add(placement)
    session.commit()
    assert refresh_placement(session=session, placement_id=placement.id, today=TODAY) == \
        len(on_it)
    assert proposals(session, placement_id=placement.id) == []


def test_flipping_every_students_gender_changes_no_proposal(seeded):
    session = seeded
    first = run_matching(session=session, scope=Scope(), actor=None, seed=5, today=TODAY)
    before = sorted((p.student_id, p.placement_id, p.score, p.explanation)
                    for p in proposals(session, round_id=first.id))
    flip = {"girl": "boy", "boy": "girl"}
    for row in session.exec(select(StudentGender)).all():
        row.gender = flip.get(row.gender.value, row.gender.value)
        session.add(row)
    session.commit()
    again = run_matching(session=session, scope=Scope(), actor=None, seed=5, today=TODAY)
    after = sorted((p.student_id, p.placement_id, p.score, p.explanation)
                   for p in proposals(session, round_id=again.id))
    assert before == after


def test_counsellors_are_told_how_many_proposals_wait_for_their_review(world, session, app):
    from app.models import Notification

    home = world.home
    with app.test_request_context():
        round_ = run_matching(session=session, scope=Scope(school=home.school), actor=None,
                              seed=1, today=TODAY)
    told = session.exec(select(Notification).where(
        Notification.user_id == home.counsellor.id)).all()
    assert [(n.kind, n.link) for n in told] == [("review", "/review/")]
    assert str(round_.summary["students_proposed"]) in told[0].message
    assert not session.exec(select(Notification).where(
        Notification.user_id == world.away.counsellor.id)).all()
