"""Company contacts invited by a coordinator set their own password here."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("invitations", __name__, url_prefix="/invitations")
