"""Background jobs: who may follow one."""

from __future__ import annotations

from app.models import BackgroundJob, JobKind, Role, User
from app.permissions.base import current_actor, load_or_404
from app.permissions.proposals import can_run_matching


def can_follow_job(user: User, job: BackgroundJob) -> bool:
    """The one who asked for it; for a round, also anyone who may run rounds of its scope
    (a colleague sees the round a coordinator started); admins every job."""
    if user.role is Role.admin or job.created_by_id == user.id:
        return True
    return job.kind is JobKind.round and can_run_matching(user, job.scope_key)


def get_job_or_404(job_id: int) -> BackgroundJob:
    user = current_actor()
    return load_or_404(BackgroundJob, job_id, lambda job: can_follow_job(user, job))
