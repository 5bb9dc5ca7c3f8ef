"""Importing CSV files of regions, schools, students, activities, participations, talent
observations, companies and placements.

``run_import`` is the one entry: it checks every row first and writes all of it in one
transaction, or nothing. The command line (``talentmatch import``) and the upload page
(``/imports/``) both call it; ``docs/imports.md`` describes the formats.
"""

from __future__ import annotations

from .columns import COLUMNS, KIND_LABELS, KINDS, Column
from .problems import WHOLE_FILE, ImportChange, ImportProblem, ImportReport
from .runner import run_import
from .scope import ImportScope

__all__ = [
    "COLUMNS", "KINDS", "KIND_LABELS", "WHOLE_FILE", "Column", "ImportChange", "ImportProblem",
    "ImportReport", "ImportScope", "run_import",
]
