"""Proposals as a table: one row per proposal, every score component a column."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlmodel import Session, col

from matching.scoring import COMPONENTS

from ..models import Company, MatchProposal, Placement, School, StudentProfile

HEADER = ("round", "student_number", "school_code", "placement_code", "company_kvk", "rank",
          "score", *COMPONENTS, "distance_km", "pinned", "status", "explanation")


def proposal_rows(*, session: Session, round_id: int | None = None,
                  school_id: int | None = None, region_id: int | None = None
                  ) -> Iterator[tuple]:
    query = (sa.select(MatchProposal, col(StudentProfile.student_number), col(School.code),
                       col(Placement.code), col(Company.kvk))
             .join(StudentProfile, col(StudentProfile.id) == MatchProposal.student_id)
             .join(School, col(School.id) == StudentProfile.school_id)
             .join(Placement, col(Placement.id) == MatchProposal.placement_id)
             .join(Company, col(Company.id) == Placement.company_id))
    if round_id is not None:
        query = query.where(col(MatchProposal.round_id) == round_id)
    if school_id is not None:
        query = query.where(col(StudentProfile.school_id) == school_id)
    if region_id is not None:
        query = query.where(col(School.region_id) == region_id)
    query = query.order_by(col(MatchProposal.round_id), col(School.code),
                           col(StudentProfile.student_number), col(MatchProposal.rank),
                           col(MatchProposal.id))
    for proposal, number, school, code, kvk in session.execute(query.execution_options(
            yield_per=2_000)):
        components = proposal.components or {}
        yield (proposal.round_id, number, school, code, kvk, proposal.rank,
               round(proposal.score, 4), *(components.get(name) for name in COMPONENTS),
               proposal.distance_km, "yes" if proposal.pinned else "no",
               proposal.status.value, proposal.explanation)
