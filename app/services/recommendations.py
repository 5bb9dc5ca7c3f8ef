"""Each student's short list as a table: what a counsellor talks through with a student.

The list is :func:`matching.recommend.recommend`: the best placements by score, with a
placement kept in it for strong observed talent that the student did not name. It is scored
now, against today's open placements, leaving out the pairs that were turned down or that a
counsellor excluded, exactly as a round would. One row per listed placement, every score part a
column, so that an independent check can recount what the fairness audit reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import cast

import sqlalchemy as sa
from sqlmodel import Session, col, select

from matching.fairness import technical_placements
from matching.profiles import interest_stance, talent_level
from matching.recommend import recommend
from matching.scoring import COMPONENTS, PairScore

from ..models import Company, Placement, School, StudentProfile
from ..models.base import local_today
from .matching import (
    Scope,
    cohort_ids,
    configured_weights,
    excluded_pairs,
    fitted_scorer,
)
from .matching_data import student_records

HEADER = ("student_number", "school_code", "rank", "placement_code", "company_kvk", "company",
          "title", "kind", "score", *COMPONENTS, "distance_km", "technical", "talent_led",
          "interest_stance", "talent_level", "reason")
_CHUNK = 2_000


def recommendation_rows(*, session: Session, scope: Scope, top: int = 5,
                        today: date | None = None, language: str = "nl") -> Iterator[tuple]:
    """Rows of :data:`HEADER`, student by student (school, student number), best first."""
    today = today or local_today()
    ids = cohort_ids(session=session, scope=scope, include_underway=True)
    scorer = fitted_scorer(session=session, today=today, weights=configured_weights())
    if not ids or not len(scorer.placements_):
        return
    technical = technical_placements(scorer)
    column = {int(pid): j for j, pid in enumerate(scorer.placement_ids_.tolist())}
    facts = _placement_facts(session, scorer.placement_ids_.tolist())
    numbers = _student_numbers(session, ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        records = student_records(session=session, student_ids=chunk, today=today)
        batch = scorer.prepare(records)
        table = scorer.score(batch)
        row_of = {record.id: i for i, record in enumerate(records)}
        exclude: dict[int, set[int]] = defaultdict(set)
        for student_id, placement_id in excluded_pairs(session=session, student_ids=chunk):
            if placement_id in column:
                exclude[row_of[student_id]].add(column[placement_id])
        listed = recommend(scorer, batch, table, k=top, exclude=exclude)
        stance = interest_stance(batch.interest, scorer.profiler_.technical_)
        talent = talent_level(batch.talent, scorer.profiler_.technical_)
        rows = [(i, rank, j, led) for i in range(len(records))
                for rank, (j, _score, led) in enumerate(listed.row(i), start=1)]
        # A listed placement was scored, so every pair has a story (force: never None).
        pairs = cast(list[PairScore], scorer.pairs(batch, [r[0] for r in rows],
                                                   [r[2] for r in rows],
                                                   force=[True] * len(rows)))
        out = []
        for (i, rank, j, led), pair in zip(rows, pairs, strict=True):
            number, school = numbers[records[i].id]
            code, kvk, company, title, kind = facts[pair.placement_id]
            out.append((school, number, rank, (
                number, school, rank, code, kvk, company, title, kind, pair.score,
                *(pair.components[name] for name in COMPONENTS), pair.distance_km,
                "yes" if technical[j] else "no", "yes" if led else "no",
                str(stance[i]), str(talent[i]), pair.explanation.text(language))))
        for *_key, row in sorted(out, key=lambda item: item[:3]):
            yield row


def _placement_facts(session: Session, placement_ids: list[int]) -> dict[int, tuple]:
    found: dict[int, tuple] = {}
    for start in range(0, len(placement_ids), 5_000):
        for pid, code, kvk, name, title, kind in session.execute(
                sa.select(col(Placement.id), col(Placement.code), col(Company.kvk),
                          col(Company.name), col(Placement.title), col(Placement.kind))
                .join(Company, col(Company.id) == Placement.company_id)
                .where(col(Placement.id).in_(placement_ids[start:start + 5_000]))).all():
            found[pid] = (code, kvk, name, title, getattr(kind, "value", kind))
    return found


def _student_numbers(session: Session, student_ids: list[int]) -> dict[int, tuple[str, str]]:
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(student_ids), 5_000):
        for sid, number, school in session.exec(
                select(StudentProfile.id, StudentProfile.student_number, School.code)
                .join(School, col(School.id) == StudentProfile.school_id)
                .where(col(StudentProfile.id).in_(student_ids[start:start + 5_000]))).all():
            found[cast(int, sid)] = (number, school)  # a primary key is never NULL
    return found

