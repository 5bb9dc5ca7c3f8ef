"""Placements a counsellor may put in place of a proposal, or pin for a student's next round:
ranked by the student's score, within reach first, a page at a time, each saying which hard
rule it breaks (if any); and the check of one chosen pair against those rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from matching.hard_rules import broken_rules
from matching.scoring import PairScore

from ..models import Company, MatchProposal, Placement
from ..models.base import local_today
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
    """The placements to put in place of ``proposal``: those of :func:`student_page` but its
    own."""
    return student_page(session=session, student_id=proposal.student_id,
                        leaving_out=proposal.placement_id, query=query, page=page,
                        today=today, per_page=per_page)


def student_page(*, session: Session, student_id: int, leaving_out: int | None = None,
                 query: str = "", page: int = 1, today: date | None = None,
                 per_page: int = PER_PAGE) -> AlternativesPage:
    """Open placements with a free place for this student, best score first and those a hard
    rule excludes after them; ``query`` searches references, titles, places and company
    names."""
    today = today or local_today()
    scorer = fitted_scorer(session=session, today=today, weights=configured_weights())
    record = student_records(session=session, student_ids=[student_id], today=today)[0]
    batch = scorer.prepare([record])
    scores = scorer.score_one(record, batch)
    ids = scorer.placement_ids_.tolist()
    placements = {p.id: (p, c) for p, c in session.exec(
        select(Placement, Company).join(Company, col(Company.id) == Placement.company_id)
        .where(col(Placement.id).in_(ids))).all()} if ids else {}
    wanted = query.strip().lower()
    free = free_places(session=session, placement_ids=ids, leaving_out_students=[student_id])
    matching = []
    for j in np.argsort(-scores, kind="stable").tolist():
        placement_id = ids[j]
        if placement_id == leaving_out or free.get(placement_id, 0) <= 0:
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


@dataclass(frozen=True)
class CheckedPair:
    pair: PairScore
    broken: tuple[str, ...]  # the hard rules it breaks, see RULE_TEXTS

    @property
    def warning(self) -> str:
        return "; ".join(str(RULE_TEXTS[rule]) for rule in self.broken)


def check_pair(*, session: Session, student_id: int, placement: Placement,
               today: date | None = None) -> CheckedPair | None:
    """The student's score for one chosen placement and the hard rules the pair breaks, as
    the search showed them; None when the placement is not open for proposals."""
    today = today or local_today()
    scorer = fitted_scorer(session=session, today=today, weights=configured_weights())
    index = {pid: j for j, pid in enumerate(scorer.placement_ids_.tolist())}
    if placement.id not in index:
        return None
    record = student_records(session=session, student_ids=[student_id], today=today)[0]
    # force: a pair is always made, never None
    pair = cast(PairScore, scorer.pair(record, index[placement.id], force=True))
    return CheckedPair(pair, rules_broken(scorer, record, index[placement.id],
                                          pair.distance_km))


def alternatives(*, session: Session, proposal: MatchProposal, query: str = "",
                 today: date | None = None, limit: int = PER_PAGE) -> list[Alternative]:
    """The first ``limit`` of :func:`alternatives_page`."""
    return alternatives_page(session=session, proposal=proposal, query=query, today=today,
                             per_page=limit).rows
