from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from ..db import get_session
from ..permissions import get_student_or_404
from ..services.details import student_detail

bp = Blueprint("students", __name__, url_prefix="/students")


@bp.route("/<int:student_id>")
@login_required
def detail(student_id: int):
    student = get_student_or_404(student_id)
    return render_template("students/detail.html",
                           data=student_detail(session=get_session(), student=student))
