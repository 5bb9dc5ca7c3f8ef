"""Every step of the road survives double clicks and answers crossing each other.

Each test fires 40 requests at once: threads, each with its own session and connection,
released together after each loaded the proposal (so every one of them read the same,
soon stale, status). Afterwards a placement's ``places_taken`` equals the number of its
proposals holding a place, every real transition has exactly one log row, and every request
that lost the race got the message of an invalid step and changed nothing.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, func, select

from app.db import make_engine
from app.models import (
    DecisionLog,
    MatchProposal,
    Notification,
    Placement,
    ProposalStatus,
    User,
)
from app.models.base import local_today
from app.models.labels import label
from app.models.lifecycle import HOLDS_PLACE
from app.services import candidates, offers, places, review
from app.services.errors import ServiceError
from app.services.notifications import counsellors_of
from tests import factories

S = ProposalStatus
N = 40
OK = "ok"


@pytest.fixture
def race_engine(database_url):
    """Its own engine without a pool: each thread gets its own connection."""
    engine = make_engine(database_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def race(app, engine, calls):
    """Runs every ``call(session)`` in its own thread and session. A call loads what it needs
    and returns the step to take; all steps start together. Returns per call "ok" or the
    message of the ServiceError it got (anything else fails the test)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i, call):
        with app.test_request_context(), Session(engine, expire_on_commit=False) as session:
            try:
                take_step = call(session)
            except BaseException as error:
                barrier.abort()
                outcomes[i] = error
                return
            barrier.wait()
            try:
                take_step()
                outcomes[i] = OK
            except ServiceError as error:
                outcomes[i] = str(error)
            except BaseException as error:
                outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    unexpected = [o for o in outcomes if not isinstance(o, str)]
    assert not unexpected, unexpected
    return outcomes


def by(service, proposal_id, user_id, **kwargs):
    """A call for :func:`race`: ``service`` on the proposal by the user (None: the system)."""
    def call(session):
        proposal = session.get(MatchProposal, proposal_id)
        actor = session.get(User, user_id) if user_id else None
        return lambda: service(session=session, proposal=proposal, actor=actor, **kwargs)
    return call


def not_now(*statuses):
    """The messages an invalid step gets when the match is in one of these statuses."""
    return {_("This cannot be done now: the match is %(status)s.",
              status=label(status).lower()) for status in statuses}


def assert_places_add_up(engine):
    with Session(engine) as session:
        for placement in session.exec(select(Placement)).all():
            holders = session.exec(select(func.count()).select_from(MatchProposal).where(
                MatchProposal.placement_id == placement.id, MatchProposal.holds_place)).one()
            assert placement.places_taken == holders, placement.code
            assert placement.places_taken <= placement.capacity
        for proposal in session.exec(select(MatchProposal)).all():
            assert proposal.holds_place == (proposal.status in HOLDS_PLACE), proposal.id
        # and `talentmatch check` agrees
        assert places.place_drift(session=session) == []
        assert places.flag_drift(session=session) == []


def log_of(engine, proposal_id):
    with Session(engine) as session:
        return [e.action for e in session.exec(
            select(DecisionLog).where(DecisionLog.proposal_id == proposal_id)
            .order_by(DecisionLog.id)).all()]


def status_of(engine, proposal_id):
    with Session(engine) as session:
        return session.get(MatchProposal, proposal_id).status


def taken(engine, placement_id):
    with Session(engine) as session:
        return session.get(Placement, placement_id).places_taken


def notifications(engine, kind):
    with Session(engine) as session:
        return Counter(n.link for n in session.exec(
            select(Notification).where(Notification.kind == kind)).all())


def students_with(session, world, password_hash, placement, status, count):
    """``count`` new students of home's school, each with consent and a proposal."""
    made = []
    for _i in range(count):
        student = factories.make_student(session, world.home.school,
                                         password_hash=password_hash)
        factories.give_consent(session, student)
        made.append((factories.make_proposal(session, student, placement, status=status),
                     student.user_id))
    session.commit()
    return made


def sent(session, world, password_hash, placement, count):
    """``count`` candidates sent to the company, each holding a place."""
    made = students_with(session, world, password_hash, placement, S.student_accepted, count)
    for proposal, _user_id in made:
        candidates.send_to_company(session=session, proposal=proposal, actor=None)
    return made


# -- the student's yes and no -----------------------------------------------------------------

def test_students_clicking_yes_five_times_each_are_sent_once_and_take_one_place_each(
        app, world, session, ctx, race_engine, password_hash):
    placement = factories.make_placement(session, world.home.company, capacity=10)
    made = students_with(session, world, password_hash, placement, S.offered, 8)

    outcomes = race(app, race_engine, [by(offers.student_accept, p.id, user_id)
                                       for p, user_id in made for _click in range(5)])

    assert outcomes.count(OK) == 8
    assert set(outcomes) - {OK} <= not_now(S.student_accepted, S.sent_to_company)
    assert taken(race_engine, placement.id) == 8
    for proposal, _user_id in made:
        assert log_of(race_engine, proposal.id) == ["student_accept", "send_to_company"]
        assert status_of(race_engine, proposal.id) is S.sent_to_company
    assert notifications(race_engine, "candidate") == {f"/candidates/{p.id}": 1
                                                       for p, _u in made}
    assert_places_add_up(race_engine)


def test_more_yes_than_places_fills_the_places_and_no_more(
        app, world, session, ctx, race_engine, password_hash):
    placement = factories.make_placement(session, world.home.company, capacity=3)
    made = students_with(session, world, password_hash, placement, S.offered, 8)

    outcomes = race(app, race_engine, [by(offers.student_accept, p.id, user_id)
                                       for p, user_id in made for _click in range(5)])

    assert outcomes.count(OK) == 8
    assert taken(race_engine, placement.id) == 3
    statuses = Counter(status_of(race_engine, p.id) for p, _u in made)
    assert statuses == {S.sent_to_company: 3, S.student_accepted: 5}
    waiting = {p.id for p, _u in made if status_of(race_engine, p.id) is S.student_accepted}
    for proposal, _user_id in made:
        assert log_of(race_engine, proposal.id) == (
            ["student_accept"] if proposal.id in waiting
            else ["student_accept", "send_to_company"])
    counsellors = len(counsellors_of(session=session, school_ids=[world.home.school.id]))
    assert notifications(race_engine, "send_failed") == {f"/review/{pid}": counsellors
                                                         for pid in waiting}
    assert_places_add_up(race_engine)


def test_a_student_saying_no_forty_times_at_once_is_logged_and_told_once(
        app, world, session, ctx, race_engine, password_hash):
    placement = factories.make_placement(session, world.home.company, capacity=2)
    [(proposal, user_id)] = students_with(session, world, password_hash, placement,
                                          S.offered, 1)

    outcomes = race(app, race_engine, [by(offers.student_decline, proposal.id, user_id)
                                       for _click in range(N)])

    assert outcomes.count(OK) == 1
    assert set(outcomes) - {OK} == not_now(S.student_declined)
    assert log_of(race_engine, proposal.id) == ["student_decline"]
    counsellors = len(counsellors_of(session=session, school_ids=[world.home.school.id]))
    assert notifications(race_engine, "student_declined") == {
        f"/review/{proposal.id}": counsellors}
    assert_places_add_up(race_engine)


def test_yes_and_no_at_once_only_one_of_them_counts(
        app, world, session, ctx, race_engine, password_hash):
    placement = factories.make_placement(session, world.home.company, capacity=2)
    [(proposal, user_id)] = students_with(session, world, password_hash, placement,
                                          S.offered, 1)

    outcomes = race(app, race_engine, [
        by(offers.student_accept if i % 2 else offers.student_decline, proposal.id, user_id)
        for i in range(N)])

    assert outcomes.count(OK) == 1
    assert log_of(race_engine, proposal.id) in (["student_accept", "send_to_company"],
                                                ["student_decline"])
    assert taken(race_engine, placement.id) == (
        1 if status_of(race_engine, proposal.id) is S.sent_to_company else 0)
    assert_places_add_up(race_engine)


# -- the company's answer -----------------------------------------------------------------------

def test_a_company_declining_forty_times_at_once_frees_one_place(
        app, world, session, ctx, race_engine, password_hash):
    placement = factories.make_placement(session, world.home.company, capacity=2)
    (first, _u), (other, _v) = sent(session, world, password_hash, placement, 2)
    assert taken(race_engine, placement.id) == 2

    outcomes = race(app, race_engine, [
        by(candidates.company_decline, first.id, world.home.company_user.id, reason="vol")
        for _click in range(N)])

    assert outcomes.count(OK) == 1
    assert set(outcomes) - {OK} == not_now(S.company_declined)
    assert log_of(race_engine, first.id) == ["send_to_company", "company_decline"]
    assert status_of(race_engine, other.id) is S.sent_to_company
    assert taken(race_engine, placement.id) == 1
    assert sum(notifications(race_engine, "company_declined").values()) == 1 + len(
        counsellors_of(session=session, school_ids=[world.home.school.id]))
    assert_places_add_up(race_engine)


def test_a_company_accepting_and_declining_at_once_gives_one_answer(
        app, world, session, ctx, race_engine, password_hash):
    placement = factories.make_placement(session, world.home.company, capacity=2)
    (proposal, _u), = sent(session, world, password_hash, placement, 1)
    company = world.home.company_user.id

    outcomes = race(app, race_engine, [
        by(candidates.company_accept, proposal.id, company) if i % 2 else
        by(candidates.company_decline, proposal.id, company, reason="vol") for i in range(N)])

    assert outcomes.count(OK) == 1
    answer = log_of(race_engine, proposal.id)
    assert answer in (["send_to_company", "company_accept"],
                      ["send_to_company", "company_decline"])
    assert taken(race_engine, placement.id) == (1 if answer[-1] == "company_accept" else 0)
    assert_places_add_up(race_engine)


def test_freed_places_are_taken_at_most_once_while_declines_and_sends_cross(
        app, world, session, ctx, race_engine, password_hash):
    placement = factories.make_placement(session, world.home.company, capacity=2)
    holding = sent(session, world, password_hash, placement, 2)
    waiting = students_with(session, world, password_hash, placement, S.student_accepted, 4)
    company, counsellor = world.home.company_user.id, world.home.counsellor.id

    calls = [by(candidates.company_decline, p.id, company, reason="vol")
             for p, _u in holding for _click in range(10)]
    calls += [by(candidates.send_to_company, p.id, counsellor)
              for p, _u in waiting for _click in range(5)]
    outcomes = race(app, race_engine, calls)

    assert outcomes[:20].count(OK) == 2  # each holder declined once
    for proposal, _u in holding:
        assert log_of(race_engine, proposal.id) == ["send_to_company", "company_decline"]
    sends = [log_of(race_engine, p.id) for p, _u in waiting]
    assert all(log in ([], ["send_to_company"]) for log in sends)
    assert outcomes[20:].count(OK) == sends.count(["send_to_company"]) <= 2
    assert taken(race_engine, placement.id) == sends.count(["send_to_company"])
    assert_places_add_up(race_engine)


def test_lapsing_while_the_company_answers_ends_each_offer_once(
        app, world, session, ctx, race_engine, password_hash):
    placement = factories.make_placement(session, world.home.company, capacity=4)
    made = sent(session, world, password_hash, placement, 4)
    company = world.home.company_user.id
    later = local_today() + timedelta(days=60)
    lapsed = []

    def lapse(session):
        return lambda: lapsed.append(candidates.lapse_overdue(session=session, today=later))

    calls = [lapse] * 20
    calls += [by(candidates.company_accept if i % 2 else candidates.company_decline,
                 made[i % 4][0].id, company, **({} if i % 2 else {"reason": "vol"}))
              for i in range(20)]
    outcomes = race(app, race_engine, calls)

    ends = Counter(log_of(race_engine, p.id)[-1] for p, _u in made)
    for proposal, _u in made:
        assert len(log_of(race_engine, proposal.id)) == 2  # sent, then one end
    assert sum(lapsed) == ends["lapse"]
    assert outcomes[20:].count(OK) == ends["company_accept"] + ends["company_decline"]
    assert taken(race_engine, placement.id) == ends["company_accept"]
    assert_places_add_up(race_engine)


# -- the counsellor's review --------------------------------------------------------------------

def test_approving_forty_times_at_once_offers_once(
        app, world, session, ctx, race_engine, password_hash):
    [(proposal, _u)] = students_with(session, world, password_hash, world.home.placement,
                                     S.proposed, 1)

    outcomes = race(app, race_engine, [by(review.approve, proposal.id, world.home.counsellor.id)
                                       for _click in range(N)])

    assert outcomes.count(OK) == 1
    assert set(outcomes) - {OK} == not_now(S.offered)
    assert log_of(race_engine, proposal.id) == ["approve", "offer"]
    assert sum(notifications(race_engine, "offer").values()) == 1
    assert_places_add_up(race_engine)


def test_rejecting_forty_times_at_once_is_logged_once(
        app, world, session, ctx, race_engine, password_hash):
    [(proposal, _u)] = students_with(session, world, password_hash, world.home.placement,
                                     S.proposed, 1)

    outcomes = race(app, race_engine, [
        by(review.reject, proposal.id, world.home.counsellor.id, reason_code="other",
           reason="past niet") for _click in range(N)])

    assert outcomes.count(OK) == 1
    assert set(outcomes) - {OK} == not_now(S.rejected)
    assert log_of(race_engine, proposal.id) == ["reject"]


def test_approving_and_rejecting_at_once_decides_once(
        app, world, session, ctx, race_engine, password_hash):
    [(proposal, _u)] = students_with(session, world, password_hash, world.home.placement,
                                     S.proposed, 1)
    counsellor = world.home.counsellor.id

    outcomes = race(app, race_engine, [
        by(review.approve, proposal.id, counsellor) if i % 2 else
        by(review.reject, proposal.id, counsellor, reason_code="other", reason="past niet")
        for i in range(N)])

    assert outcomes.count(OK) == 1
    log = log_of(race_engine, proposal.id)
    assert log in (["approve", "offer"], ["reject"])
    assert sum(notifications(race_engine, "offer").values()) == (log == ["approve", "offer"])


def test_ten_decline_requests_at_once_through_the_website_free_one_place(
        app, world, session, ctx, race_engine, password_hash):
    """The case as found: a placement of 2, both places held, the company's decline sent 10
    times at once over HTTP; the other candidate keeps her place."""
    from flask_login.utils import _create_identifier

    placement = factories.make_placement(session, world.home.company, capacity=2)
    (first, _u), (other, _v) = sent(session, world, password_hash, placement, 2)
    company = world.home.company_user
    clients = []
    for _i in range(10):
        client = app.test_client()
        with app.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
        with client.session_transaction() as browser:
            browser.update({"_user_id": company.get_id(), "_fresh": True, "_id": identifier})
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    codes: list[int] = []

    def post(client):
        barrier.wait()
        codes.append(client.post(f"/candidates/{first.id}/decline",
                                 data={"reason": "vol", "reason_code": "full"}).status_code)

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert codes == [302] * 10
    assert log_of(race_engine, first.id) == ["send_to_company", "company_decline"]
    assert status_of(race_engine, other.id) is S.sent_to_company
    assert taken(race_engine, placement.id) == 1
    assert_places_add_up(race_engine)


def test_bulk_approvals_and_single_rejections_at_once_decide_each_proposal_once(
        app, world, session, ctx, race_engine, password_hash):
    made = students_with(session, world, password_hash, world.home.placement, S.proposed, 5)
    ids = [p.id for p, _u in made]
    counsellor = world.home.counsellor.id

    def bulk(session):
        proposals = [session.get(MatchProposal, i) for i in reversed(ids)]
        actor = session.get(User, counsellor)
        return lambda: review.decide_many(session=session, proposals=proposals, actor=actor,
                                          decision="approve")

    calls = [bulk] * 20 + [by(review.reject, ids[i % 5], counsellor, reason_code="other",
                              reason="past niet") for i in range(20)]
    outcomes = race(app, race_engine, calls)

    assert outcomes[:20] == [OK] * 20  # decided meanwhile is skipped, not an error
    for proposal_id in ids:
        assert log_of(race_engine, proposal_id) in (["approve", "offer"], ["reject"])
    rejected = sum(log_of(race_engine, i) == ["reject"] for i in ids)
    assert outcomes[20:].count(OK) == rejected


def test_confirming_a_placement_forty_times_at_once_is_logged_once(
        app, world, session, ctx, race_engine, password_hash):
    placement = factories.make_placement(session, world.home.company, capacity=2)
    (proposal, _u), = sent(session, world, password_hash, placement, 1)
    candidates.company_accept(session=session, proposal=proposal,
                              actor=world.home.company_user)

    outcomes = race(app, race_engine, [
        by(candidates.confirm_placed, proposal.id, world.home.company_user.id)
        for _click in range(N)])

    assert outcomes.count(OK) == 1
    assert set(outcomes) - {OK} == not_now(S.placed)
    assert log_of(race_engine, proposal.id) == ["send_to_company", "company_accept",
                                                "confirm_placed"]
    assert taken(race_engine, placement.id) == 1
    assert_places_add_up(race_engine)
