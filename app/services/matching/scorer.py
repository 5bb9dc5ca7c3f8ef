"""The scorer, fitted once per set of open placements and kept per process until one of
them changes; the weights it uses and the decisions they are fitted from."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from functools import cache
from threading import Lock

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from matching.occupations import default_normaliser
from matching.profiles import occupation_lookup as profile_occupation_lookup
from matching.scoring import COMPONENTS, MatchScorer
from matching.weights import load as load_weights

from ...models import DecisionLog, MatchProposal, Placement, ProposalStatus
from ..matching_data import open_placement_filter, open_placement_ids, placement_records
from .cohort import MatchingError

_cache_lock = Lock()
_cache: dict[str, tuple[tuple, MatchScorer, float]] = {}
CACHE_SECONDS = 600


def configured_weights() -> dict[str, float] | None:
    """Weights fitted from decisions (``MATCH_WEIGHTS_FILE``), or None for the defaults."""
    path = current_app.config.get("MATCH_WEIGHTS_FILE") if has_app_context() else None
    if not path:
        return None
    try:
        return load_weights(path)
    except ValueError as error:
        raise MatchingError(_("MATCH_WEIGHTS_FILE cannot be used: %(error)s",
                              error=str(error))) from error


def matching_jobs() -> int:
    """How many processes or threads a round scores in (``MATCHING_JOBS``; 0 is one per core
    this process may use)."""
    configured = int(current_app.config.get("MATCHING_JOBS") or 0) if has_app_context() else 1
    if configured > 0:
        return configured
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(
        os.cpu_count() or 1)
    return max(len(cores), 1)


def decisions(*, session: Session) -> tuple[list[dict[str, float]], list[bool]]:
    """Every counsellor approval and rejection, with the components of what was proposed."""
    rows = session.exec(
        select(DecisionLog.action, MatchProposal.components)
        .join(MatchProposal, col(MatchProposal.id) == DecisionLog.proposal_id)
        .where(col(DecisionLog.action).in_(("approve", "reject")),
               DecisionLog.from_status == ProposalStatus.proposed.value)
        .order_by(col(DecisionLog.id))).all()
    usable = [(action, components) for action, components in rows
              if components and all(name in components for name in COMPONENTS)]
    return ([{name: float(c[name]) for name in COMPONENTS} for _, c in usable],
            [action == "approve" for action, _ in usable])


@cache
def _dream_job_lookup() -> Callable[[str], str]:
    return profile_occupation_lookup(default_normaliser())


def occupation_lookup() -> Callable[[str], str]:
    """Dream jobs to ESCO codes; the normaliser loads (a few seconds) on the first dream job."""
    return lambda text: _dream_job_lookup()(text)


def _fingerprint(session: Session, today: date, weights: dict | None) -> tuple:
    count, newest, highest = session.exec(
        select(func.count(), func.max(Placement.updated_at), func.max(Placement.id))
        .where(*open_placement_filter(today))).one()
    return (count, str(newest), highest, today.isoformat(),
            tuple(sorted((weights or {}).items())))


def fitted_scorer(*, session: Session, today: date,
                  weights: dict[str, float] | None = None) -> MatchScorer:
    """A scorer fitted on today's open placements, reused until one of them changes."""
    key = str(session.get_bind().engine.url)
    fingerprint = _fingerprint(session, today, weights)
    with _cache_lock:
        cached = _cache.get(key)
        # Placements changing is in the fingerprint; a company's role model or new feedback
        # is not, so a fitted scorer is also refitted after a while.
        if cached is not None and cached[0] == fingerprint and \
                time.monotonic() - cached[2] < CACHE_SECONDS:
            return cached[1]
    ids = open_placement_ids(session=session, today=today)
    scorer = MatchScorer(weights=weights, today=today,
                         occupation_lookup=occupation_lookup()).fit(
        placement_records(session=session, placement_ids=ids))
    with _cache_lock:
        _cache[key] = (fingerprint, scorer, time.monotonic())
    return scorer


def forget_fitted_scorers() -> None:
    with _cache_lock:
        _cache.clear()
