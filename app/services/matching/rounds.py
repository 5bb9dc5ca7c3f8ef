"""A matching round: score and allocate the cohort, replace its pending proposals, audit
the result and tell the counsellors."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import cast

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, col, func, select

from matching.rounds import Progress, run_round
from matching.scoring import PairScore

from ...models import (
    MatchProposal,
    MatchRound,
    PinKind,
    ProposalOrigin,
    ProposalStatus,
    RoundStatus,
    StudentProfile,
    User,
    utcnow,
)
from ...models.base import local_today
from ...models.lifecycle import UNDERWAY
from ..fairness import round_audit
from ..matching_data import free_places, student_records
from ..notifications import counsellors_of, notify
from .cohort import MatchingError, Scope, cohort_ids, excluded_pairs, pairs_of_kind
from .scorer import configured_weights, fitted_scorer, matching_jobs


def proposal_row(round_id: int | None, pair: PairScore, *, rank: int, pinned: bool,
                  now) -> dict:
    return {
        "round_id": round_id, "student_id": pair.student_id,
        "placement_id": pair.placement_id, "rank": rank, "score": pair.score,
        "components": pair.components, "shared_themes": list(pair.shared_themes),
        "explanation": pair.explanation.text_nl[:1000],
        "explanation_parts": pair.explanation.parts, "distance_km": pair.distance_km,
        "status": ProposalStatus.proposed, "pinned": pinned, "counsellor_note": "",
        "holds_place": False, "created_at": now, "updated_at": now,
    }


def lock_rounds(session: Session) -> None:
    """Until this transaction ends, no other round counts or claims free places (PostgreSQL;
    SQLite lets one writer in at a time anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        # One round at a time: two overlapping rounds would each count the same free places.
        session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('talentmatch-round'))"))


def random_seed() -> int:
    """A fresh tie-break number, stored with the round so that it can be run again alike."""
    return int(cast(int, np.random.SeedSequence().entropy) % 2**31)


def run_matching(*, session: Session, scope: Scope, actor: User | None, seed: int | None = None,
                 today: date | None = None, first_pass_k: int = 10,
                 progress: Progress | None = None,
                 before_commit: Callable[[MatchRound], None] | None = None) -> MatchRound:
    """Runs and stores a round; returns it with its summary. Commits once, after
    ``before_commit`` (a background job ending with the round) has added its part."""
    today = today or local_today()
    started = time.perf_counter()
    lock_rounds(session)
    seed = seed if seed is not None else random_seed()
    weights = configured_weights()
    if progress is not None:
        progress("loading", 0, 1)
    students = cohort_ids(session=session, scope=scope)
    if not students:
        raise MatchingError(_("There are no students to match in %(scope)s.",
                              scope=scope.label))
    scorer = fitted_scorer(session=session, today=today, weights=weights)
    if not len(scorer.placements_):
        raise MatchingError(_("There are no open placements to match with."))
    records = student_records(session=session, student_ids=students, today=today)
    result = run_round(
        scorer=scorer, students=records,
        free_places=free_places(session=session, placement_ids=scorer.placement_ids_.tolist(),
                                leaving_out_students=students),
        pins=pairs_of_kind(session, students, PinKind.pin),
        excludes=excluded_pairs(session=session, student_ids=students),
        first_pass_k=first_pass_k, random_state=seed, progress=progress,
        n_jobs=matching_jobs())
    if progress is not None:
        progress("storing", 0, 1)
    round_ = MatchRound(
        scope=scope.label, status=RoundStatus.finished,
        started_by_id=actor.id if actor else None,
        parameters={"seed": seed, "first_pass_k": first_pass_k, "today": today.isoformat(),
                    "weights": scorer.weights_, "candidates_k": scorer.candidates_k,
                    "students": len(students), "placements": len(scorer.placements_)})
    session.add(round_)
    drop_pending(session, students)
    session.flush()
    # A counsellor may have approved someone while the round was scoring: they are underway
    # now and keep what they have.
    underway = underway_among(session, students)
    now = utcnow()
    rows = [proposal_row(round_.id, p.pair, rank=p.rank, pinned=p.pinned, now=now)
            for p in result.proposals if p.student_id not in underway]
    for start in range(0, len(rows), 5_000):
        session.execute(sa.insert(MatchProposal), rows[start:start + 5_000])
    round_.finished_at = utcnow()
    round_.summary = {**result.summary(), "students": len(students),
                      "seconds": round(time.perf_counter() - started, 2),
                      "refused_pins": [
                          {"student_id": r.student_id, "placement_id": r.placement_id,
                           "reason": r.reason} for r in result.refused_pins]}
    if progress is not None:
        progress("auditing", 0, 1)
    # The audit counts the proposals as stored: without those left to a student underway.
    round_.fairness_audit = round_audit(
        session=session, scorer=scorer, students=records, seed=seed,
        proposals={row["student_id"]: row["placement_id"] for row in rows})
    session.add(round_)
    tell_counsellors(session, [r["student_id"] for r in rows])
    if before_commit is not None:
        before_commit(round_)
    session.commit()
    return round_


def tell_counsellors(session: Session, student_ids: list[int]) -> None:
    """One notification per counsellor: how many new proposals of their school wait."""
    per_school: dict[int, int] = {}
    for start in range(0, len(student_ids), 5_000):
        for school_id, count in session.exec(
                select(StudentProfile.school_id, func.count())
                .where(col(StudentProfile.id).in_(student_ids[start:start + 5_000]))
                .group_by(col(StudentProfile.school_id))).all():
            per_school[school_id] = per_school.get(school_id, 0) + count
    for school_id, count in per_school.items():
        counsellors = counsellors_of(session=session, school_ids=[school_id])
        notify(session=session, users=counsellors, kind="review",
               message=lambda count=count: ngettext(
                   "%(num)s new match proposal waits for your review.",
                   "%(num)s new match proposals wait for your review.", count),
               link="/review/")


def underway_among(session: Session, student_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(student_ids), 5_000):
        ids = student_ids[start:start + 5_000]
        found |= set(session.exec(select(MatchProposal.student_id).where(
            col(MatchProposal.student_id).in_(ids), col(MatchProposal.status).in_(UNDERWAY))).all())
    return found


def drop_pending(session: Session, student_ids: list[int]) -> None:
    for start in range(0, len(student_ids), 5_000):
        ids = student_ids[start:start + 5_000]
        # A student's own choice stays: it is theirs, not the round's, to replace.
        session.execute(sa.delete(MatchProposal).where(
            col(MatchProposal.student_id).in_(ids),
            col(MatchProposal.status) == ProposalStatus.proposed,
            col(MatchProposal.origin) == ProposalOrigin.engine))
