"""Finished background jobs are forgotten after KEEP_JOBS_DAYS: the scheduler's daily task
and `talentmatch forget-jobs` delete the rows that followed work that ended long ago, with a
partitioned round's parts, and leave waiting, running and recent jobs alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import BackgroundJob, JobKind, JobStatus, utcnow
from app.services import job_states
from app.services.job_states import JobError

NOW = utcnow()


def _job(session, *, status: JobStatus, days_ago: int | None, parent: BackgroundJob | None = None,
         label: str = "") -> BackgroundJob:
    job = BackgroundJob(kind=JobKind.region_round if parent else JobKind.round,
                        scope_key="region:1", scope_label=label, status=status,
                        parent_id=parent.id if parent else None,
                        finished_at=None if days_ago is None else NOW - timedelta(days=days_ago))
    session.add(job)
    session.commit()
    return job


def _labels(session) -> set[str]:
    return {job.scope_label for job in session.exec(select(BackgroundJob))}


def test_jobs_that_ended_long_ago_go_with_their_parts_and_the_rest_stays(session):
    old = _job(session, status=JobStatus.finished, days_ago=40, label="old")
    _job(session, status=JobStatus.finished, days_ago=40, parent=old, label="old part")
    _job(session, status=JobStatus.failed, days_ago=31, label="old failure")
    _job(session, status=JobStatus.finished, days_ago=29, label="recent")
    _job(session, status=JobStatus.queued, days_ago=None, label="waiting")
    _job(session, status=JobStatus.running, days_ago=None, label="running")
    assert job_states.forget_finished(session=session, keep_days=30, now=NOW) == 2
    session.expire_all()
    assert _labels(session) == {"recent", "waiting", "running"}
    assert job_states.forget_finished(session=session, keep_days=30, now=NOW) == 0


def test_keeping_jobs_less_than_a_day_is_refused(session):
    with pytest.raises(JobError):
        job_states.forget_finished(session=session, keep_days=0)


def test_the_scheduler_runs_the_cleanup_daily_with_the_configured_days(app, session):
    from app.tasks.upkeep import forget_jobs

    celery = app.extensions["celery"]
    entry = celery.conf.beat_schedule["forget-jobs"]
    assert entry["task"] == "talentmatch.forget_jobs" and entry["task"] in celery.tasks
    assert entry["schedule"].total_seconds() == 24 * 3600
    _job(session, status=JobStatus.finished, days_ago=3, label="three days")
    app.config["KEEP_JOBS_DAYS"] = 2
    with app.app_context():
        assert forget_jobs.delay().get() == 1
    session.expire_all()
    assert _labels(session) == set()


def test_the_command_deletes_what_ended_before_the_days_given(cli, session):
    _job(session, status=JobStatus.failed, days_ago=10, label="ten days")
    _job(session, status=JobStatus.finished, days_ago=3, label="three days")
    result = cli("forget-jobs", "--days", "7")
    assert result.exit_code == 0
    assert "1 finished job(s) older than 7 days deleted." in result.output
    session.expire_all()
    assert _labels(session) == {"three days"}
