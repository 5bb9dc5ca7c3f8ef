"""Candidates at a company: sending them, the company's answer, lapses and feedback.

A company only ever sees candidates that a counsellor approved and the student accepted,
and only what it needs (:mod:`.candidate_views`).
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import (
    Company,
    CompanyContact,
    MatchProposal,
    Placement,
    PlacementFeedback,
    ProposalStatus,
    Region,
    Role,
    StudentProfile,
    User,
    utcnow,
)
from ..models.base import local_today
from ..models.lifecycle import FEEDBACK_OPEN
from . import pipeline, places, queue
from .candidate_views import (  # noqa: F401  (what a company sees: part of this module's API)
    AnswerStats,
    CandidatePage,
    CandidateView,
    SharedObservation,
    answer_stats,
    candidate_page,
    company_candidates,
)
from .errors import ServiceError
from .history import COMPANY_DECLINE_REASONS, decline_for_student
from .notifications import notify, tell_student_and_counsellors
from .rows import id_of, row_of
from .students import may_show_to_companies

# Without a scheduler, how often a process looks for offers past their deadline (seconds).
LAPSE_CHECK_SECONDS = 60
_LAPSE_CHECKED = "talentmatch.lapse_checked"
_clock = time.monotonic


class CandidateError(ServiceError):
    """A step that cannot be taken; the message says why. Nothing was changed."""


def working_days_after(start: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def _company_users(session: Session, placement: Placement) -> list[User]:
    return list(session.exec(
        select(User).join(CompanyContact, col(CompanyContact.user_id) == User.id)
        .where(CompanyContact.company_id == placement.company_id, CompanyContact.can_act,
               User.is_active)
    ).all())


def _link(proposal: MatchProposal) -> str:
    return f"/candidates/{proposal.id}"


def send_to_company(*, session: Session, proposal: MatchProposal, actor: User | None,
                    today: date | None = None) -> MatchProposal:
    """The student accepted: reserve a place and give the company its answer deadline."""
    today = today or local_today()
    student = row_of(session, StudentProfile, proposal.student_id)
    placement = row_of(session, Placement, proposal.placement_id)
    if not may_show_to_companies(session=session, student=student, today=today):
        raise CandidateError(_("A parent, guardian or the school must consent before a "
                               "company may see this student."))
    company = row_of(session, Company, placement.company_id)
    region = row_of(session, Region, company.region_id)
    try:
        pipeline.step(session=session, proposal=proposal, action="send_to_company", actor=actor)
        places.hold_place(session=session, proposal=proposal)
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise CandidateError(str(error)) from None
    except places.NoFreePlace:
        session.rollback()
        raise CandidateError(_("Sorry, the last place of this placement was just taken. "
                               "Your counsellor will look for another one with you.")) from None
    proposal.sent_to_company_at = utcnow()
    deadline = proposal.company_deadline = working_days_after(today, region.answer_days)
    notify(session=session, users=_company_users(session, placement), kind="candidate",
           message=lambda: _("A new candidate for %(title)s: please answer by %(date)s.",
                             title=placement.title, date=format_date(deadline, "long")),
           link=_link(proposal))
    session.commit()
    return proposal


def _answer(session: Session, proposal: MatchProposal, action: str, actor: User,
            reason: str = "", reason_code: str = "") -> None:
    try:
        pipeline.step(session=session, proposal=proposal, action=action, actor=actor,
                      reason=reason, reason_code=reason_code)
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise CandidateError(str(error)) from None
    proposal.company_answered_at = utcnow()


def company_accept(*, session: Session, proposal: MatchProposal, actor: User) -> MatchProposal:
    _answer(session, proposal, "company_accept", actor)
    placement = row_of(session, Placement, proposal.placement_id)
    student = row_of(session, StudentProfile, proposal.student_id)
    company = row_of(session, Company, placement.company_id).name
    name = f"{student.first_name} {student.last_name}"
    tell_student_and_counsellors(
        session=session, student_user_id=student.user_id, school_id=student.school_id,
        kind="company_accepted",
        to_student=lambda: _("%(company)s accepted you for %(title)s.", company=company,
                             title=placement.title),
        to_counsellors=lambda: _("%(company)s accepted %(name)s for %(title)s.",
                                 company=company, name=name, title=placement.title),
        student_link="/home", counsellor_link=f"/review/{proposal.id}")
    session.commit()
    return proposal


def company_decline(*, session: Session, proposal: MatchProposal, actor: User,
                    reason: str, reason_code: str = "other") -> MatchProposal:
    """No, with a reason from :data:`COMPANY_DECLINE_REASONS` (the student reads a kind
    sentence for it) and the company's own words (for the counsellor)."""
    if reason_code not in COMPANY_DECLINE_REASONS:
        raise CandidateError(_("Choose a reason from the list."), field="reason_code")
    if not reason.strip():
        raise CandidateError(_("Say why you decline: the student and counsellor learn from "
                               "it."))
    _answer(session, proposal, "company_decline", actor, reason, reason_code)
    _free(session, proposal)
    placement = row_of(session, Placement, proposal.placement_id)
    student = row_of(session, StudentProfile, proposal.student_id)
    name = f"{student.first_name} {student.last_name}"
    company = row_of(session, Company, placement.company_id).name
    tell_student_and_counsellors(
        session=session, student_user_id=student.user_id, school_id=student.school_id,
        kind="company_declined",
        to_student=lambda: " ".join((placement.title + ":", decline_for_student(reason_code))),
        to_counsellors=lambda: _("%(company)s said no to %(name)s for %(title)s: %(reason)s. "
                                 "%(name)s gets a new proposal in the next round.",
                                 company=company, name=name, title=placement.title,
                                 reason=reason.strip()),
        student_link="/me/proposals", counsellor_link=f"/review/{proposal.id}")
    session.commit()
    return proposal


def _free(session: Session, proposal: MatchProposal) -> None:
    places.let_go(session=session, proposal=proposal)


def lapse_overdue(*, session: Session, today: date | None = None) -> int:
    """Offers the company did not answer in time lapse: the place is freed and people told.

    One transaction per offer: it locks one proposal and then its placement, in the order
    every other step does, so it cannot deadlock with them. An offer answered meanwhile (or
    lapsed by a run at the same time) is left alone. Returns how many lapsed.
    """
    today = today or local_today()
    overdue = session.exec(select(MatchProposal).where(
        MatchProposal.status == ProposalStatus.sent_to_company,
        col(MatchProposal.company_deadline) < today)
        .order_by(col(MatchProposal.id))).all()
    session.commit()
    lapsed = 0
    for proposal in overdue:
        try:
            pipeline.step(session=session, proposal=proposal, action="lapse", actor=None,
                          reason="no answer before the deadline",
                          details={"deadline": str(proposal.company_deadline)})
        except pipeline.StepNotAllowed:  # moved on since it was read
            session.rollback()
            continue
        _free(session, proposal)
        placement = row_of(session, Placement, proposal.placement_id)
        student = row_of(session, StudentProfile, proposal.student_id)
        name = f"{student.first_name} {student.last_name}"
        tell_student_and_counsellors(
            session=session, student_user_id=student.user_id, school_id=student.school_id,
            kind="lapsed",
            to_student=lambda p=placement: _(
                "%(title)s did not answer in time, so the offer lapsed. You will get a "
                "new proposal in the next round.", title=p.title),
            to_counsellors=lambda p=placement, name=name: _(
                "The company of %(title)s did not answer about %(name)s in time, so the "
                "offer lapsed. %(name)s gets a new proposal in the next round.",
                title=p.title, name=name),
            student_link="/home", counsellor_link=f"/review/{proposal.id}")
        notify(session=session, users=_company_users(session, placement), kind="lapsed",
               message=lambda p=placement: _(
                   "A candidate for %(title)s lapsed because nobody answered in time.",
                   title=p.title),
               link=_link(proposal))
        session.commit()
        lapsed += 1
    return lapsed


def lapse_when_due(*, session: Session) -> int | None:
    """The lapse check of a page a company opens, for a deployment without a scheduler.

    With ``BROKER_URL`` set, celery beat lapses offers (:mod:`app.tasks.upkeep`) and pages
    never do. Without one, the first page view in a process checks, then at most once every
    :data:`LAPSE_CHECK_SECONDS`: a deadline is a day, so an offer lapses within a minute of
    the day it is due instead of at each view, and the views between write nothing. Returns
    how many lapsed, or None when it did not check.
    """
    if queue.in_background():
        return None
    checked = current_app.extensions.setdefault(_LAPSE_CHECKED, {})
    now = _clock()
    if "at" in checked and now - checked["at"] < LAPSE_CHECK_SECONDS:
        return None
    checked["at"] = now
    return lapse_overdue(session=session)


def confirm_placed(*, session: Session, proposal: MatchProposal, actor: User) -> MatchProposal:
    try:
        pipeline.step(session=session, proposal=proposal, action="confirm_placed", actor=actor)
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise CandidateError(str(error)) from None
    session.commit()
    return proposal


def complete(*, session: Session, proposal: MatchProposal, actor: User) -> MatchProposal:
    try:
        pipeline.step(session=session, proposal=proposal, action="complete", actor=actor)
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise CandidateError(str(error)) from None
    session.commit()
    return proposal


def feedback_of(*, session: Session, proposal: MatchProposal,
                author_role: str) -> PlacementFeedback | None:
    """The feedback one side ("company" or "student") gave on this placement, if any."""
    return session.exec(select(PlacementFeedback).where(
        PlacementFeedback.proposal_id == proposal.id,
        PlacementFeedback.author_role == author_role)).first()


def give_feedback(*, session: Session, proposal: MatchProposal, author: User,
                  learned: str = "", comment: str = "", would_recommend: bool | None = None,
                  would_host_again: bool | None = None) -> PlacementFeedback:
    """The student's or the company's word after a placement; giving it again updates it."""
    if proposal.status not in FEEDBACK_OPEN:
        raise CandidateError(_("Feedback can be given once the placement has started."))
    role = "student" if author.role is Role.student else "company"
    feedback = session.exec(select(PlacementFeedback).where(
        PlacementFeedback.proposal_id == proposal.id,
        PlacementFeedback.author_role == role)).first() or PlacementFeedback(
        proposal_id=id_of(proposal), author_role=role)
    feedback.author_id = author.id
    if role == "student":
        feedback.learned = learned.strip()
        feedback.would_recommend = would_recommend
    else:
        feedback.comment = comment.strip()
        feedback.would_host_again = would_host_again
    session.add(feedback)
    session.commit()
    return feedback
