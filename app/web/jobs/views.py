"""Following a background job: a page with its stage and progress, and the JSON it polls."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from app.db import get_session
from app.models import JobKind, Role
from app.permissions import get_job_or_404, require_role
from app.services import import_jobs, jobs

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
STAFF = (Role.counsellor, Role.coordinator, Role.admin)


@bp.route("/<int:job_id>")
@require_role(*STAFF)
def show(job_id: int):
    job = get_job_or_404(job_id)
    status = jobs.status_of(session=get_session(), job=job)
    if job.kind is JobKind.import_:
        report = import_jobs.report_from_dict(job.result) if job.result else None
        return render_template("jobs/import.html", job=job, status=status, report=report,
                               problem_count=job.result.get("problem_count", 0),
                               change_count=job.result.get("change_count", 0),
                               shown=import_jobs.KEPT)
    return render_template("jobs/show.html", job=job, status=status)


@bp.route("/<int:job_id>/status")
@require_role(*STAFF)
def status(job_id: int):
    job = get_job_or_404(job_id)
    response = jsonify(jobs.status_of(session=get_session(), job=job))
    response.headers["Cache-Control"] = "no-store"
    return response
