from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from ..db import get_session
from ..permissions import get_activity_or_404
from ..services.details import activity_detail

bp = Blueprint("activities", __name__, url_prefix="/activities")


@bp.route("/<int:activity_id>")
@login_required
def detail(activity_id: int):
    activity = get_activity_or_404(activity_id)
    return render_template("activities/detail.html",
                           data=activity_detail(session=get_session(), activity=activity))
