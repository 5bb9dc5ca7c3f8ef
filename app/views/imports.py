"""Uploading CSV files of students, activities, participations and observations."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/imports")
