"""Placements that companies post: writing them, and moving them through their statuses.

A placement starts as a draft that only the company (and admins) see, is published (open),
can be paused and reopened, and is finally closed. Every change of status is written down as
a :class:`PlacementEvent` with who, when and why.

Every function takes keyword arguments, validates, commits, and raises a
:class:`PlacementError` (a ``ValueError``) whose message says what to fix; ``field`` names
the form field the message belongs to, if any. Who may call what is decided by the views
with :mod:`app.permissions` (``can_edit_company``). Place counts come from
:mod:`app.services.places`.

The parts: :mod:`.rules` (column limits, errors, what publishing needs), :mod:`.writing`
(create and change), :mod:`.status` (publish, pause, reopen, close) and :mod:`.pages` (what
the pages read).
"""

from .pages import HistoryRow, placement_history, theme_ids_of
from .rules import (
    ALLOWANCE_MAX,
    CODE_MAX,
    DESCRIPTION_MAX,
    LEARN_AND_DO_MAX,
    MAX_DAYS_PER_WEEK,
    MAX_HOURS_PER_WEEK,
    REASON_MAX,
    TITLE_MAX,
    NotComplete,
    PlacementError,
    StatusError,
    hours_beyond_days,
    missing_for_publishing,
)
from .status import close, pause, publish, reopen
from .writing import create_placement, next_code, update_placement

__all__ = [
    "ALLOWANCE_MAX", "CODE_MAX", "DESCRIPTION_MAX", "LEARN_AND_DO_MAX", "MAX_DAYS_PER_WEEK",
    "MAX_HOURS_PER_WEEK", "REASON_MAX", "TITLE_MAX", "HistoryRow", "NotComplete",
    "PlacementError", "StatusError", "close", "create_placement", "hours_beyond_days",
    "missing_for_publishing", "next_code", "pause", "placement_history", "publish", "reopen",
    "theme_ids_of", "update_placement",
]
