from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from ..db import get_session
from ..permissions import get_placement_or_404
from ..services.details import placement_detail

bp = Blueprint("placements", __name__, url_prefix="/placements")


@bp.route("/<int:placement_id>")
@login_required
def detail(placement_id: int):
    placement = get_placement_or_404(placement_id)
    return render_template("placements/detail.html",
                           data=placement_detail(session=get_session(), placement=placement))
