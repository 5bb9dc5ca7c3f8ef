"""The states of a background job and the moves between them, shared by every kind of job."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col

from ..models import JOB_DONE, BackgroundJob, JobStatus, utcnow
from ..models.jobs import JOB_TRANSITIONS
from .errors import ServiceError


class JobError(ServiceError):
    """A background job cannot be asked for or changed as asked."""


def move(job: BackgroundJob, status: JobStatus) -> None:
    if status not in JOB_TRANSITIONS[job.status]:
        raise JobError(_("This job cannot go from %(old)s to %(new)s.",
                         old=job.status.value, new=status.value))
    job.status = status


def begin_attempt(*, session: Session, job_id: int, stage: str = "") -> BackgroundJob | None:
    """Mark a job running for one more attempt (committed, so the page shows it), or None
    when there is nothing to run: no such job, or it ended already (a second delivery)."""
    job = session.get(BackgroundJob, job_id)
    if job is None or job.status in JOB_DONE:
        return None
    move(job, JobStatus.running)
    job.attempts += 1
    job.started_at = utcnow()
    job.stage, job.done, job.total = stage, 0, 0
    session.commit()
    return job


def fail_job(*, session: Session, job_id: int, message: str) -> None:
    """Mark a job failed: nothing of its work was stored (its transaction rolled back)."""
    job = session.get(BackgroundJob, job_id)
    if job is None or job.status in JOB_DONE:
        return
    move(job, JobStatus.failed)
    job.error = message[:2000]
    job.finished_at = utcnow()
    session.commit()


def requeue_job(*, session: Session, job_id: int) -> None:
    """A running job whose attempt broke off (the database went away) waits for its retry."""
    job = session.get(BackgroundJob, job_id)
    if job is not None and job.status is JobStatus.running:
        move(job, JobStatus.queued)
        job.stage = "retrying"
        session.commit()


def failed_message() -> str:
    return _("This stopped with an error; nothing of it was stored. Try again, or ask "
             "the administrator to look in the log.")


def forget_finished(*, session: Session, keep_days: int, now: datetime | None = None) -> int:
    """Delete the jobs that ended more than ``keep_days`` ago, with a partitioned round's
    region parts; returns how many whole jobs went. Only the row that followed the work goes:
    what the work wrote (a round, its proposals and audit, imported rows) stays. Without this
    every round and import ever started stays in the table, and the queue's index with it."""
    if keep_days < 1:
        raise JobError(_("Keep finished jobs at least one day."))
    cutoff = (now or utcnow()) - timedelta(days=keep_days)
    old = (sa.select(col(BackgroundJob.id))
           .where(col(BackgroundJob.parent_id).is_(None),
                  col(BackgroundJob.status).in_(sorted(JOB_DONE)),
                  col(BackgroundJob.finished_at) < cutoff)
           .scalar_subquery())
    # Parts first: SQLite enforces ON DELETE CASCADE only with its foreign keys switched on.
    session.execute(sa.delete(BackgroundJob).where(col(BackgroundJob.parent_id).in_(old)))
    gone = session.execute(sa.delete(BackgroundJob).where(col(BackgroundJob.id).in_(old)))
    session.commit()
    return int(getattr(gone, "rowcount", 0) or 0)
