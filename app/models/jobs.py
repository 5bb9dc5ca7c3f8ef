"""Background jobs: a matching round or a large import that a worker runs after the request.

The row is what the web shows while the work waits, runs and ends: its stage and
percentage, its place in the queue of its scope, and its summary or error. The work itself
(a round's proposals, an import's rows) is written in one transaction by the task; the row
only follows it, so a worker that dies leaves a job that is retried, never half a round.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow
from .enums import enum_column


class JobStatus(enum.StrEnum):
    queued = "queued"
    running = "running"
    finished = "finished"
    failed = "failed"


# The state machine: a running job whose worker died is queued again by the retry.
JOB_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.queued: frozenset({JobStatus.running, JobStatus.failed}),
    JobStatus.running: frozenset({JobStatus.running, JobStatus.finished, JobStatus.failed,
                                  JobStatus.queued}),
    JobStatus.finished: frozenset(),
    JobStatus.failed: frozenset(),
}
JOB_WAITING = frozenset({JobStatus.queued, JobStatus.running})
JOB_DONE = frozenset({JobStatus.finished, JobStatus.failed})


class JobKind(enum.StrEnum):
    round = "round"
    region_round = "region_round"
    import_ = "import"


class BackgroundJob(SQLModel, table=True):
    __tablename__ = "background_job"  # type: ignore[assignment]
    __table_args__ = (sa.Index("ix_background_job_scope_status", "scope_key", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: JobKind = Field(sa_type=enum_column(JobKind))
    # Jobs of one scope (e.g. "region:3") run one after the other, in the order asked.
    scope_key: str = Field(max_length=120)
    scope_label: str = Field(default="", max_length=200)
    status: JobStatus = Field(default=JobStatus.queued, sa_type=enum_column(JobStatus))
    stage: str = Field(default="", max_length=40)
    done: int = 0
    total: int = 0
    attempts: int = 0
    parameters: dict = Field(default_factory=dict, sa_type=sa.JSON)
    result: dict = Field(default_factory=dict, sa_type=sa.JSON)
    error: str = Field(default="", max_length=2000)
    # An import's uploaded file, kept until the worker has read it (then emptied).
    payload: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    round_id: int | None = Field(default=None, foreign_key="matchround.id", ondelete="SET NULL")
    # A region's part of a partitioned round points at the job that split it.
    parent_id: int | None = Field(default=None, foreign_key="background_job.id", index=True,
                                  ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user.id", index=True,
                                      ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def percent(self) -> int:
        if self.status is JobStatus.finished:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
