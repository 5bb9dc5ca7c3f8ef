"""Uploading CSV files of regions, schools, students, activities, participations,
observations, companies and placements."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from app.db import get_session
from app.permissions import can_import, current_actor
from app.services import import_jobs
from app.services.imports import COLUMNS, KIND_LABELS, KINDS, ImportScope, run_import
from app.web.imports.forms import ImportForm

bp = Blueprint("imports", __name__, url_prefix="/imports")

# Problems and changes shown on the page; a file with more gets the first ones and a count.
SHOWN = 1000


def _allowed_kinds() -> list[str]:
    return [kind for kind in KINDS if can_import(current_user, kind)]


def examples_dir() -> Path:
    """The example files ship inside the package (templates are package data)."""
    return Path(current_app.root_path) / "templates" / "imports" / "examples"


@bp.route("/", methods=["GET", "POST"])
@login_required
def upload():
    kinds = _allowed_kinds()
    if not kinds:
        abort(403)
    form = ImportForm()
    form.limit_kinds(kinds)
    report = None
    status = 200
    if form.validate_on_submit():
        user = current_actor()
        session = get_session()
        data = form.file.data.read()
        if import_jobs.runs_in_background(data):
            job = import_jobs.start_import(session=session, user=user, kind=form.kind.data,
                                           data=data, dry_run=form.dry_run.data)
            return redirect(url_for("jobs.show", job_id=job.id))
        report = run_import(session=session, kind=form.kind.data, data=data,
                            scope=ImportScope.for_user(session=session, user=user),
                            dry_run=form.dry_run.data)
        status = 200 if report.ok else 422
    return render_template("imports/upload.html", form=form, report=report, kinds=kinds,
                           kind_labels=KIND_LABELS, shown=SHOWN), status


@bp.route("/help")
@login_required
def help_page():
    kinds = _allowed_kinds()
    if not kinds:
        abort(403)
    return render_template("imports/help.html", kinds=kinds, columns=COLUMNS,
                           kind_labels=KIND_LABELS)


@bp.route("/examples/<kind>.csv")
@login_required
def example(kind: str):
    if kind not in KINDS or not can_import(current_user, kind):
        abort(404)
    data = (examples_dir() / f"{kind}.csv").read_bytes()
    return send_file(io.BytesIO(data), mimetype="text/csv", as_attachment=True,
                     download_name=f"{kind}.csv")
