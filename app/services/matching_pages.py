"""What the matching page shows: rounds, their proposals and the pins of a cohort; and the
pin search: a student of the cohort, then the placements ranked for them, to pin or exclude."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import (
    Company,
    MatchPin,
    MatchProposal,
    MatchRound,
    PinKind,
    Placement,
    PlacementStatus,
    ProposalStatus,
    Region,
    School,
    StudentProfile,
    User,
)
from .matching import MatchingError, Scope, set_pin
from .replacements import check_pair
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


PER_PAGE = 25


@dataclass(frozen=True)
class StudentsPage:
    students: list[StudentProfile]
    page: int
    pages: int
    total: int


def students_to_pin(*, session: Session, school_ids: list[int] | None, query: str = "",
                    page: int = 1, per_page: int = PER_PAGE) -> StudentsPage:
    """The students of these schools a pin may be for, by class and name; ``query`` searches
    names, student numbers and classes."""
    where: list[sa.ColumnElement[bool]] = [col(StudentProfile.anonymised_at).is_(None)]
    if school_ids is not None:
        where.append(col(StudentProfile.school_id).in_(school_ids))
    for word in query.split():
        like = f"%{word.lower()}%"
        where.append(sa.or_(*(sa.func.lower(column).like(like) for column in (
            col(StudentProfile.first_name), col(StudentProfile.last_name),
            col(StudentProfile.student_number), col(StudentProfile.class_name)))))
    total = session.exec(select(sa.func.count()).select_from(StudentProfile)
                         .where(*where)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    students = session.exec(
        select(StudentProfile).where(*where)
        .order_by(col(StudentProfile.class_name), col(StudentProfile.last_name),
                  col(StudentProfile.first_name), col(StudentProfile.id))
        .offset((page - 1) * per_page).limit(per_page)).all()
    return StudentsPage(list(students), page, pages, total)


def may_pin_for(student: StudentProfile, school_ids: list[int] | None) -> bool:
    """Whether a pin for ``student`` belongs on the page of these schools."""
    return student.anonymised_at is None and (school_ids is None
                                              or student.school_id in school_ids)


def pin_picked(*, session: Session, student: StudentProfile, placement_id: int, kind: PinKind,
               actor: User, note: str = "", breaking_rules: bool = False,
               today: date | None = None) -> tuple[MatchPin, Placement]:
    """Pins or excludes a placement picked in the student's search
    (``replacements.student_page``). Only an open placement; pinning one that breaks a hard
    rule needs ``breaking_rules``, as the page asked first. Commits."""
    placement = session.get(Placement, placement_id)
    if placement is None or placement.status is not PlacementStatus.open:
        raise MatchingError(_("Only open placements can be pinned or excluded; search again."),
                            field="placement")
    if kind is PinKind.pin:
        checked = check_pair(session=session, student_id=id_of(student), placement=placement,
                             today=today)
        if checked is None:
            raise MatchingError(_("%(title)s is not open for proposals.",
                                  title=placement.title), field="placement")
        if checked.broken and not breaking_rules:
            # A pin is followed whatever the rules, so the counsellor decides knowingly.
            raise MatchingError(_("%(title)s breaks a rule of matching: %(rules)s. Tick that "
                                  "you know, to pin it anyway.", title=placement.title,
                                  rules=checked.warning), field="breaking_rules")
    pin = set_pin(session=session, student=student, placement=placement, kind=kind,
                  actor=actor, note=note)
    return pin, placement
