"""A student's own profile, talent record, data export and deletion request."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("profile", __name__, url_prefix="/me")
