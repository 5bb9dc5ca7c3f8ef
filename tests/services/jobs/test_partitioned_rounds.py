"""A round for everyone with workers: one task per region, border places booked once."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import col, select

from app.db import get_session
from app.models import (
    BackgroundJob,
    JobKind,
    JobStatus,
    MatchProposal,
    MatchRound,
    Placement,
    Region,
    RoundStatus,
    User,
)
from app.models.base import local_today
from app.services import jobs, partitioned
from app.services.fairness import has_audit
from app.services.matching import Scope
from app.services.matching_data import free_places
from seeds import generate


@pytest.fixture
def app_config(app_config):
    # Workers are configured; their tasks run in this process instead of through Redis.
    return {**app_config, "BROKER_URL": "redis://127.0.0.1:9/0"}


@pytest.fixture
def seeded(session, password_hash, app):
    app.extensions["celery"].conf.task_always_eager = True
    generate(session, students=300, placements=150, seed=11, password_hash=password_hash,
             as_of=local_today())
    return session


def _admin(session) -> User:
    return session.exec(select(User).where(User.role == "admin")).first()


def test_a_round_for_everyone_runs_one_task_per_region_and_books_no_place_twice(seeded, app):
    session = seeded
    regions = session.exec(select(Region)).all()
    assert len(regions) > 1
    with app.test_request_context():
        all_ids = list(session.exec(select(MatchProposal.placement_id)).all())
        job = jobs.start_round(session=get_session(), scope=Scope(), scope_key="all",
                               actor=_admin(session), seed=4)
    session.expire_all()
    job = session.get(BackgroundJob, job.id)
    children = session.exec(select(BackgroundJob).where(
        BackgroundJob.parent_id == job.id)).all()
    assert job.status is JobStatus.finished, job.error
    assert {c.kind for c in children} == {JobKind.region_round}
    assert all(c.status is JobStatus.finished for c in children)
    assert len(children) == len({c.scope_key for c in children}) > 1
    round_ = session.get(MatchRound, job.round_id)
    assert round_.status is RoundStatus.finished and round_.parameters["partitioned"]
    stored = session.exec(select(MatchProposal).where(
        MatchProposal.round_id == round_.id)).all()
    assert stored and len({p.student_id for p in stored}) == len(stored)
    assert round_.summary["students_proposed"] == len(stored)
    assert round_.summary["double_bookings"] == 0 and job.result == round_.summary
    # Counted against the places free before the round, none is proposed beyond them.
    per_placement = Counter(p.placement_id for p in stored)
    with app.test_request_context():
        free = free_places(session=session, placement_ids=list(per_placement),
                           leaving_out_students=[p.student_id for p in stored])
    assert all(n <= free[pid] for pid, n in per_placement.items())
    assert not all_ids  # nothing was proposed before this round
    # Each region audited on its own, then the whole round by a task of its own.
    assert set(round_.fairness_audit["regions"]) == {c.scope_label for c in children}
    assert has_audit(round_.fairness_audit) and round_.fairness_audit["partitioned"]


def test_a_region_that_fails_for_good_fails_the_round_and_leaves_none_of_it(seeded, app,
                                                                           monkeypatch):
    session = seeded
    real = partitioned._sub_round
    calls = Counter()

    def broken_in_one_region(session_, part, today, seed):
        calls[part.region] += 1
        if part.region == min(calls):
            raise RuntimeError("out of memory")
        return real(session_, part, today, seed)

    monkeypatch.setattr(partitioned, "_sub_round", broken_in_one_region)
    with app.test_request_context():
        job = jobs.start_round(session=get_session(), scope=Scope(), scope_key="all",
                               actor=_admin(session), seed=4)
    session.expire_all()
    job = session.get(BackgroundJob, job.id)
    assert job.status is JobStatus.failed and job.error
    failed = session.exec(select(BackgroundJob).where(
        BackgroundJob.parent_id == job.id, BackgroundJob.status == JobStatus.failed)).all()
    assert len(failed) == 1 and failed[0].scope_label in job.error
    round_ = session.get(MatchRound, job.round_id)
    assert round_.status is RoundStatus.failed
    assert session.exec(select(MatchProposal).where(
        col(MatchProposal.round_id) == round_.id)).first() is None


def test_without_workers_everyone_is_not_offered_on_the_web(world, client, login, app):
    app.config["BROKER_URL"] = ""
    login(world.admin)
    assert 'value="all"' not in client.get("/matching/").text
    app.config["BROKER_URL"] = "redis://127.0.0.1:9/0"
    assert 'value="all"' in client.get("/matching/?scope=all").text


def test_places_claimed_elsewhere_while_a_region_scored_are_not_proposed_again(seeded, app,
                                                                             monkeypatch):
    session = seeded
    real, taken = partitioned._sub_round, []

    def someone_else_fills_a_placement(session_, part, today, seed):
        scored = real(session_, part, today, seed)
        if not taken and scored[2].proposals:
            # Meanwhile, another round or a counsellor filled this placement.
            placement = session.get(Placement, scored[2].proposals[0].placement_id)
            placement.places_taken = placement.capacity
            session.commit()
            taken.append(placement.id)
        return scored

    monkeypatch.setattr(partitioned, "_sub_round", someone_else_fills_a_placement)
    with app.test_request_context():
        job = jobs.start_round(session=get_session(), scope=Scope(), scope_key="all",
                               actor=_admin(session), seed=4)
    session.expire_all()
    assert taken and session.get(BackgroundJob, job.id).status is JobStatus.finished
    assert session.exec(select(MatchProposal).where(
        MatchProposal.placement_id == taken[0])).first() is None
