"""Keeping pending proposals fresh: re-score one student's or one placement's after a save,
and give a student another placement when theirs no longer fits or has no place."""

from __future__ import annotations

import logging
from datetime import date
from typing import cast

import numpy as np
from sqlmodel import Session, col, select

from matching.scoring import MatchScorer, PairScore

from ...models import (
    MatchProposal,
    PinKind,
    Placement,
    ProposalOrigin,
    ProposalStatus,
    utcnow,
)
from ...models.base import local_today
from .. import queue
from ..matching_data import free_places, student_records
from .cohort import pairs_of_kind, turned_down_pairs
from .scorer import configured_weights, fitted_scorer

log = logging.getLogger(__name__)
REFRESH_STUDENT_TASK = "talentmatch.refresh_student"
REFRESH_PLACEMENT_TASK = "talentmatch.refresh_placement"


def _pending(session: Session, **where) -> list[MatchProposal]:
    # A student's own choice is scored once, when they make it, and never swapped for another.
    query = select(MatchProposal).where(MatchProposal.status == ProposalStatus.proposed,
                                        MatchProposal.origin == ProposalOrigin.engine)
    for name, value in where.items():
        query = query.where(getattr(MatchProposal, name) == value)
    return list(session.exec(query.order_by(col(MatchProposal.id))).all())


def _apply(proposal: MatchProposal, pair: PairScore, rank: int) -> None:
    proposal.placement_id = pair.placement_id
    proposal.score = pair.score
    proposal.rank = rank
    proposal.components = pair.components
    proposal.shared_themes = list(pair.shared_themes)
    proposal.explanation = pair.explanation.text_nl[:1000]
    proposal.explanation_parts = pair.explanation.parts
    proposal.distance_km = pair.distance_km
    proposal.updated_at = utcnow()


def refresh_student(*, session: Session, student_id: int, today: date | None = None,
                    avoid: frozenset[int] = frozenset()) -> bool:
    """Re-scores this student's pending proposal; replaces it when it no longer fits.

    A proposal for a placement in ``avoid`` is replaced too. Returns whether anything changed.
    Commits.
    """
    pending = _pending(session, student_id=student_id)
    if not pending:
        return False
    today = today or local_today()
    scorer = fitted_scorer(session=session, today=today, weights=configured_weights())
    records = student_records(session=session, student_ids=[student_id], today=today)
    if not records:
        return False
    record = records[0]
    index = {pid: j for j, pid in enumerate(scorer.placement_ids_.tolist())}
    batch = scorer.prepare([record])
    scores = scorer.score_one(record, batch=batch)
    order = [int(j) for j in np.argsort(-scores, kind="stable") if np.isfinite(scores[j])]
    position = {j: n for n, j in enumerate(order, start=1)}
    for proposal in pending:
        j = index.get(proposal.placement_id)
        pair = None
        if j is not None and proposal.placement_id not in avoid:
            pair = scorer.pair(record, j, batch=batch, force=proposal.pinned)
        if j is not None and pair is not None:
            _apply(proposal, pair, position.get(j, 0))
            session.add(proposal)
            continue
        replacement = _best_free(session, scorer, record, order, proposal, avoid)
        if replacement is None:
            session.delete(proposal)
        else:
            j = index[replacement]
            # force: a pair is always made, never None
            pair = cast(PairScore, scorer.pair(record, j, batch=batch, force=True))
            _apply(proposal, pair, position.get(j, 0))
            # Another placement: the note and the pin were about the old one.
            proposal.pinned = False
            proposal.counsellor_note = ""
            session.add(proposal)
    session.commit()
    return True


def _best_free(session: Session, scorer: MatchScorer, record, order: list[int],
               proposal: MatchProposal, avoid: frozenset[int]) -> int | None:
    ids = scorer.placement_ids_
    blocked = {p for _, p in pairs_of_kind(session, [record.id], PinKind.exclude)}
    blocked |= {p for _, p in turned_down_pairs(session, [record.id])}
    blocked |= {proposal.placement_id, *avoid}
    candidates = [int(ids[j]) for j in order if int(ids[j]) not in blocked]
    free = free_places(session=session, placement_ids=candidates,
                       leaving_out_students=[record.id])
    return next((pid for pid in candidates if free.get(pid, 0) > 0), None)


def refresh_placement(*, session: Session, placement_id: int,
                      today: date | None = None) -> int:
    """Re-scores the pending proposals for this placement; returns how many were touched.

    When the placement closed, or has fewer places than pending proposals, the students who
    fit it least are given another placement (or lose the proposal when none fits).
    """
    pending = _pending(session, placement_id=placement_id)
    if not pending:
        return 0
    placement = session.get(Placement, placement_id)
    free = free_places(session=session, placement_ids=[placement_id],
                       leaving_out_students=[p.student_id for p in pending]).get(placement_id, 0)
    keep = {p.id for p in sorted(pending, key=lambda p: (not p.pinned, -p.score))[:free]}
    students = [(p.student_id, placement is None or p.id not in keep) for p in pending]
    for student_id, moving in students:
        refresh_student(session=session, student_id=student_id, today=today,
                        avoid=frozenset({placement_id}) if moving else frozenset())
    return len(students)


# -- after a save elsewhere --------------------------------------------------------------------


def after_student_change(*, session: Session, student_id: int) -> None:
    """Refreshes the student's pending proposal after their profile or an observation was
    saved. The save has been committed: a failing refresh is logged, never turned into an
    error for the person who saved. With workers, a worker does it (refitting the scorer
    takes seconds at 20,000 placements) and the request returns at once."""
    if queue.in_background():
        queue.enqueue(REFRESH_STUDENT_TASK, student_id=student_id)
        return
    try:
        refresh_student(session=session, student_id=student_id)
    except Exception:  # noqa: BLE001 - see the docstring
        session.rollback()
        log.exception("refreshing the proposals of student %s failed", student_id)


def after_placement_change(*, session: Session, placement_id: int) -> None:
    """As :func:`after_student_change`, for a saved placement."""
    if queue.in_background():
        queue.enqueue(REFRESH_PLACEMENT_TASK, placement_id=placement_id)
        return
    try:
        refresh_placement(session=session, placement_id=placement_id)
    except Exception:  # noqa: BLE001 - see after_student_change
        session.rollback()
        log.exception("refreshing the proposals of placement %s failed", placement_id)
