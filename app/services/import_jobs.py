"""Large imports in the background: the file is kept with its job until a worker reads it.

With workers (``BROKER_URL``), a file of more than :data:`INLINE_LINES` lines is not checked
and written inside the upload request (a school's whole administration would take longer
than a proxy waits) but by a worker; the uploader follows it on the job's page, which shows
the same report. The import itself is unchanged: every row checked, then all written in one
transaction or nothing. If a worker dies after that commit but before the job is marked
finished, the retry imports the same file again, which finds every row and changes nothing
(imports are keyed by student number, code or reference).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from ..models import BackgroundJob, JobKind, JobStatus, User, utcnow
from . import queue
from .imports import KIND_LABELS, ImportScope, run_import
from .imports.problems import ImportChange, ImportProblem, ImportReport
from .job_states import begin_attempt, fail_job, move

IMPORT_TASK = "talentmatch.run_import"
# Smaller files are imported in the request, as without workers.
INLINE_LINES = 2_000
# Problems and changes kept with a finished job (the page shows the first 1,000).
KEPT = 1_000


def runs_in_background(data: bytes) -> bool:
    return queue.in_background() and data.count(b"\n") > INLINE_LINES


def start_import(*, session: Session, user: User, kind: str, data: bytes,
                 dry_run: bool) -> BackgroundJob:
    job = BackgroundJob(kind=JobKind.import_, scope_key=f"import:{kind}",
                        scope_label=str(KIND_LABELS[kind]), payload=data,
                        parameters={"kind": kind, "dry_run": dry_run,
                                    "lines": data.count(b"\n")},
                        created_by_id=user.id)
    session.add(job)
    session.commit()
    queue.enqueue(IMPORT_TASK, job_id=job.id)
    session.refresh(job)
    return job


def run_import_job(*, session: Session, job_id: int) -> None:
    job = begin_attempt(session=session, job_id=job_id, stage="checking")
    if job is None:
        return
    user = session.get(User, job.created_by_id) if job.created_by_id else None
    if user is None or job.payload is None:
        fail_job(session=session, job_id=job_id,
                 message=_("The account that uploaded this file is gone; nothing was imported."))
        return
    report = run_import(session=session, kind=job.parameters["kind"], data=job.payload,
                        scope=ImportScope.for_user(session=session, user=user),
                        dry_run=bool(job.parameters.get("dry_run")))
    job = session.get(BackgroundJob, job_id)
    assert job is not None  # it was there a moment ago and jobs are not deleted
    job.result = report_to_dict(report)
    job.payload = None
    job.stage = "done"
    job.finished_at = utcnow()
    move(job, JobStatus.finished)
    session.commit()


def report_to_dict(report: ImportReport) -> dict:
    return {"kind": report.kind, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "dry_run": report.dry_run, "rows": report.rows,
            "ignored_columns": list(report.ignored_columns),
            "problem_count": len(report.problems), "change_count": len(report.changes),
            "problems": [[p.line, p.column, p.message] for p in report.problems[:KEPT]],
            "changes": [[c.line, c.action, c.key, list(c.columns)]
                        for c in report.changes[:KEPT]]}


def report_from_dict(data: dict) -> ImportReport:
    return ImportReport(
        kind=data["kind"], created=data["created"], updated=data["updated"],
        unchanged=data["unchanged"], dry_run=data["dry_run"], rows=data["rows"],
        ignored_columns=tuple(data["ignored_columns"]),
        problems=tuple(ImportProblem(line, column, message)
                       for line, column, message in data["problems"]),
        changes=tuple(ImportChange(line, action, key, tuple(columns))
                      for line, action, key, columns in data["changes"]))
