"""Candidates at a company: the answer, the lapse, feedback, and never an overbooked place."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import Session, select

from app import create_app
from app.models import (
    DecisionLog,
    MatchProposal,
    Notification,
    Placement,
    PlacementFeedback,
    ProposalStatus,
    Region,
)
from app.services import candidates
from tests import factories

S = ProposalStatus
MONDAY = date(2026, 11, 23)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def candidate(world, session, ctx):
    factories.give_consent(session, world.home.student)
    proposal = factories.make_proposal(session, world.home.student, world.home.placement)
    session.commit()
    return proposal


def placement_of(session, proposal):
    session.expire_all()
    return session.get(Placement, proposal.placement_id)


@pytest.mark.parametrize(("start", "days", "due"), [
    (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 working day = Monday
    (MONDAY, 10, date(2026, 12, 7)),
    (date(2026, 11, 28), 5, date(2026, 12, 4)),  # from a Saturday
])
def test_deadlines_count_working_days_only(start, days, due):
    assert candidates.working_days_after(start, days) == due


def test_sending_a_candidate_reserves_a_place_and_sets_the_regions_deadline(
        world, session, candidate):
    region = session.get(Region, world.home.region.id)
    region.answer_days = 5
    session.add(region)
    session.commit()
    candidates.send_to_company(session=session, proposal=candidate, actor=None, today=MONDAY)
    assert candidate.status is S.sent_to_company and candidate.holds_place
    assert candidate.company_deadline == date(2026, 11, 30)
    assert placement_of(session, candidate).places_taken == 1
    note = session.exec(select(Notification)
                        .where(Notification.user_id == world.home.company_user.id)).one()
    assert "Snuffelstage" in note.message


def test_no_company_sees_an_under_16_without_consent(world, session, ctx):
    proposal = factories.make_proposal(session, world.home.classmate, world.home.placement)
    session.commit()
    with pytest.raises(candidates.CandidateError, match="toestemming"):
        candidates.send_to_company(session=session, proposal=proposal, actor=None, today=MONDAY)
    session.expire_all()
    assert proposal.status is S.student_accepted
    assert placement_of(session, proposal).places_taken == 0


def test_a_full_placement_refuses_the_next_candidate_and_changes_nothing(
        world, session, candidate):
    placement = session.get(Placement, world.home.placement.id)
    placement.places_taken = placement.capacity
    session.add(placement)
    session.commit()
    with pytest.raises(candidates.CandidateError, match="laatste plek"):
        candidates.send_to_company(session=session, proposal=candidate, actor=None, today=MONDAY)
    session.expire_all()
    assert candidate.status is S.student_accepted
    assert session.exec(select(DecisionLog)).all() == []


def test_accepting_keeps_the_place_and_tells_the_student(world, session, candidate):
    candidates.send_to_company(session=session, proposal=candidate, actor=None, today=MONDAY)
    candidates.company_accept(session=session, proposal=candidate, actor=world.home.company_user)
    assert candidate.status is S.company_accepted and candidate.company_answered_at
    assert placement_of(session, candidate).places_taken == 1
    told = session.exec(select(Notification.user_id)
                        .where(Notification.kind == "company_accepted")).all()
    assert world.home.student_user.id in told and world.home.counsellor.id in told


def test_declining_needs_a_reason_and_frees_the_place(world, session, candidate):
    candidates.send_to_company(session=session, proposal=candidate, actor=None, today=MONDAY)
    with pytest.raises(candidates.CandidateError, match="waarom"):
        candidates.company_decline(session=session, proposal=candidate,
                                   actor=world.home.company_user, reason="  ")
    assert candidate.status is S.sent_to_company
    candidates.company_decline(session=session, proposal=candidate,
                               actor=world.home.company_user, reason="Geen begeleider vrij")
    assert candidate.status is S.company_declined and not candidate.holds_place
    assert placement_of(session, candidate).places_taken == 0
    log = session.exec(select(DecisionLog).where(DecisionLog.action == "company_decline")).one()
    assert (log.actor_id, log.from_status, log.to_status, log.reason) == (
        world.home.company_user.id, "sent_to_company", "company_declined",
        "Geen begeleider vrij")


def test_a_candidate_cannot_be_answered_twice(world, session, candidate):
    candidates.send_to_company(session=session, proposal=candidate, actor=None, today=MONDAY)
    candidates.company_accept(session=session, proposal=candidate, actor=world.home.company_user)
    with pytest.raises(candidates.CandidateError, match="kan nu niet"):
        candidates.company_decline(session=session, proposal=candidate,
                                   actor=world.home.company_user, reason="toch niet")
    session.expire_all()
    assert candidate.status is S.company_accepted
    assert placement_of(session, candidate).places_taken == 1


def test_an_unanswered_candidate_lapses_after_the_deadline(world, session, candidate):
    candidates.send_to_company(session=session, proposal=candidate, actor=None, today=MONDAY)
    deadline = candidate.company_deadline  # 10 working days: 7 December
    assert candidates.lapse_overdue(session=session, today=deadline) == 0
    assert candidate.status is S.sent_to_company
    assert candidates.lapse_overdue(session=session, today=date(2026, 12, 8)) == 1
    session.expire_all()
    assert candidate.status is S.lapsed and not candidate.holds_place
    assert placement_of(session, candidate).places_taken == 0
    told = set(session.exec(select(Notification.user_id)
                            .where(Notification.kind == "lapsed")).all())
    assert {world.home.student_user.id, world.home.counsellor.id,
            world.home.company_user.id} <= told
    log = session.exec(select(DecisionLog).where(DecisionLog.action == "lapse")).one()
    assert log.actor_id is None and log.actor_role == "system"


def test_feedback_opens_when_the_placement_starts_and_can_be_changed(world, session, candidate):
    candidates.send_to_company(session=session, proposal=candidate, actor=None, today=MONDAY)
    candidates.company_accept(session=session, proposal=candidate, actor=world.home.company_user)
    with pytest.raises(candidates.CandidateError):
        candidates.give_feedback(session=session, proposal=candidate,
                                 author=world.home.student_user, learned="veel")
    candidates.confirm_placed(session=session, proposal=candidate, actor=world.home.company_user)
    candidates.give_feedback(session=session, proposal=candidate, author=world.home.student_user,
                             learned="Solderen en meten", would_recommend=True)
    candidates.give_feedback(session=session, proposal=candidate, author=world.home.company_user,
                             comment="Leergierig", would_host_again=True)
    candidates.give_feedback(session=session, proposal=candidate, author=world.home.company_user,
                             comment="Leergierig en precies", would_host_again=True)
    rows = {f.author_role: f for f in session.exec(select(PlacementFeedback)).all()}
    assert rows["student"].learned == "Solderen en meten" and rows["student"].would_recommend
    assert rows["company"].comment == "Leergierig en precies" and rows["company"].would_host_again
    candidates.complete(session=session, proposal=candidate, actor=world.home.company_user)
    assert candidate.status is S.completed


def test_answer_rate_and_time_count_answers_and_lapses(world, session, ctx):
    placement = factories.make_placement(session, world.home.company, capacity=4)
    made = []
    for student in (world.home.student, world.home.classmate, world.home.other_school_student):
        factories.give_consent(session, student)
        made.append(factories.make_proposal(session, student, placement))
    session.commit()
    for proposal in made:
        candidates.send_to_company(session=session, proposal=proposal, actor=None, today=MONDAY)
    candidates.company_accept(session=session, proposal=made[0], actor=world.home.company_user)
    candidates.company_decline(session=session, proposal=made[1], actor=world.home.company_user,
                               reason="vol")
    candidates.lapse_overdue(session=session, today=date(2027, 1, 1))
    stats = candidates.answer_stats(session=session,
                                    company_ids=frozenset({world.home.company.id}))
    assert (stats.received, stats.answered, stats.lapsed, stats.waiting) == (3, 2, 1, 0)
    assert stats.answer_rate == pytest.approx(2 / 3)
    assert stats.median_days is not None and stats.median_days >= 0


def test_forty_simultaneous_candidates_never_overbook_the_last_places(
        world, session, app_config, engine):
    """Real threads, one session each, on SQLite and PostgreSQL alike."""
    placement = factories.make_placement(session, world.home.company, capacity=10)
    placement.places_taken = 7  # three places left
    students, proposals = [], []
    for n in range(40):
        student = factories.make_student(session, world.home.school, password_hash="x",
                                         first_name=f"Kandidaat{n}")
        student.birth_year = 2005  # 16 or older: no consent needed
        students.append(student)
        proposals.append(factories.make_proposal(session, student, placement))
    session.commit()
    ids = [p.id for p in proposals]

    app = create_app(app_config)
    app.extensions["talentmatch.engine"] = engine
    barrier = threading.Barrier(len(ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(proposal_id: int) -> None:
        try:
            barrier.wait(timeout=60)
            with app.test_request_context(), Session(engine, expire_on_commit=False) as own:
                proposal = own.get(MatchProposal, proposal_id)
                try:
                    candidates.send_to_company(session=own, proposal=proposal, actor=None,
                                               today=MONDAY)
                    result = "sent"
                except candidates.CandidateError as error:
                    result = "refused: " + str(error)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            result = f"crashed: {error!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not [o for o in outcomes if o.startswith("crashed")], outcomes
    assert outcomes.count("sent") == 3
    refused = [o for o in outcomes if o != "sent"]
    assert len(refused) == 37 and all("laatste plek" in o for o in refused)
    session.expire_all()
    assert session.get(Placement, placement.id).places_taken == 10
    holding = session.exec(select(DecisionLog).where(
        DecisionLog.action == "send_to_company")).all()
    assert len(holding) == 3
