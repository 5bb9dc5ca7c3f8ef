"""Tasks that carry out a background job: a matching round, or a large import."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import Task, shared_task
from celery.exceptions import Retry
from sqlalchemy.exc import DBAPIError

from app.db import get_session
from app.services import import_jobs, jobs, partitioned

log = logging.getLogger(__name__)


def _carry_out(task: Task, job_id: int, runner: Callable[..., object]) -> None:
    """Run a job. A database that goes away midway rolls its transaction back; the task
    then tries again after 2, 4, 8, ... seconds. Anything else fails the job with a plain
    message, and the error is logged."""
    session = get_session()
    try:
        runner(session=session, job_id=job_id)
    except DBAPIError as error:
        session.rollback()
        if task.request.retries >= (task.max_retries or 0):
            jobs.fail_job(session=session, job_id=job_id, message=jobs.failed_message())
            raise
        jobs.requeue_job(session=session, job_id=job_id)
        raise task.retry(exc=error, countdown=2 ** (task.request.retries + 1)) from error
    except Exception:
        session.rollback()
        log.exception("background job %s failed", job_id)
        jobs.fail_job(session=session, job_id=job_id, message=jobs.failed_message())
        raise


@shared_task(name=jobs.ROUND_TASK, bind=True, max_retries=5, acks_late=True)
def run_round(self, job_id: int) -> None:
    _carry_out(self, job_id, lambda **kwargs: jobs.run_round_job(**kwargs))


@shared_task(name=import_jobs.IMPORT_TASK, bind=True, max_retries=5, acks_late=True)
def run_import(self, job_id: int) -> None:
    _carry_out(self, job_id, lambda **kwargs: import_jobs.run_import_job(**kwargs))


@shared_task(name=partitioned.REGION_TASK, bind=True, max_retries=5, acks_late=True)
def run_region_round(self, job_id: int) -> None:
    """One region of a round for everyone. When it fails for good, the round learns it
    (the last region to end fails and cleans up the whole round)."""
    try:
        _carry_out(self, job_id, lambda **kwargs: partitioned.run_region(**kwargs))
    except Retry:
        raise
    except Exception:
        session = get_session()
        session.rollback()
        partitioned.region_gave_up(session=session, job_id=job_id)
        raise
