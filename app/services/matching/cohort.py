"""Who takes part in a round: the students of a school, a region or everyone who could use a
proposal, and the pairs never to propose or always to keep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ...models import (
    MatchPin,
    MatchProposal,
    PinKind,
    ProposalOrigin,
    ProposalStatus,
    Region,
    School,
    StudentProfile,
)
from ...models.lifecycle import TURNED_DOWN, UNDERWAY
from ..errors import ServiceError


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


def _cohort_query(scope: Scope, include_underway: bool):
    query = select(StudentProfile.id).where(
        col(StudentProfile.anonymised_at).is_(None),
        col(StudentProfile.deletion_requested_at).is_(None))
    if not include_underway:
        query = query.where(~sa.exists().where(col(MatchProposal.student_id) == StudentProfile.id,
                                               col(MatchProposal.status).in_(UNDERWAY)))
    if scope.school is not None:
        query = query.where(StudentProfile.school_id == scope.school.id)
    elif scope.region is not None:
        query = query.join(School, col(School.id) == StudentProfile.school_id).where(
            School.region_id == scope.region.id)
    return query


def cohort_ids(*, session: Session, scope: Scope, include_underway: bool = False) -> list[int]:
    """Students of the scope who could use a proposal: not anonymised, not leaving, not underway
    (``include_underway``: also those on their way to a placement)."""
    query = _cohort_query(scope, include_underway)
    # A primary key is never NULL.
    return cast(list[int], list(session.exec(query.order_by(col(StudentProfile.id))).all()))


def cohort_size(*, session: Session, scope: Scope) -> int:
    """How many students :func:`cohort_ids` would give, counted in the database."""
    return session.exec(select(sa.func.count()).select_from(
        _cohort_query(scope, False).subquery())).one()


def pairs_of_kind(session: Session, student_ids: list[int], kind: PinKind) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for start in range(0, len(student_ids), 5_000):
        ids = student_ids[start:start + 5_000]
        found += session.exec(select(MatchPin.student_id, MatchPin.placement_id).where(
            MatchPin.kind == kind, col(MatchPin.student_id).in_(ids))).all()
    return found


def excluded_pairs(*, session: Session, student_ids: list[int]) -> list[tuple[int, int]]:
    """(student, placement) pairs never to propose: a counsellor excluded them, the pair was
    turned down (rejected, declined by either side, lapsed), or the student chose it
    themselves and their counsellor has yet to decide (it is in the queue already)."""
    return (pairs_of_kind(session, student_ids, PinKind.exclude)
            + turned_down_pairs(session, student_ids)
            + own_choice_pairs(session, student_ids))


def own_choice_pairs(session: Session, student_ids: list[int]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for start in range(0, len(student_ids), 5_000):
        ids = student_ids[start:start + 5_000]
        found += session.exec(select(MatchProposal.student_id, MatchProposal.placement_id)
                              .where(MatchProposal.origin == ProposalOrigin.student,
                                     MatchProposal.status == ProposalStatus.proposed,
                                     col(MatchProposal.student_id).in_(ids))).all()
    return found


def turned_down_pairs(session: Session, student_ids: list[int]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for start in range(0, len(student_ids), 5_000):
        ids = student_ids[start:start + 5_000]
        found += session.exec(select(MatchProposal.student_id, MatchProposal.placement_id)
                              .where(col(MatchProposal.status).in_(TURNED_DOWN),
                                     col(MatchProposal.student_id).in_(ids))).all()
    return found
