"""Background jobs: asking for a round, running it in a worker, and what the web shows meanwhile.

A job row is created and committed in the request, then the task is queued (or, without a
broker, run at once). The task marks the job running, runs the round with a progress
callback that writes the stage and count through a connection of its own (the round's own
transaction stays open until everything is stored), and stores the round, its proposals, its
audit and the job's summary in one commit. A worker that dies mid-round rolls all of it
back; the task is then delivered again and starts over. A task that finds its job already
finished does nothing, so running it twice is harmless.
"""

from __future__ import annotations

import logging
import time
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, func, select

from ..db import get_engine
from ..models import (
    JOB_DONE,
    JOB_WAITING,
    BackgroundJob,
    JobKind,
    JobStatus,
    MatchRound,
    User,
    utcnow,
)
from ..models.base import local_today
from . import partitioned, queue
from .fairness import AUDIT_TASK, has_audit
from .job_states import JobError, begin_attempt, fail_job, failed_message, move, requeue_job
from .matching import MatchingError, Scope, run_matching
from .matching.cohort import cohort_size
from .matching.rounds import random_seed
from .matching_data import open_placement_ids
from .matching_pages import scope_of

log = logging.getLogger(__name__)
ROUND_TASK = "talentmatch.run_round"
# Progress is written at most this often: each write is a small commit of its own.
PROGRESS_EVERY_SECONDS = 0.5


def round_size(*, session: Session, scope: Scope, today: date | None = None) -> dict[str, int]:
    """What a round for ``scope`` would take on: shown before it is started."""
    today = today or local_today()
    return {"students": cohort_size(session=session, scope=scope),
            "placements": len(open_placement_ids(session=session, today=today))}


def start_round(*, session: Session, scope: Scope, scope_key: str, actor: User | None,
                seed: int | None = None, scope_name: str = "") -> BackgroundJob:
    """Queue a round for ``scope``; returns its job (already finished without a broker).
    ``scope_name`` is what the progress page calls the scope (its label by default)."""
    if not cohort_size(session=session, scope=scope):
        raise MatchingError(_("There are no students to match in %(scope)s.",
                              scope=scope.label), field="scope")
    job = BackgroundJob(kind=JobKind.round, scope_key=scope_key,
                        scope_label=(scope_name or scope.label)[:200],
                        parameters={"seed": seed}, created_by_id=actor.id if actor else None)
    session.add(job)
    session.commit()
    queue.enqueue(ROUND_TASK, job_id=job.id)
    session.refresh(job)
    return job


def waiting_ahead(*, session: Session, job: BackgroundJob) -> int:
    """How many jobs of the same scope were asked for earlier and have not ended."""
    if job.status not in JOB_WAITING:
        return 0
    return session.exec(select(func.count()).select_from(BackgroundJob).where(
        BackgroundJob.scope_key == job.scope_key, col(BackgroundJob.id) < job.id,
        col(BackgroundJob.status).in_(JOB_WAITING))).one()


def status_of(*, session: Session, job: BackgroundJob) -> dict:
    """The job as the progress page polls it: plain JSON."""
    return {"id": job.id, "status": job.status.value, "stage": job.stage, "done": job.done,
            "total": job.total, "percent": job.percent,
            "waiting_ahead": waiting_ahead(session=session, job=job),
            "finished": job.status in JOB_DONE, "error": job.error, "result": job.result}


class _ProgressWriter:
    """Writes the stage and count of a running job through its own short transactions."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY_SECONDS and done < total:
            return
        self.last = now
        table = BackgroundJob.__table__  # type: ignore[attr-defined]
        try:
            with get_engine().begin() as connection:
                connection.execute(sa.update(table).where(table.c.id == self.job_id)
                                   .values(stage=stage[:40], done=done, total=total))
        except DBAPIError:  # progress is a courtesy; the round goes on without it
            log.warning("could not write the progress of job %s", self.job_id)


def run_round_job(*, session: Session, job_id: int) -> None:
    """Run the round a job asks for; see the module docstring."""
    job = begin_attempt(session=session, job_id=job_id, stage="starting")
    if job is None:
        return
    actor = session.get(User, job.created_by_id) if job.created_by_id else None

    def finish(round_: MatchRound) -> None:
        # Called by run_matching just before its commit: the job ends with the round.
        job.round_id = round_.id
        job.result = dict(round_.summary)
        job.stage = "done"
        job.finished_at = utcnow()
        move(job, JobStatus.finished)
        session.add(job)

    try:
        scope = scope_of(session=session, key=job.scope_key)
        if scope == Scope() and queue.in_background():
            # Everyone at once: one task per region, run by the workers in parallel.
            seed = job.parameters.get("seed")
            partitioned.plan_round(session=session, job=job, today=local_today(),
                                   seed=seed if seed is not None else random_seed())
        else:
            round_ = run_matching(session=session, scope=scope, actor=actor,
                                  seed=job.parameters.get("seed"),
                                  progress=_ProgressWriter(job_id), before_commit=finish)
            if not has_audit(round_.fairness_audit) and queue.in_background():
                # The audit failed with the round (it is logged); a worker tries again.
                queue.enqueue(AUDIT_TASK, round_id=round_.id)
    except MatchingError as error:
        session.rollback()
        fail_job(session=session, job_id=job_id, message=str(error))


__all__ = ["JobError", "fail_job", "failed_message", "move", "requeue_job"]


def under_way(*, session: Session, scope_key: str) -> list[BackgroundJob]:
    """Rounds of a scope that wait or run, oldest first: the matching page links to them."""
    return list(session.exec(select(BackgroundJob).where(
        BackgroundJob.scope_key == scope_key, BackgroundJob.kind == JobKind.round,
        col(BackgroundJob.status).in_(JOB_WAITING)).order_by(col(BackgroundJob.id))).all())
