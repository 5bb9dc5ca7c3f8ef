"""The states of a background job and the moves between them, shared by every kind of job."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

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
