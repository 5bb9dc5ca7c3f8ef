"""Candidates at a company: sending them, the company's answer, lapses and feedback.

A company only ever sees candidates that a counsellor approved and the student accepted,
and only what it needs: first name, level, school, why they fit, and the observations the
student agreed to share.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import (
    Activity,
    Company,
    CompanyContact,
    MatchProposal,
    ObservationTheme,
    Placement,
    PlacementFeedback,
    ProposalStatus,
    Region,
    Role,
    School,
    StudentProfile,
    TalentObservation,
    Theme,
    User,
    utcnow,
)
from ..models.lifecycle import COMPANY_VISIBLE, FEEDBACK_OPEN
from . import pipeline, places
from .errors import ServiceError
from .notifications import counsellors_of, notify
from .rows import id_of, row_of
from .students import may_show_to_companies


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


def _student_and_counsellors(session: Session, student: StudentProfile) -> list[User]:
    users = counsellors_of(session=session, school_ids=[student.school_id])
    if student.user_id:
        owner = session.get(User, student.user_id)
        if owner is not None:
            users.insert(0, owner)
    return users


def _link(proposal: MatchProposal) -> str:
    return f"/candidates/{proposal.id}"


def send_to_company(*, session: Session, proposal: MatchProposal, actor: User | None,
                    today: date | None = None) -> MatchProposal:
    """The student accepted: reserve a place and give the company its answer deadline."""
    today = today or date.today()
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
                             title=placement.title, date=deadline.isoformat()),
           link=_link(proposal))
    session.commit()
    return proposal


def _answer(session: Session, proposal: MatchProposal, action: str, actor: User,
            reason: str = "") -> None:
    try:
        pipeline.step(session=session, proposal=proposal, action=action, actor=actor,
                      reason=reason)
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise CandidateError(str(error)) from None
    proposal.company_answered_at = utcnow()


def company_accept(*, session: Session, proposal: MatchProposal, actor: User) -> MatchProposal:
    _answer(session, proposal, "company_accept", actor)
    placement = row_of(session, Placement, proposal.placement_id)
    student = row_of(session, StudentProfile, proposal.student_id)
    notify(session=session, users=_student_and_counsellors(session, student),
           kind="company_accepted",
           message=lambda: _("%(company)s accepted you for %(title)s.",
                             company=row_of(session, Company, placement.company_id).name,
                             title=placement.title),
           link="/home")
    session.commit()
    return proposal


def company_decline(*, session: Session, proposal: MatchProposal, actor: User,
                    reason: str) -> MatchProposal:
    if not reason.strip():
        raise CandidateError(_("Say why you decline: the student and counsellor learn from "
                               "it."))
    _answer(session, proposal, "company_decline", actor, reason)
    _free(session, proposal)
    placement = row_of(session, Placement, proposal.placement_id)
    student = row_of(session, StudentProfile, proposal.student_id)
    notify(session=session, users=_student_and_counsellors(session, student),
           kind="company_declined",
           message=lambda: _("%(title)s did not work out this time. You will get a new "
                             "proposal in the next round.", title=placement.title),
           link="/home")
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
    today = today or date.today()
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
        notify(session=session, users=_student_and_counsellors(session, student),
               kind="lapsed",
               message=lambda p=placement: _(
                   "%(title)s did not answer in time, so the offer lapsed. You will get a "
                   "new proposal in the next round.", title=p.title),
               link="/home")
        notify(session=session, users=_company_users(session, placement), kind="lapsed",
               message=lambda p=placement: _(
                   "A candidate for %(title)s lapsed because nobody answered in time.",
                   title=p.title),
               link=_link(proposal))
        session.commit()
        lapsed += 1
    return lapsed


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


# --- what a company sees -----------------------------------------------------------------

@dataclass(frozen=True)
class SharedObservation:
    activity: str
    observed_on: date
    strength: int
    skills: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class CandidateView:
    """Everything a company sees of a candidate; nothing else is ever passed to its pages."""

    proposal_id: int
    status: ProposalStatus
    placement_id: int
    placement_title: str
    first_name: str
    level: str
    school: str
    why: str
    deadline: date | None
    sent_at: datetime | None
    observations: tuple[SharedObservation, ...]


def company_candidates(*, session: Session, company_ids: frozenset[int],
                       today: date | None = None) -> list[CandidateView]:
    """The candidates of these companies, waiting ones first (soonest deadline first)."""
    if not company_ids:
        return []
    rows = session.exec(
        select(MatchProposal, Placement, StudentProfile, School)
        .join(Placement, col(Placement.id) == MatchProposal.placement_id)
        .join(StudentProfile, col(StudentProfile.id) == MatchProposal.student_id)
        .join(School, col(School.id) == StudentProfile.school_id)
        .where(col(Placement.company_id).in_(company_ids),
               col(MatchProposal.status).in_(COMPANY_VISIBLE))
    ).all()
    today = today or date.today()
    visible = [(p, pl, st, sc) for p, pl, st, sc in rows
               if may_show_to_companies(session=session, student=st, today=today)]
    shared = _shared_observations(session, [id_of(st) for _p, _pl, st, _sc in visible])
    views = [
        CandidateView(id_of(p), p.status, id_of(pl), pl.title, st.first_name, st.level.value,
                      sc.name, p.explanation, p.company_deadline, p.sent_to_company_at,
                      tuple(shared.get(id_of(st), ())))
        for p, pl, st, sc in visible
    ]
    return sorted(views, key=lambda v: (v.status is not ProposalStatus.sent_to_company,
                                        v.deadline or date.max, v.proposal_id))


def _shared_observations(session: Session,
                         student_ids: list[int]) -> dict[int, list[SharedObservation]]:
    if not student_ids:
        return {}
    observations = session.exec(
        select(TalentObservation, Activity).join(Activity)
        .where(col(TalentObservation.student_id).in_(student_ids),
               TalentObservation.shared_with_companies)
        .order_by(col(TalentObservation.observed_on).desc())
    ).all()
    themes: dict[int, list[str]] = {}
    if observations:
        for link, theme in session.exec(
                select(ObservationTheme, Theme).join(Theme).where(
                    col(ObservationTheme.observation_id).in_([o.id for o, _a in observations]))):
            themes.setdefault(link.observation_id, []).append(theme.label_nl)
    found: dict[int, list[SharedObservation]] = {}
    for observation, activity in observations:
        found.setdefault(observation.student_id, []).append(SharedObservation(
            activity.title, observation.observed_on, observation.strength, observation.skills,
            tuple(themes.get(id_of(observation), ()))))
    return found


@dataclass(frozen=True)
class AnswerStats:
    received: int
    answered: int
    lapsed: int
    waiting: int
    median_days: float | None

    @property
    def answer_rate(self) -> float | None:
        decided = self.answered + self.lapsed
        return self.answered / decided if decided else None


def answer_stats(*, session: Session, company_ids: frozenset[int]) -> AnswerStats:
    """How often and how fast these companies answer their candidates."""
    if not company_ids:
        return AnswerStats(0, 0, 0, 0, None)
    proposals = session.exec(
        select(MatchProposal).join(Placement, col(Placement.id) == MatchProposal.placement_id)
        .where(col(Placement.company_id).in_(company_ids),
               col(MatchProposal.sent_to_company_at).is_not(None))
    ).all()
    answered = [p for p in proposals if p.company_answered_at is not None]
    days = [(answered_at - sent_at).total_seconds() / 86400
            for answered_at, sent_at in ((p.company_answered_at, p.sent_to_company_at)
                                         for p in answered)
            if answered_at is not None and sent_at is not None]
    return AnswerStats(
        received=len(proposals), answered=len(answered),
        lapsed=sum(p.status is ProposalStatus.lapsed for p in proposals),
        waiting=sum(p.status is ProposalStatus.sent_to_company for p in proposals),
        median_days=round(statistics.median(days), 1) if days else None,
    )
