"""Students find and choose placements themselves: "Voor jou", the search, "Ik heb interesse".

What a student may choose from is what the matching engine would admit for them: open
placements (across region borders) that pass its hard rules for this student — their level,
the kinds they want, their travel limit, a period that overlaps. Showing interest makes a
proposal like a round's, scored and explained the same way, whose origin says the student
chose it; their counsellor decides on it as on any other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from matching.recommend import recommend
from matching.scoring import MatchScorer, PairScore, StudentBatch

from ..models import (
    Company,
    DecisionLog,
    MatchProposal,
    Placement,
    ProposalOrigin,
    StudentProfile,
    User,
    utcnow,
)
from ..models.base import local_today
from ..models.lifecycle import NOT_TURNED_DOWN, STUDENT_VISIBLE
from .errors import ServiceError
from .matching import configured_weights, excluded_pairs, fitted_scorer
from .matching_data import free_places, student_records
from .notifications import counsellors_of, notify
from .rows import id_of

FOR_YOU_SIZE = 10


class ChoiceError(ServiceError):
    """The interest cannot be shown; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class Reach:
    """What the engine admits for one student today: placement id -> (score, km or None)."""

    scorer: MatchScorer
    batch: StudentBatch | None
    scores: dict[int, float]
    distances: dict[int, float | None]

    def index(self, placement_id: int) -> int | None:
        position = np.flatnonzero(self.scorer.placement_ids_ == placement_id)
        return int(position[0]) if len(position) else None


@dataclass(frozen=True)
class Suggestion:
    placement: Placement
    company: Company
    reason: str
    talent_led: bool
    distance_km: float | None


def reach_of(*, session: Session, student: StudentProfile, today: date) -> Reach:
    """The open placements within ``student``'s reach, with their score and distance."""
    scorer = fitted_scorer(session=session, today=today, weights=configured_weights())
    records = student_records(session=session, student_ids=[id_of(student)], today=today)
    if not records or not len(scorer.placements_):
        return Reach(scorer, None, {}, {})
    batch = scorer.prepare(records)
    scores = scorer.score_one(records[0], batch=batch)
    ids = scorer.placement_ids_.tolist()
    admitted = {int(ids[j]): float(scores[j]) for j in np.flatnonzero(np.isfinite(scores))}
    distances = {pid: _km(student.postcode, scorer.placements_[j].postcode)
                 for j, pid in enumerate(ids) if pid in admitted}
    return Reach(scorer, batch, admitted, distances)


def _km(a: str | None, b: str | None) -> float | None:
    from matching.geo import distance_km  # the postcode table: only when a distance is asked

    if not a or not b:
        return None
    km = distance_km(a, b)
    return None if km is None or math.isnan(km) else round(km, 1)


def for_you(*, session: Session, student: StudentProfile, today: date | None = None,
            language: str = "nl") -> list[Suggestion]:
    """The student's own top list, best first, each with its reason; a placement kept there for
    the student's observed talent (not their stated interest) says so."""
    today = today or local_today()
    reach = reach_of(session=session, student=student, today=today)
    if reach.batch is None or not reach.scores:
        return []
    scorer, batch = reach.scorer, reach.batch
    column = {int(pid): j for j, pid in enumerate(scorer.placement_ids_.tolist())}
    never = {column[p] for _s, p in excluded_pairs(session=session, student_ids=[id_of(student)])
             if p in column}
    never |= {column[p] for p in _live_placement_ids(session, student) if p in column}
    listed = recommend(scorer, batch, scorer.score(batch), k=FOR_YOU_SIZE, exclude={0: never})
    row = listed.row(0)
    if not row:
        return []
    pairs = cast(list[PairScore], scorer.pairs(batch, [0] * len(row), [j for j, *_ in row],
                                               force=[True] * len(row)))
    rows = placements_with_companies(session, [pair.placement_id for pair in pairs])
    return [Suggestion(*rows[pair.placement_id], reason=pair.explanation.text(language),
                       talent_led=bool(led), distance_km=reach.distances.get(pair.placement_id))
            for (_j, _score, led), pair in zip(row, pairs, strict=True)
            if pair.placement_id in rows]


def placements_with_companies(session: Session, ids: list[int]
                               ) -> dict[int, tuple[Placement, Company]]:
    if not ids:
        return {}
    found = session.exec(select(Placement, Company)
                         .join(Company, col(Company.id) == Placement.company_id)
                         .where(col(Placement.id).in_(ids))).all()
    return {id_of(placement): (placement, company) for placement, company in found}


def _live_placement_ids(session: Session, student: StudentProfile) -> set[int]:
    """Placements the student has a proposal for that did not end in a "no"."""
    return set(session.exec(select(MatchProposal.placement_id).where(
        MatchProposal.student_id == student.id,
        col(MatchProposal.status).in_(NOT_TURNED_DOWN))).all())


def in_reach(*, session: Session, student: StudentProfile, placement: Placement,
             today: date | None = None) -> bool:
    reach = reach_of(session=session, student=student, today=today or local_today())
    return id_of(placement) in reach.scores


def show_interest(*, session: Session, student: StudentProfile, placement: Placement,
                  actor: User, today: date | None = None) -> MatchProposal:
    """"Ik heb interesse": a proposal of the student's own choice in their counsellor's queue,
    scored and explained like a round's. Commits; tells the counsellors."""
    today = today or local_today()
    if id_of(placement) in _live_placement_ids(session, student):
        raise ChoiceError(_("You already have this placement among your choices or "
                            "proposals."))
    reach = reach_of(session=session, student=student, today=today)
    j = reach.index(id_of(placement))
    if j is None or reach.batch is None:
        raise ChoiceError(_("This placement is not open."))
    if placement.id not in reach.scores:
        raise ChoiceError(_("This placement is out of your reach (level, kind, distance or "
                            "period)."))
    if free_places(session=session, placement_ids=[id_of(placement)]).get(placement.id, 0) <= 0:
        raise ChoiceError(_("This placement has no free place left."))
    pair = cast(PairScore, reach.scorer.pair(reach.batch.students[0], j, batch=reach.batch,
                                             force=True))
    better = sum(1 for score in reach.scores.values() if score > pair.score)
    proposal = MatchProposal(
        student_id=id_of(student), placement_id=id_of(placement), rank=better + 1,
        score=pair.score, components=pair.components, shared_themes=list(pair.shared_themes),
        explanation=pair.explanation.text_nl[:1000], explanation_parts=pair.explanation.parts,
        distance_km=pair.distance_km, origin=ProposalOrigin.student)
    session.add(proposal)
    session.flush()
    session.add(DecisionLog(proposal_id=proposal.id, actor_id=actor.id,
                            actor_role=actor.role.value, at=utcnow(), action="student_choice",
                            to_status=proposal.status.value))
    name, title = student.display_name, placement.title
    notify(session=session, users=counsellors_of(session=session, school_ids=[student.school_id]),
           kind="student_choice",
           message=lambda: _("%(name)s is interested in %(title)s: their own choice is in your "
                             "review queue.", name=name, title=title),
           link=f"/review/{proposal.id}")
    session.commit()
    return proposal


@dataclass(frozen=True)
class Choice:
    proposal: MatchProposal
    placement: Placement
    company: Company

    @property
    def waiting_for_counsellor(self) -> bool:
        return self.proposal.status not in STUDENT_VISIBLE


def choices_of(*, session: Session, student: StudentProfile) -> list[Choice]:
    """The student's own choices, newest first, whatever became of them."""
    rows = session.exec(
        select(MatchProposal, Placement, Company)
        .join(Placement, col(Placement.id) == MatchProposal.placement_id)
        .join(Company, col(Company.id) == Placement.company_id)
        .where(MatchProposal.student_id == student.id,
               MatchProposal.origin == ProposalOrigin.student)
        .order_by(col(MatchProposal.created_at).desc(), col(MatchProposal.id).desc())).all()
    return [Choice(*row) for row in rows]
