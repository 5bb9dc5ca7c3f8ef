"""Matching rounds in the application: who takes part, what is stored, what changes after.

A round takes a cohort (a school, a region or everyone), scores and allocates it with the
matching library, and stores one proposal per student at most, with its components and
explanation. Running a round replaces the cohort's proposals nobody has decided on yet; a
student whose match is already underway (approved, offered, accepted, placed) is left alone.

After a round, a changed profile, observation or placement re-scores only the pending
proposals it touches (:func:`refresh_student`, :func:`refresh_placement`): the scorer fitted
on the open placements is kept per process until a placement changes, so one student takes
milliseconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from threading import Lock

import numpy as np
import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, func, select

from matching.occupations import default_normaliser
from matching.profiles import occupation_lookup as profile_occupation_lookup
from matching.rounds import Progress, run_round
from matching.scoring import COMPONENTS, MatchScorer, PairScore
from matching.weights import load as load_weights

from ..models import (
    DecisionLog,
    MatchPin,
    MatchProposal,
    MatchRound,
    PinKind,
    Placement,
    ProposalStatus,
    Region,
    RoundStatus,
    School,
    StudentProfile,
    User,
    utcnow,
)
from ..models.lifecycle import TURNED_DOWN, UNDERWAY
from .errors import ServiceError
from .fairness import round_audit
from .matching_data import (
    free_places,
    open_placement_filter,
    open_placement_ids,
    placement_records,
    student_records,
)
from .notifications import counsellors_of, notify

log = logging.getLogger(__name__)


class MatchingError(ServiceError):
    """A round could not be run as asked; nothing was stored."""


@dataclass(frozen=True)
class Scope:
    """Which students a round is for."""

    school: School | None = None
    region: Region | None = None

    @property
    def label(self) -> str:
        if self.school is not None:
            return f"school:{self.school.code}"
        if self.region is not None:
            return f"region:{self.region.slug}"
        return "all"


# -- who takes part ---------------------------------------------------------------------------

def cohort_ids(*, session: Session, scope: Scope, include_underway: bool = False) -> list[int]:
    """Students of the scope who could use a proposal: not anonymised, not leaving, not underway
    (``include_underway``: also those on their way to a placement)."""
    query = select(StudentProfile.id).where(
        StudentProfile.anonymised_at.is_(None), StudentProfile.deletion_requested_at.is_(None))
    if not include_underway:
        query = query.where(~sa.exists().where(MatchProposal.student_id == StudentProfile.id,
                                               MatchProposal.status.in_(UNDERWAY)))
    if scope.school is not None:
        query = query.where(StudentProfile.school_id == scope.school.id)
    elif scope.region is not None:
        query = query.join(School, School.id == StudentProfile.school_id).where(
            School.region_id == scope.region.id)
    return list(session.exec(query.order_by(StudentProfile.id)).all())


def _pairs(session: Session, student_ids: list[int], kind: PinKind) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for start in range(0, len(student_ids), 5_000):
        ids = student_ids[start:start + 5_000]
        found += session.exec(select(MatchPin.student_id, MatchPin.placement_id).where(
            MatchPin.kind == kind, MatchPin.student_id.in_(ids))).all()
    return found


def excluded_pairs(*, session: Session, student_ids: list[int]) -> list[tuple[int, int]]:
    """(student, placement) pairs never to propose: a counsellor excluded them, or the pair was
    turned down (rejected, declined by either side, lapsed)."""
    return _pairs(session, student_ids, PinKind.exclude) + _turned_down(session, student_ids)


def _turned_down(session: Session, student_ids: list[int]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for start in range(0, len(student_ids), 5_000):
        ids = student_ids[start:start + 5_000]
        found += session.exec(select(MatchProposal.student_id, MatchProposal.placement_id)
                              .where(MatchProposal.status.in_(TURNED_DOWN),
                                     MatchProposal.student_id.in_(ids))).all()
    return found


# -- the scorer, fitted once per set of open placements ----------------------------------------

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


def decisions(*, session: Session) -> tuple[list[dict[str, float]], list[bool]]:
    """Every counsellor approval and rejection, with the components of what was proposed."""
    rows = session.exec(
        select(DecisionLog.action, MatchProposal.components)
        .join(MatchProposal, MatchProposal.id == DecisionLog.proposal_id)
        .where(DecisionLog.action.in_(("approve", "reject")),
               DecisionLog.from_status == ProposalStatus.proposed.value)
        .order_by(DecisionLog.id)).all()
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
    key = str(session.get_bind().url)
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


# -- a round ----------------------------------------------------------------------------------

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


def run_matching(*, session: Session, scope: Scope, actor: User | None, seed: int | None = None,
                 today: date | None = None, first_pass_k: int = 10,
                 progress: Progress | None = None) -> MatchRound:
    """Runs and stores a round; returns it with its summary. Commits."""
    today = today or date.today()
    started = time.perf_counter()
    if session.get_bind().dialect.name == "postgresql":
        # One round at a time: two overlapping rounds would each count the same free places.
        session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('talentmatch-round'))"))
    seed = seed if seed is not None else int(np.random.SeedSequence().entropy % 2**31)
    weights = configured_weights()
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
        pins=_pairs(session, students, PinKind.pin),
        excludes=excluded_pairs(session=session, student_ids=students),
        first_pass_k=first_pass_k, random_state=seed, progress=progress)
    round_ = MatchRound(
        scope=scope.label, status=RoundStatus.finished,
        started_by_id=actor.id if actor else None,
        parameters={"seed": seed, "first_pass_k": first_pass_k, "today": today.isoformat(),
                    "weights": scorer.weights_, "candidates_k": scorer.candidates_k,
                    "students": len(students), "placements": len(scorer.placements_)})
    session.add(round_)
    _drop_pending(session, students)
    session.flush()
    # A counsellor may have approved someone while the round was scoring: they are underway
    # now and keep what they have.
    underway = _underway_among(session, students)
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
    # The audit counts the proposals as stored: without those left to a student underway.
    round_.fairness_audit = round_audit(
        session=session, scorer=scorer, students=records, seed=seed,
        proposals={row["student_id"]: row["placement_id"] for row in rows})
    session.add(round_)
    _tell_counsellors(session, [r["student_id"] for r in rows])
    session.commit()
    return round_


def _tell_counsellors(session: Session, student_ids: list[int]) -> None:
    """One notification per counsellor: how many new proposals of their school wait."""
    per_school: dict[int, int] = {}
    for start in range(0, len(student_ids), 5_000):
        for school_id, count in session.exec(
                select(StudentProfile.school_id, func.count())
                .where(StudentProfile.id.in_(student_ids[start:start + 5_000]))
                .group_by(StudentProfile.school_id)).all():
            per_school[school_id] = per_school.get(school_id, 0) + count
    for school_id, count in per_school.items():
        counsellors = counsellors_of(session=session, school_ids=[school_id])
        notify(session=session, users=counsellors, kind="review",
               message=lambda count=count: ngettext(
                   "%(num)s new match proposal waits for your review.",
                   "%(num)s new match proposals wait for your review.", count),
               link="/review/")


def _underway_among(session: Session, student_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(student_ids), 5_000):
        ids = student_ids[start:start + 5_000]
        found |= set(session.exec(select(MatchProposal.student_id).where(
            MatchProposal.student_id.in_(ids), MatchProposal.status.in_(UNDERWAY))).all())
    return found


def _drop_pending(session: Session, student_ids: list[int]) -> None:
    for start in range(0, len(student_ids), 5_000):
        ids = student_ids[start:start + 5_000]
        session.execute(sa.delete(MatchProposal).where(
            MatchProposal.student_id.in_(ids), MatchProposal.status == ProposalStatus.proposed))


# -- keeping pending proposals fresh -----------------------------------------------------------

def _pending(session: Session, **where) -> list[MatchProposal]:
    query = select(MatchProposal).where(MatchProposal.status == ProposalStatus.proposed)
    for name, value in where.items():
        query = query.where(getattr(MatchProposal, name) == value)
    return list(session.exec(query.order_by(MatchProposal.id)).all())


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
    today = today or date.today()
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
        if pair is not None:
            _apply(proposal, pair, position.get(j, 0))
            session.add(proposal)
            continue
        replacement = _best_free(session, scorer, record, order, proposal, avoid)
        if replacement is None:
            session.delete(proposal)
        else:
            j = index[replacement]
            pair = scorer.pair(record, j, batch=batch, force=True)
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
    blocked = {p for _, p in _pairs(session, [record.id], PinKind.exclude)}
    blocked |= {p for _, p in _turned_down(session, [record.id])}
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


# -- pins and excludes ------------------------------------------------------------------------

def set_pin(*, session: Session, student: StudentProfile, placement: Placement, kind: PinKind,
            actor: User, note: str = "") -> MatchPin:
    """Pins or excludes a pair for the next round (replacing an earlier instruction). Commits."""
    note = note.strip()
    if len(note) > 500:
        raise MatchingError(_("The note can be at most 500 characters."), field="note")
    pin = session.exec(select(MatchPin).where(MatchPin.student_id == student.id,
                                              MatchPin.placement_id == placement.id)).first()
    if pin is None:
        pin = MatchPin(student_id=student.id, placement_id=placement.id, kind=kind)
    if kind is PinKind.pin:
        other = session.exec(select(MatchPin).where(
            MatchPin.student_id == student.id, MatchPin.kind == PinKind.pin,
            MatchPin.placement_id != placement.id)).first()
        if other is not None:
            raise MatchingError(_("This student already has a pinned placement; remove that "
                                  "pin first."), field="placement")
    pin.kind, pin.note, pin.created_by_id, pin.created_at = kind, note, actor.id, utcnow()
    session.add(pin)
    session.commit()
    return pin


def remove_pin(*, session: Session, pin: MatchPin) -> None:
    session.delete(pin)
    session.commit()


def pins_of_school(*, session: Session, school_id: int) -> list[tuple[MatchPin, StudentProfile,
                                                                       Placement]]:
    return list(session.exec(
        select(MatchPin, StudentProfile, Placement)
        .join(StudentProfile, StudentProfile.id == MatchPin.student_id)
        .join(Placement, Placement.id == MatchPin.placement_id)
        .where(StudentProfile.school_id == school_id)
        .order_by(StudentProfile.last_name, StudentProfile.first_name, MatchPin.id)).all())


# -- after a save elsewhere --------------------------------------------------------------------

def after_student_change(*, session: Session, student_id: int) -> None:
    """Refreshes the student's pending proposal after their profile or an observation was
    saved. The save has been committed: a failing refresh is logged, never turned into an
    error for the person who saved."""
    try:
        refresh_student(session=session, student_id=student_id)
    except Exception:  # noqa: BLE001 - see the docstring
        session.rollback()
        log.exception("refreshing the proposals of student %s failed", student_id)


def after_placement_change(*, session: Session, placement_id: int) -> None:
    """As :func:`after_student_change`, for a saved placement."""
    try:
        refresh_placement(session=session, placement_id=placement_id)
    except Exception:  # noqa: BLE001 - see after_student_change
        session.rollback()
        log.exception("refreshing the proposals of placement %s failed", placement_id)
