"""By when a student answers an offer, the reminder before it, and the lapse after it.

An offer (a proposal the counsellor approved) waits for the student's yes or no for the
working days their region sets (``Region.student_answer_days``, default 10). Two working days
before the last day the student is reminded once, in the app and by e-mail; an offer still
unanswered after the last day lapses like an offer a company left unanswered, and is not
proposed again.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import MatchProposal, Placement, ProposalStatus, Region, School, StudentProfile, User
from ..models.base import local_today, utcnow
from . import pipeline, queue
from .notifications import counsellors_of, notify
from .rows import row_of

DEFAULT_ANSWER_DAYS = 10
REMIND_WORKING_DAYS_BEFORE = 2
# Without a scheduler, the student's proposals page checks at most this often (a deadline is
# a day: within a minute is on time, and the views between write nothing).
CHECK_SECONDS = 60
_CHECKED = "talentmatch.student_deadlines_checked"
_clock = time.monotonic


def student_answer_days(*, session: Session, student_id: int) -> int:
    days = session.exec(select(Region.student_answer_days)
                        .join(School, col(School.region_id) == Region.id)
                        .join(StudentProfile, col(StudentProfile.school_id) == School.id)
                        .where(StudentProfile.id == student_id)).first()
    return days or DEFAULT_ANSWER_DAYS


def set_student_deadline(*, session: Session, proposal: MatchProposal,
                         today: date | None = None) -> date:
    """The last day to answer an offer made today. Does not commit (part of the offer)."""
    # Imported here: candidates (through history) imports review, which calls this module.
    from .candidates import working_days_after

    days = student_answer_days(session=session, student_id=proposal.student_id)
    proposal.student_deadline = working_days_after(today or local_today(), days)
    proposal.student_reminded_at = None
    session.add(proposal)
    return proposal.student_deadline


def working_days_before(day: date, days: int) -> date:
    current, left = day, days
    while left > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def _student_user(session: Session, student: StudentProfile) -> list[User]:
    user = session.get(User, student.user_id) if student.user_id else None
    return [user] if user is not None and user.is_active else []


def remind_students(*, session: Session, today: date | None = None) -> int:
    """Reminds each student whose offer's last day is two working days away (or nearer) and
    who was not reminded yet. Commits per offer; returns how many were reminded."""
    today = today or local_today()
    waiting = session.exec(select(MatchProposal).where(
        MatchProposal.status == ProposalStatus.offered,
        col(MatchProposal.student_deadline).is_not(None),
        col(MatchProposal.student_deadline) >= today,
        col(MatchProposal.student_reminded_at).is_(None))
        .order_by(col(MatchProposal.id))).all()
    reminded = 0
    for proposal in waiting:
        deadline = proposal.student_deadline
        if deadline is None or working_days_before(deadline, REMIND_WORKING_DAYS_BEFORE) > today:
            continue
        student = row_of(session, StudentProfile, proposal.student_id)
        placement = row_of(session, Placement, proposal.placement_id)
        title = placement.title
        proposal.student_reminded_at = utcnow()
        session.add(proposal)
        notify(session=session, users=_student_user(session, student), kind="answer_reminder",
               message=lambda title=title, day=deadline: _(
                   "Please answer the proposal %(title)s before %(date)s; after that it "
                   "lapses.", title=title, date=format_date(day, "long")),
               link="/me/proposals")
        session.commit()
        reminded += 1
    return reminded


def lapse_unanswered(*, session: Session, today: date | None = None) -> int:
    """Offers a student left unanswered past their last day lapse; the student and their
    counsellors are told. Commits per offer; returns how many lapsed."""
    today = today or local_today()
    overdue = session.exec(select(MatchProposal).where(
        MatchProposal.status == ProposalStatus.offered,
        col(MatchProposal.student_deadline) < today)
        .order_by(col(MatchProposal.id))).all()
    session.commit()
    lapsed = 0
    for proposal in overdue:
        try:
            pipeline.step(session=session, proposal=proposal, action="lapse", actor=None,
                          reason="no answer from the student before the deadline",
                          details={"student_deadline": str(proposal.student_deadline)})
        except pipeline.StepNotAllowed:  # answered since it was read
            session.rollback()
            continue
        student = row_of(session, StudentProfile, proposal.student_id)
        placement = row_of(session, Placement, proposal.placement_id)
        title, name = placement.title, student.display_name
        notify(session=session, users=_student_user(session, student), kind="lapsed",
               message=lambda title=title: _(
                   "You did not answer the proposal %(title)s in time, so it lapsed. Your "
                   "counsellor can help you find another.", title=title),
               link="/me/proposals")
        notify(session=session,
               users=counsellors_of(session=session, school_ids=[student.school_id]),
               kind="lapsed",
               message=lambda name=name, title=title: _(
                   "%(name)s did not answer the proposal %(title)s in time, so it lapsed.",
                   name=name, title=title),
               link=f"/review/{proposal.id}")
        session.commit()
        lapsed += 1
    return lapsed


def upkeep_when_due(*, session: Session) -> int | None:
    """Reminders and lapses from a page a student opens, for a deployment without a scheduler
    (with ``BROKER_URL`` set, celery beat runs them in ``lapse_offers`` and pages never do).
    Returns how many lapsed, or None when it did not check."""
    if queue.in_background():
        return None
    checked = current_app.extensions.setdefault(_CHECKED, {})
    now = _clock()
    if "at" in checked and now - checked["at"] < CHECK_SECONDS:
        return None
    checked["at"] = now
    remind_students(session=session)
    return lapse_unanswered(session=session)
