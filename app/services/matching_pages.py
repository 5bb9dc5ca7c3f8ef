"""What the matching page shows: rounds, their proposals and the pins of a cohort."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import (
    Company,
    MatchPin,
    MatchProposal,
    MatchRound,
    Placement,
    PlacementStatus,
    ProposalStatus,
    Region,
    School,
    StudentProfile,
)
from .matching import MatchingError, Scope
from .rows import id_of


def scope_of(*, session: Session, key: str) -> Scope:
    """``all``, ``region:<id>`` or ``school:<id>`` as a :class:`Scope`."""
    kind, _sep, ident = key.partition(":")
    # Nine digits at most always fit an INTEGER column; a longer number names nothing.
    known = ident.isdigit() and len(ident) <= 9
    if kind == "school" and known and (school := session.get(School, int(ident))):
        return Scope(school=school)
    if kind == "region" and known and (region := session.get(Region, int(ident))):
        return Scope(region=region)
    if key == "all":
        return Scope()
    raise MatchingError(_("Choose whom to match from the list."), field="scope")


def school_ids_of(*, session: Session, scope: Scope) -> list[int] | None:
    """The schools a scope covers; None for everyone."""
    if scope.school is not None:
        return [id_of(scope.school)]
    if scope.region is not None:
        ids = session.exec(select(School.id).where(School.region_id == scope.region.id)).all()
        return cast(list[int], list(ids))  # a primary key is never NULL
    return None


def rounds_for(*, session: Session, scope: Scope, limit: int = 10) -> list[MatchRound]:
    return list(session.exec(select(MatchRound).where(MatchRound.scope == scope.label)
                             .order_by(col(MatchRound.id).desc()).limit(limit)).all())


@dataclass(frozen=True)
class ProposalRow:
    proposal: MatchProposal
    student: StudentProfile
    placement: Placement
    company: Company


def pending_proposals(*, session: Session, school_ids: list[int] | None,
                      limit: int = 500) -> list[ProposalRow]:
    """Proposals nobody decided on yet for students of these schools, whichever round (a
    school's, its region's or everyone's) made them."""
    query = (select(MatchProposal, StudentProfile, Placement, Company)
             .join(StudentProfile, col(StudentProfile.id) == MatchProposal.student_id)
             .join(Placement, col(Placement.id) == MatchProposal.placement_id)
             .join(Company, col(Company.id) == Placement.company_id)
             .where(MatchProposal.status == ProposalStatus.proposed))
    if school_ids is not None:
        query = query.where(col(StudentProfile.school_id).in_(school_ids))
    query = query.order_by(col(StudentProfile.class_name), col(StudentProfile.last_name),
                           col(StudentProfile.first_name)).limit(limit)
    return [ProposalRow(*row) for row in session.exec(query).all()]


def pins_of(*, session: Session, school_ids: list[int] | None) -> list[tuple]:
    query = (select(MatchPin, StudentProfile, Placement, Company)
             .join(StudentProfile, col(StudentProfile.id) == MatchPin.student_id)
             .join(Placement, col(Placement.id) == MatchPin.placement_id)
             .join(Company, col(Company.id) == Placement.company_id))
    if school_ids is not None:
        query = query.where(col(StudentProfile.school_id).in_(school_ids))
    return list(session.exec(query.order_by(col(MatchPin.id))).all())


def find_pair(*, session: Session, school_ids: list[int] | None, student_number: str,
              placement_code: str) -> tuple[StudentProfile, Placement]:
    """The student (of these schools) and the placement a counsellor typed."""
    query = select(StudentProfile).where(StudentProfile.student_number == student_number.strip(),
                                         col(StudentProfile.anonymised_at).is_(None))
    if school_ids is not None:
        query = query.where(col(StudentProfile.school_id).in_(school_ids))
    students = session.exec(query).all()
    if len(students) != 1:
        raise MatchingError(
            _("No student with number %(number)s in your school(s).",
              number=student_number.strip()) if not students else
            _("Several students have number %(number)s; choose a school first.",
              number=student_number.strip()), field="student_number")
    parts = placement_code.split()
    kvk, code = (parts[0], parts[1]) if len(parts) == 2 else (None, placement_code.strip())
    query = select(Placement).join(Company, col(Company.id) == Placement.company_id).where(
        Placement.code == code, Placement.status == PlacementStatus.open)
    if kvk:
        query = query.where(Company.kvk == kvk)
    placements = session.exec(query).all()
    if len(placements) != 1:
        raise MatchingError(
            _("No open placement has reference %(code)s; only open placements can be pinned "
              "or excluded.", code=placement_code.strip())
            if not placements else
            _("Several companies use reference %(code)s: type the KvK number before it, "
              "e.g. 12345678 %(code)s.", code=code), field="placement_code")
    return students[0], placements[0]
