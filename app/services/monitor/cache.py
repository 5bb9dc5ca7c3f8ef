"""The monitor's figures, counted once a minute per region and school year.

Every figure is a count over a whole region (or every region): GROUP BY over participations,
proposals, placements and their history. On 20,000 students the seven of them take 100-200 ms,
and they were counted again at every view. Now each process counts them once per region and
school year (every school year together is one more) and keeps them for
:data:`FRESH_SECONDS`: every page and CSV download of that scope in that time shows the same
figures, and the page says when they were counted. So a figure is at most a minute old; a
decision taken now shows in the monitor within the minute. A process keeps at most
:data:`MAX_SCOPES` scopes (the least recently counted go first), a few kilobytes each.

Each process keeps its own copy (2 gunicorn workers count a scope twice a minute at most):
counting costs far less than asking a shared cache would save, and nothing is shared between
processes or machines that could go stale in one of them for longer.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlmodel import Session

from ...models import utcnow
from .figures import (
    AnswerRow,
    FunnelRow,
    ParticipantRow,
    SectorRow,
    TalentRow,
    answer_times,
    funnel,
    participants,
    sectors,
    talent_without_match,
)
from .scope import DIMENSIONS, Scope, school_years

FRESH_SECONDS = 60
MAX_SCOPES = 64
_KEY = "talentmatch.monitor_figures"
_clock = time.monotonic


@dataclass(frozen=True)
class Figures:
    """Every figure of the monitor for one region (or all) and school year (or all)."""

    counted_at: datetime
    participants: dict[str, list[ParticipantRow]]  # by "kind", "pillar" and "level"
    funnel: list[FunnelRow]
    sectors: list[SectorRow]
    answers: list[AnswerRow]
    talent: list[TalentRow]
    # What the pages make of these figures (tables in a language, rendered charts), kept
    # with them and dropped with them when they are counted again.
    derived: dict = field(default_factory=dict, compare=False, repr=False)


def count_figures(*, session: Session, scope: Scope) -> Figures:
    """Counts every figure now, in the database."""
    return Figures(
        counted_at=utcnow(),
        participants={by: participants(session=session, scope=scope, by=by)
                      for by in DIMENSIONS},
        funnel=funnel(session=session, scope=scope),
        sectors=sectors(session=session, scope=scope),
        answers=answer_times(session=session, scope=scope),
        talent=talent_without_match(session=session, scope=scope))


class _Kept:
    """The figures a process keeps, by scope, each with when it was counted (monotonic)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()

    def get(self, key: tuple, now: float) -> Any:
        with self.lock:
            found = self.entries.get(key)
            if found is None or now - found[0] >= FRESH_SECONDS:
                return None
            return found[1]

    def put(self, key: tuple, now: float, value: Any) -> None:
        with self.lock:
            self.entries[key] = (now, value)
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_SCOPES:
                self.entries.popitem(last=False)


def _kept() -> _Kept:
    return current_app.extensions.setdefault(_KEY, _Kept())


def _scope_key(scope: Scope) -> tuple:
    return ("figures", scope.region.id if scope.region is not None else None,
            scope.school_year)


def figures_of(*, session: Session, scope: Scope) -> Figures:
    """The figures of ``scope``, counted at most :data:`FRESH_SECONDS` ago."""
    kept, now, key = _kept(), _clock(), _scope_key(scope)
    found = kept.get(key, now)
    if found is None:
        found = count_figures(session=session, scope=scope)
        kept.put(key, now, found)
    return found


def cached_school_years(*, session: Session) -> list[str]:
    """:func:`.scope.school_years`, kept as long as the figures."""
    kept, now = _kept(), _clock()
    found = kept.get(("years",), now)
    if found is None:
        found = school_years(session=session)
        kept.put(("years",), now, found)
    return found


def forget(*, app=None) -> None:
    """Drops every kept figure of this process (the next view counts again)."""
    (app or current_app).extensions.pop(_KEY, None)
