"""Round jobs: queued, run once in one transaction, failed cleanly, followed by the web."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from app.db import get_session
from app.models import BackgroundJob, JobKind, JobStatus, MatchProposal, MatchRound
from app.services import jobs
from app.services.matching import MatchingError, Scope, run_matching

from ... import factories


def _job(session, world, **fields) -> BackgroundJob:
    home = world.home
    values = {"kind": JobKind.round, "scope_key": f"school:{home.school.id}",
              "scope_label": f"school:{home.school.code}", "parameters": {"seed": 3},
              "created_by_id": home.counsellor.id}
    job = BackgroundJob(**{**values, **fields})
    session.add(job)
    session.commit()
    return job


def test_starting_a_round_without_a_broker_runs_it_at_once_and_ends_the_job_with_it(
        world, app):
    with app.test_request_context():
        session = get_session()
        job = jobs.start_round(session=session, scope=Scope(school=world.home.school),
                               scope_key=f"school:{world.home.school.id}",
                               actor=world.home.counsellor, seed=5)
        round_ = session.exec(select(MatchRound)).one()
        assert job.status is JobStatus.finished and job.round_id == round_.id
        assert job.result["students_proposed"] == round_.summary["students_proposed"] > 0
        assert job.started_at is not None and job.finished_at is not None
        assert job.attempts == 1 and job.percent == 100 and round_.fairness_audit


def test_a_finished_job_delivered_again_does_nothing(world, app):
    with app.test_request_context():
        session = get_session()
        job = _job(session, world)
        jobs.run_round_job(session=session, job_id=job.id)
        proposals = sorted(p.id for p in session.exec(select(MatchProposal)))
        jobs.run_round_job(session=session, job_id=job.id)
        assert len(session.exec(select(MatchRound)).all()) == 1
        assert sorted(p.id for p in session.exec(select(MatchProposal))) == proposals
        session.refresh(job)
        assert job.attempts == 1


def test_a_round_that_breaks_off_while_storing_leaves_nothing_half_written(
        world, app, monkeypatch):
    with app.test_request_context():
        session = get_session()
        run_matching(session=session, scope=Scope(school=world.home.school), actor=None, seed=1)
        before = sorted((p.student_id, p.placement_id, p.round_id)
                        for p in session.exec(select(MatchProposal)))
        job = _job(session, world)

        def audit_breaks(**_kwargs):
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

        monkeypatch.setattr("app.services.matching.rounds.round_audit", audit_breaks)
        with pytest.raises(OperationalError):
            jobs.run_round_job(session=session, job_id=job.id)
        session.rollback()
        # The old proposals were deleted and new ones written in the same transaction:
        # both were rolled back.
        after = sorted((p.student_id, p.placement_id, p.round_id)
                       for p in session.exec(select(MatchProposal)))
        assert after == before and len(session.exec(select(MatchRound)).all()) == 1
        jobs.requeue_job(session=session, job_id=job.id)
        session.refresh(job)
        assert job.status is JobStatus.queued and job.round_id is None


def test_the_round_task_retries_after_a_lost_database_and_then_finishes(world, app,
                                                                        monkeypatch):
    calls = []
    real = jobs.run_round_job

    def flaky(**kwargs):
        calls.append(kwargs["job_id"])
        if len(calls) == 1:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return real(**kwargs)

    monkeypatch.setattr(jobs, "run_round_job", flaky)
    with app.test_request_context():
        session = get_session()
        job = _job(session, world)
        app.extensions["celery"].tasks[jobs.ROUND_TASK].apply(kwargs={"job_id": job.id})
        session.refresh(job)
    assert calls == [job.id, job.id]
    assert job.status is JobStatus.finished and job.round_id is not None


def test_a_round_that_cannot_run_fails_its_job_with_the_reason_and_stores_nothing(
        world, app, session):
    job = _job(session, world, scope_key="school:999999")
    with app.test_request_context():
        jobs.run_round_job(session=get_session(), job_id=job.id)
    session.refresh(job)
    assert job.status is JobStatus.failed and "Choose whom to match" in job.error or \
        "Kies" in job.error
    assert session.exec(select(MatchRound)).first() is None


def test_an_unexpected_error_fails_the_job_with_a_plain_message(world, app, monkeypatch,
                                                                session):
    def broken(**_kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(jobs, "run_round_job", broken)
    job = _job(session, world)
    with app.test_request_context():
        result = app.extensions["celery"].tasks[jobs.ROUND_TASK].apply(
            kwargs={"job_id": job.id})
    assert isinstance(result.result, RuntimeError)
    session.refresh(job)
    assert job.status is JobStatus.failed and "nothing of it was stored" in job.error or \
        "niets van opgeslagen" in job.error


def test_starting_a_round_for_an_empty_scope_is_refused_before_a_job_is_made(world, app,
                                                                             session):
    empty = factories.make_school(session, world.home.region)
    with app.test_request_context(), pytest.raises(MatchingError):
        jobs.start_round(session=get_session(), scope=Scope(school=empty),
                         scope_key=f"school:{empty.id}", actor=None)
    assert session.exec(select(BackgroundJob)).first() is None


def test_jobs_of_the_same_scope_asked_for_earlier_are_counted_as_ahead(world, app, session):
    first = _job(session, world)
    running = _job(session, world, status=JobStatus.running)
    other_scope = _job(session, world, scope_key="region:1")
    mine = _job(session, world)
    done = _job(session, world, status=JobStatus.finished)
    with app.test_request_context():
        assert jobs.waiting_ahead(session=session, job=mine) == 2
        assert jobs.waiting_ahead(session=session, job=first) == 0
        assert jobs.waiting_ahead(session=session, job=other_scope) == 0
        assert jobs.status_of(session=session, job=done)["waiting_ahead"] == 0
        assert jobs.status_of(session=session, job=running)["waiting_ahead"] == 1


def test_progress_is_written_where_the_page_can_read_it_while_the_round_runs(world, app,
                                                                            session):
    job = _job(session, world, status=JobStatus.running)
    with app.test_request_context():
        write = jobs._ProgressWriter(job.id)
        write("scoring", 40, 100)
        write("scoring", 41, 100)  # within half a second: not written
    session.refresh(job)
    assert (job.stage, job.done, job.total, job.percent) == ("scoring", 40, 100, 40)


def test_a_finished_job_cannot_be_failed_or_queued_again(world, app, session):
    job = _job(session, world, status=JobStatus.finished)
    with app.test_request_context():
        jobs.fail_job(session=session, job_id=job.id, message="late")
        jobs.requeue_job(session=session, job_id=job.id)
        with pytest.raises(jobs.JobError):
            jobs.move(job, JobStatus.running)
    session.refresh(job)
    assert job.status is JobStatus.finished and job.error == ""
