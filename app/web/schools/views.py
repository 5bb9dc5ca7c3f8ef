from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from app.db import get_session
from app.permissions import get_school_or_404
from app.services.details import school_detail

bp = Blueprint("schools", __name__, url_prefix="/schools")


@bp.route("/<int:school_id>")
@login_required
def detail(school_id: int):
    school = get_school_or_404(school_id)
    return render_template("schools/detail.html",
                           data=school_detail(session=get_session(), school=school))
