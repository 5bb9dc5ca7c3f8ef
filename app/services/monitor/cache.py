"""The monitor's figures, counted once a minute per region and school year.

Every figure is a count over a whole region (or every region): GROUP BY over participations,
proposals, placements and their history. On 20,000 students the seven of them take 100-200 ms,
and they were counted again at every view. Now each process counts them once per region and
school year (every school year together is one more) and keeps them: every page and CSV
download of that scope shows the same figures, and the page says when they were counted.

How fresh: at most :data:`FRESH_SECONDS` (a minute) old. A scope that pages read is counted
again in the background once its figures are :data:`REFRESH_AFTER` seconds old (a daemon
thread per process, waking every :data:`REFRESH_TICK` seconds), so under load no page waits
for a count, which would hold up every request queued behind it on its worker; one nobody
read for a minute is left to expire and counted by the next page that asks. A decision taken
now shows in the monitor within the minute. A process keeps at most :data:`MAX_SCOPES` scopes
(the least recently counted go first), a few kilobytes each.

Each process keeps its own copy (2 gunicorn workers count a scope twice a minute): counting
costs far less than asking a shared cache would save, and nothing shared between processes or
machines can go stale in one of them for longer.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlmodel import Session

from ...db import get_session
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
REFRESH_AFTER = 45  # in use and this old: counted again in the background
REFRESH_TICK = 5
MAX_SCOPES = 64
_KEY = "talentmatch.monitor_figures"
_clock = time.monotonic
log = logging.getLogger(__name__)


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


@dataclass
class _Entry:
    at: float                           # when it was counted (monotonic seconds)
    value: Any
    recount: Callable[[Session], Any]   # counts it again
    read_at: float                      # when a page last read it


class _Kept:
    """What a process keeps, by key, with when it was counted and last read."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self.refresher: threading.Thread | None = None

    def get(self, key: tuple, now: float) -> Any:
        with self.lock:
            found = self.entries.get(key)
            if found is None or now - found.at >= FRESH_SECONDS:
                return None
            found.read_at = now
            return found.value

    def put(self, key: tuple, at: float, value: Any, recount: Callable[[Session], Any]) -> None:
        with self.lock:
            before = self.entries.get(key)
            self.entries[key] = _Entry(at, value, recount, before.read_at if before else at)
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_SCOPES:
                self.entries.popitem(last=False)

    def due(self, now: float) -> list[tuple[tuple, Callable[[Session], Any]]]:
        """What is in use (read in the last minute) and counted :data:`REFRESH_AFTER` ago."""
        with self.lock:
            return [(key, entry.recount) for key, entry in self.entries.items()
                    if now - entry.at >= REFRESH_AFTER and now - entry.read_at < FRESH_SECONDS]


def _kept() -> _Kept:
    return current_app.extensions.setdefault(_KEY, _Kept())


def _keep(key: tuple, session: Session, recount: Callable[[Session], Any]) -> Any:
    kept, now = _kept(), _clock()
    found = kept.get(key, now)
    if found is None:
        found = recount(session)
        kept.put(key, now, found, recount)
        _start_refresher(current_app._get_current_object(), kept)  # type: ignore[attr-defined]
    return found


def _scope_key(scope: Scope) -> tuple:
    return ("figures", scope.region.id if scope.region is not None else None,
            scope.school_year)


def figures_of(*, session: Session, scope: Scope) -> Figures:
    """The figures of ``scope``, counted at most :data:`FRESH_SECONDS` ago."""
    return _keep(_scope_key(scope), session,
                 lambda counting: count_figures(session=counting, scope=scope))


def cached_school_years(*, session: Session) -> list[str]:
    """:func:`.scope.school_years`, kept as long as the figures."""
    return _keep(("years",), session, lambda counting: school_years(session=counting))


def refresh_due(*, app: Flask) -> int:
    """Counts again, in an app context of its own, what pages read in the last minute and
    was counted :data:`REFRESH_AFTER` seconds ago or more; returns how many. Each process's
    refresher calls this every :data:`REFRESH_TICK` seconds."""
    kept = app.extensions.get(_KEY)
    if kept is None:
        return 0
    due = kept.due(_clock())
    for key, recount in due:
        with app.app_context():
            started = _clock()
            kept.put(key, started, recount(get_session()), recount)
    return len(due)


def _start_refresher(app: Flask, kept: _Kept) -> None:
    """One daemon thread per process and app that keeps the figures in use fresh, so that a
    page never waits for them to be counted again (it would hold up its worker's queue). Not
    under tests (``TESTING``): they call :func:`refresh_due` themselves."""
    if kept.refresher is not None or app.config.get("TESTING"):
        return
    with kept.lock:
        if kept.refresher is not None:
            return
        kept.refresher = threading.Thread(target=_refresh_forever, args=(weakref.ref(app), kept),
                                          name="monitor-refresher", daemon=True)
    kept.refresher.start()


def _refresh_forever(app_ref: weakref.ref, kept: _Kept) -> None:
    while True:
        time.sleep(REFRESH_TICK)
        app = app_ref()
        if app is None or app.extensions.get(_KEY) is not kept:
            return  # the app is gone, or its figures were dropped: a new refresher follows
        try:
            refresh_due(app=app)
        except Exception:  # noqa: BLE001 - the pages count for themselves meanwhile
            log.exception("the monitor's figures could not be counted again")
        del app


def forget(*, app=None) -> None:
    """Drops every kept figure of this process (the next view counts again)."""
    (app or current_app).extensions.pop(_KEY, None)
