"""Search-as-you-type over the technology themes."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

from app.web.ui.query_params import text_arg
from matching.taxonomy import default_matcher

bp = Blueprint("themes", __name__, url_prefix="/themes")


@bp.route("/search")
@login_required
def search():
    """Themes for a typed text, forgiving misspellings: ?q=robotika finds robotica."""
    query = text_arg("q", max_length=60)
    hits = default_matcher().search(query, limit=8)
    return {"query": query,
            "themes": [{"slug": h.slug, "label_nl": h.label_nl, "label_en": h.label_en,
                        "score": h.score} for h in hits]}
