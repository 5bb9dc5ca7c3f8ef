"""Candidates a company answers, and feedback after a placement."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("candidates", __name__, url_prefix="/candidates")
