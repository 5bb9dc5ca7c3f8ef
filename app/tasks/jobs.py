"""Tasks that carry out a background job: a matching round for a scope."""

from __future__ import annotations

import logging

from celery import shared_task
from sqlalchemy.exc import DBAPIError

from app.db import get_session
from app.services import jobs

log = logging.getLogger(__name__)


@shared_task(name=jobs.ROUND_TASK, bind=True, max_retries=5, acks_late=True)
def run_round(self, job_id: int) -> None:
    """Run a job's round. A database that goes away mid-round rolls the round back; the
    task then tries again after 2, 4, 8, ... seconds. Anything else fails the job with a
    message and is logged."""
    session = get_session()
    try:
        jobs.run_round_job(session=session, job_id=job_id)
    except DBAPIError as error:
        session.rollback()
        if self.request.retries >= self.max_retries:
            jobs.fail_job(session=session, job_id=job_id, message=jobs.failed_message())
            raise
        jobs.requeue_job(session=session, job_id=job_id)
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
    except Exception:
        session.rollback()
        log.exception("round job %s failed", job_id)
        jobs.fail_job(session=session, job_id=job_id, message=jobs.failed_message())
        raise
