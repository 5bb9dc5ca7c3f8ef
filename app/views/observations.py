"""Recording and correcting talent observations."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("observations", __name__, url_prefix="/observations")
