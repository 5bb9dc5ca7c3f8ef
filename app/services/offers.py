"""What a student sees of their proposals, and their yes or no.

A student only sees proposals a counsellor approved (offered to them) and what followed. Saying
yes sends the student to the company when a company may see them (consent for under-16s);
otherwise the counsellor is told that consent is missing. Saying no frees nothing (no place was
held yet) and is fed back to matching: the pair is not proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import (
    Company,
    DecisionLog,
    MatchProposal,
    Placement,
    ProposalStatus,
    StudentProfile,
    User,
)
from ..models.base import local_today
from ..models.lifecycle import STUDENT_VISIBLE
from . import pipeline
from .candidates import CandidateError, send_to_company
from .errors import ServiceError
from .notifications import counsellors_of, notify
from .rows import row_of
from .students import may_show_to_companies


class OfferError(ServiceError):
    """The answer cannot be given; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class Offer:
    proposal: MatchProposal
    placement: Placement
    company: Company


# Built once per process: the student's proposals page runs it on every view (issue 20).
_OFFERS_FOR = (
    select(MatchProposal, Placement, Company)
    .join(Placement, col(Placement.id) == MatchProposal.placement_id)
    .join(Company, col(Company.id) == Placement.company_id)
    .where(col(MatchProposal.student_id) == sa.bindparam("student_id"),
           col(MatchProposal.status).in_(STUDENT_VISIBLE))
    .order_by(col(MatchProposal.updated_at).desc(), col(MatchProposal.id).desc()))


def offers_for(*, session: Session, student: StudentProfile) -> list[Offer]:
    rows = session.exec(_OFFERS_FOR, params={"student_id": student.id}).all()
    return [Offer(*row) for row in rows]


def has_answered(*, session: Session, proposal: MatchProposal, action: str) -> bool:
    """Whether the student gave this answer (``student_accept`` or ``student_decline``)
    before: the same answer sent again is then a repeat, not a new step."""
    return session.exec(select(DecisionLog.id).where(
        col(DecisionLog.proposal_id) == proposal.id,
        col(DecisionLog.action) == action)).first() is not None


def _counsellors(session: Session, student: StudentProfile) -> list[User]:
    return counsellors_of(session=session, school_ids=[student.school_id])


def student_accept(*, session: Session, proposal: MatchProposal, actor: User,
                   today: date | None = None) -> MatchProposal:
    """Yes: on to the company, or (without consent yet) the counsellor is asked for it."""
    today = today or local_today()
    student = row_of(session, StudentProfile, proposal.student_id)
    placement = row_of(session, Placement, proposal.placement_id)
    try:
        pipeline.step(session=session, proposal=proposal, action="student_accept", actor=actor)
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise OfferError(str(error)) from None
    name = f"{student.first_name} {student.last_name}"
    if not may_show_to_companies(session=session, student=student, today=today):
        notify(session=session, users=_counsellors(session, student), kind="consent_needed",
               message=lambda: _("%(name)s said yes to %(title)s, but no consent is on file: "
                                 "record it, then send the student to the company.",
                                 name=name, title=placement.title),
               link=f"/review/{proposal.id}")
        session.commit()
        return proposal
    session.commit()
    try:
        send_to_company(session=session, proposal=proposal, actor=None, today=today)
    except CandidateError as error:
        if proposal.status is not ProposalStatus.student_accepted:
            return proposal  # someone else sent it meanwhile: nothing for the counsellor to do
        # The yes stands; the counsellor takes it from here (e.g. the last place just went).
        problem = str(error)
        notify(session=session, users=_counsellors(session, student), kind="send_failed",
               message=lambda: _("%(name)s said yes to %(title)s, but it could not be sent "
                                 "to the company: %(error)s", name=name, title=placement.title,
                                 error=problem),
               link=f"/review/{proposal.id}")
        session.commit()
    return proposal


def student_decline(*, session: Session, proposal: MatchProposal, actor: User,
                    reason: str = "") -> MatchProposal:
    """No, optionally with why. The counsellor is told; matching will not propose it again."""
    if len(reason) > 2000:
        raise OfferError(_("Please keep it under 2000 characters."), field="reason")
    student = row_of(session, StudentProfile, proposal.student_id)
    placement = row_of(session, Placement, proposal.placement_id)
    try:
        pipeline.step(session=session, proposal=proposal, action="student_decline", actor=actor,
                      reason=reason)
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise OfferError(str(error)) from None
    name = f"{student.first_name} {student.last_name}"
    notify(session=session, users=_counsellors(session, student), kind="student_declined",
           message=lambda: _("%(name)s said no to %(title)s.", name=name,
                             title=placement.title),
           link=f"/review/{proposal.id}")
    session.commit()
    return proposal


def send_after_consent(*, session: Session, proposal: MatchProposal, actor: User,
                       today: date | None = None) -> MatchProposal:
    """The counsellor sends a student who said yes, once consent is on file."""
    try:
        return send_to_company(session=session, proposal=proposal, actor=actor, today=today)
    except CandidateError as error:
        raise OfferError(str(error)) from None
