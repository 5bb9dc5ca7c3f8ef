"""Placements a counsellor may put in place of a proposal: ranked by the student's score,
within reach first, a page at a time, each saying which hard rule it breaks (if any)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from matching.hard_rules import broken_rules

from ..models import Company, MatchProposal, Placement
from .matching import configured_weights, fitted_scorer
from .matching_data import free_places, student_records

PER_PAGE = 25
# What the counsellor is told before offering a placement the engine would not propose.
RULE_TEXTS = {
    "level": _l("the placement does not take the student's level"),
    "kind": _l("the student does not want this kind of placement"),
    "distance": _l("it is further than the student will travel"),
    "period": _l("its period does not overlap when the student is available"),
    "profile": _l("the student's profile is too empty to match"),
}


@dataclass(frozen=True)
class Alternative:
    placement: Placement
    company: Company
    score: float | None  # None: a hard rule excludes the pair (the counsellor may still choose)
    free: int
    broken: tuple[str, ...] = ()      # the hard rules it breaks, see RULE_TEXTS
    distance_km: float | None = None

    @property
    def warnings(self) -> list[str]:
        return [str(RULE_TEXTS[rule]) for rule in self.broken]


@dataclass(frozen=True)
class AlternativesPage:
    rows: list[Alternative]
    page: int
    pages: int
    total: int


def alternatives_page(*, session: Session, proposal: MatchProposal, query: str = "",
                      page: int = 1, today: date | None = None,
                      per_page: int = PER_PAGE) -> AlternativesPage:
    """Open placements with a free place for this student, best score first and those a hard
    rule excludes after them; ``query`` searches references, titles, places and company
    names."""
    today = today or date.today()
    scorer = fitted_scorer(session=session, today=today, weights=configured_weights())
    record = student_records(session=session, student_ids=[proposal.student_id],
                             today=today)[0]
    batch = scorer.prepare([record])
    scores = scorer.score_one(record, batch)
    ids = scorer.placement_ids_.tolist()
    placements = {p.id: (p, c) for p, c in session.exec(
        select(Placement, Company).join(Company, col(Company.id) == Placement.company_id)
        .where(col(Placement.id).in_(ids))).all()} if ids else {}
    wanted = query.strip().lower()
    free = free_places(session=session, placement_ids=ids,
                       leaving_out_students=[proposal.student_id])
    matching = []
    for j in np.argsort(-scores, kind="stable").tolist():
        placement_id = ids[j]
        if placement_id == proposal.placement_id or free.get(placement_id, 0) <= 0:
            continue
        placement, company = placements[placement_id]
        if wanted and not any(wanted in text.lower() for text in (
                placement.code, placement.title, company.name, placement.place)):
            continue
        matching.append(j)
    pages = max(1, -(-len(matching) // per_page))
    page = min(max(page, 1), pages)
    rows = []
    for j in matching[(page - 1) * per_page:page * per_page]:
        placement, company = placements[ids[j]]
        pair = scorer.pair(record, j, batch=batch, force=True)
        distance = pair.distance_km if pair is not None else None
        finite = bool(np.isfinite(scores[j]))
        rows.append(Alternative(
            placement, company, float(scores[j]) if finite else None, free[ids[j]],
            () if finite else broken_rules(scorer, batch, 0, j, distance), distance))
    return AlternativesPage(rows, page, pages, len(matching))


def rules_broken(scorer, record, col: int, distance_km: float | None) -> tuple[str, ...]:
    """The hard rules (RULE_TEXTS) one student's record and the scorer's placement ``col``
    break; empty when the engine may propose it."""
    return broken_rules(scorer, scorer.prepare([record]), 0, col, distance_km)


def alternatives(*, session: Session, proposal: MatchProposal, query: str = "",
                 today: date | None = None, limit: int = PER_PAGE) -> list[Alternative]:
    """The first ``limit`` of :func:`alternatives_page`."""
    return alternatives_page(session=session, proposal=proposal, query=query, today=today,
                             per_page=limit).rows
