"""A counsellor's review of proposals: approve, reject, replace, note; and the record of it.

No proposal reaches a student or a company without a counsellor's approval. Approving offers
the proposal to the student at once (two logged steps). Every decision is a
:class:`~app.models.DecisionLog` entry with who, when, from what to what and why; replacing a
proposal also records what the engine had proposed and with which score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from ..models import (
    Company,
    DecisionLog,
    MatchProposal,
    Placement,
    ProposalStatus,
    School,
    StudentProfile,
    User,
    utcnow,
)
from ..models.base import local_today
from . import pipeline
from .errors import ServiceError
from .matching import proposal_row
from .matching_data import free_places
from .notifications import notify
from .offer_deadlines import set_student_deadline
from .replacements import (  # noqa: F401  (Alternative, alternatives: part of this API)
    RULE_TEXTS,
    Alternative,
    alternatives,
    check_pair,
    rules_broken,
)
from .review_queue import (  # noqa: F401  (the queue: part of this module's API)
    PAGE_SIZE,
    SORTS,
    ReviewFilters,
    ReviewPage,
    ReviewRow,
    classes_of,
    filter_choices,
    review_page,
)
from .rows import id_of, row_of

REJECT_REASONS = {
    "not_suitable": _l("Does not suit the student"),
    "level": _l("Level or school year does not fit"),
    "distance": _l("Too far or hard to reach"),
    "period": _l("Period does not fit the timetable"),
    "has_other": _l("The student already has a placement"),
    "company": _l("Doubts about the company"),
    "other": _l("Other reason"),
}


class ReviewError(ServiceError):
    """A decision that cannot be taken; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class BulkResult:
    done: int
    skipped: list[str] = field(default_factory=list)


# -- decisions --------------------------------------------------------------------------------

def _student_user(session: Session, proposal: MatchProposal) -> list[User]:
    student = session.get(StudentProfile, proposal.student_id)
    user = session.get(User, student.user_id) if student and student.user_id else None
    return [user] if user is not None and user.is_active else []


def _approve(session: Session, proposal: MatchProposal, actor: User, note: str) -> None:
    pipeline.step(session=session, proposal=proposal, action="approve", actor=actor)
    pipeline.step(session=session, proposal=proposal, action="offer", actor=actor)
    set_student_deadline(session=session, proposal=proposal)
    if note.strip():
        proposal.counsellor_note = note.strip()[:2000]
    placement = row_of(session, Placement, proposal.placement_id)
    notify(session=session, users=_student_user(session, proposal), kind="offer",
           message=lambda: _("You have a placement proposal: %(title)s. Have a look and say "
                             "yes or no.", title=placement.title),
           link="/me/proposals")


def _check_reason(reason_code: str, reason: str) -> None:
    if reason_code not in REJECT_REASONS:
        raise ReviewError(_("Choose a reason from the list."), field="reason_code")
    if reason_code == "other" and not reason.strip():
        raise ReviewError(_("Say in a few words why, when the reason is \"other\"."),
                          field="reason")
    if len(reason) > 2000:
        raise ReviewError(_("The explanation can be at most 2000 characters."), field="reason")


def approve(*, session: Session, proposal: MatchProposal, actor: User,
            note: str = "") -> MatchProposal:
    """Approves and offers the proposal to the student, who is told. Commits."""
    try:
        _approve(session, proposal, actor, note)
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise ReviewError(str(error)) from None
    session.commit()
    return proposal


def reject(*, session: Session, proposal: MatchProposal, actor: User, reason_code: str,
           reason: str = "") -> MatchProposal:
    """Rejects with a reason; the pair is not proposed again. Commits."""
    _check_reason(reason_code, reason)
    try:
        pipeline.step(session=session, proposal=proposal, action="reject", actor=actor,
                      reason_code=reason_code, reason=reason)
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise ReviewError(str(error)) from None
    session.commit()
    return proposal


def decide_many(*, session: Session, proposals: Iterable[MatchProposal], actor: User,
                decision: str, reason_code: str = "", reason: str = "") -> BulkResult:
    """Approves or rejects many proposals in one transaction.

    Proposals that are no longer waiting (someone decided on them meanwhile) are skipped and
    named; any other refusal changes nothing at all.
    """
    if decision not in ("approve", "reject"):
        raise ReviewError(_("Choose approve or reject."), field="decision")
    if decision == "reject":
        _check_reason(reason_code, reason)
    done, skipped = 0, []
    try:
        # In id order: two bulk decisions at once lock their rows in the same order.
        for proposal in sorted(proposals, key=id_of):
            waiting = proposal.status is ProposalStatus.proposed
            try:
                if waiting and decision == "approve":
                    _approve(session, proposal, actor, "")
                elif waiting:
                    pipeline.step(session=session, proposal=proposal, action="reject",
                                  actor=actor, reason_code=reason_code, reason=reason)
            except pipeline.StepMoved:
                waiting = False  # decided on meanwhile; its first step changed nothing
            if not waiting:
                student = row_of(session, StudentProfile, proposal.student_id)
                skipped.append(f"{student.first_name} {student.last_name}")
                continue
            done += 1
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise ReviewError(str(error)) from None
    session.commit()
    return BulkResult(done, skipped)


def set_note(*, session: Session, proposal: MatchProposal, actor: User, note: str) -> None:
    """A counsellor's private note; never shown to the student or the company. Commits."""
    if not pipeline.roles_of(session=session, actor=actor, proposal=proposal) & {"counsellor"}:
        raise ReviewError(_("You may not do this for this match."))
    if len(note) > 2000:
        raise ReviewError(_("The note can be at most 2000 characters."), field="note")
    proposal.counsellor_note = note.strip()
    proposal.updated_at = utcnow()
    session.add(proposal)
    session.commit()


# -- replacing a proposal ---------------------------------------------------------------------

def replace(*, session: Session, proposal: MatchProposal, placement: Placement, actor: User,
            reason: str, today: date | None = None,
            breaking_rules: bool = False) -> MatchProposal:
    """Replaces the engine's proposal by a placement the counsellor chose, offered at once.

    The old proposal is rejected (reason ``replaced``); the log keeps what the engine proposed,
    its score, the new placement's score and the counsellor's reason. Commits.
    """
    today = today or local_today()
    if not reason.strip():
        raise ReviewError(_("Say why you replace the proposal: it is kept for accountability."),
                          field="reason")
    if placement.id == proposal.placement_id:
        raise ReviewError(_("Choose another placement than the one proposed."),
                          field="placement")
    if not free_places(session=session, placement_ids=[id_of(placement)],
                       leaving_out_students=[proposal.student_id]).get(id_of(placement), 0):
        raise ReviewError(_("%(title)s has no free place left.", title=placement.title),
                          field="placement")
    checked = check_pair(session=session, student_id=proposal.student_id,
                         placement=placement, today=today)
    if checked is None:
        raise ReviewError(_("%(title)s is not open for proposals.", title=placement.title),
                          field="placement")
    pair = checked.pair
    if checked.broken and not breaking_rules:
        # The counsellor may overrule the engine, but knowingly: the page asked first.
        raise ReviewError(_("%(title)s breaks a rule of matching: %(rules)s. Tick that you "
                            "know, to offer it anyway.", title=placement.title,
                            rules=checked.warning), field="breaking_rules")
    engine = {"engine_placement_id": proposal.placement_id, "engine_score": proposal.score,
              "engine_explanation": proposal.explanation,
              "new_placement_id": placement.id, "new_score": pair.score}
    try:
        pipeline.step(session=session, proposal=proposal, action="reject", actor=actor,
                      reason_code="replaced", reason=reason, details=engine)
        row = proposal_row(proposal.round_id, pair, rank=0, pinned=False, now=utcnow())
        new = MatchProposal(**{**row, "counsellor_note": proposal.counsellor_note})
        session.add(new)
        session.flush()
        session.add(DecisionLog(
            proposal_id=new.id, actor_id=actor.id, actor_role=actor.role.value,
            action="replace", from_status=None, to_status=ProposalStatus.proposed.value,
            reason_code="replaced", reason=reason.strip(),
            details={**engine, "replaces_proposal_id": proposal.id}))
        _approve(session, new, actor, "")
    except pipeline.StepNotAllowed as error:
        session.rollback()
        raise ReviewError(str(error)) from None
    session.commit()
    return new


# -- accountability ---------------------------------------------------------------------------

LOG_HEADER = ("when", "who", "role", "student_number", "school_code", "placement_code",
              "company_kvk", "action", "from_status", "to_status", "reason_code", "reason",
              "engine_placement_code", "engine_score", "new_score")


def decision_log_rows(*, session: Session, school_ids: list[int] | None) -> list[tuple]:
    """Every decision on these schools' students' proposals, oldest first."""
    query = (sa.select(DecisionLog, MatchProposal, StudentProfile, School, Placement, Company,
                       User)
             .join(MatchProposal, col(MatchProposal.id) == DecisionLog.proposal_id)
             .join(StudentProfile, col(StudentProfile.id) == MatchProposal.student_id)
             .join(School, col(School.id) == StudentProfile.school_id)
             .join(Placement, col(Placement.id) == MatchProposal.placement_id)
             .join(Company, col(Company.id) == Placement.company_id)
             .join(User, col(User.id) == DecisionLog.actor_id, isouter=True))
    if school_ids is not None:
        query = query.where(col(StudentProfile.school_id).in_(school_ids))
    codes = dict(session.exec(select(Placement.id, Placement.code)).all())
    rows = []
    for entry, _proposal, student, school, placement, company, user in session.execute(
            query.order_by(col(DecisionLog.at), col(DecisionLog.id))).all():
        details = entry.details or {}
        rows.append((
            entry.at.isoformat(timespec="seconds"), user.display_name if user else "system",
            entry.actor_role, student.student_number, school.code, placement.code,
            company.kvk, entry.action, entry.from_status or "", entry.to_status or "",
            entry.reason_code, entry.reason,
            codes.get(details.get("engine_placement_id"), ""), details.get("engine_score"),
            details.get("new_score")))
    return rows


@dataclass(frozen=True)
class StudentStatus:
    student: StudentProfile
    proposal: MatchProposal | None
    placement: Placement | None


def status_overview(*, session: Session, school_ids: list[int] | None) -> list[StudentStatus]:
    """Each student with their most recent proposal (None: nothing yet)."""
    query = select(StudentProfile).where(col(StudentProfile.anonymised_at).is_(None))
    if school_ids is not None:
        query = query.where(col(StudentProfile.school_id).in_(school_ids))
    students = session.exec(query.order_by(col(StudentProfile.class_name),
                                           col(StudentProfile.last_name),
                                           col(StudentProfile.first_name))).all()
    latest: dict[int, tuple[MatchProposal, Placement]] = {}
    ids = [s.id for s in students]
    for start in range(0, len(ids), 5_000):
        for proposal, placement in session.exec(
                select(MatchProposal, Placement)
                .join(Placement, col(Placement.id) == MatchProposal.placement_id)
                .where(col(MatchProposal.student_id).in_(ids[start:start + 5_000]))
                .order_by(col(MatchProposal.updated_at), col(MatchProposal.id))).all():
            latest[proposal.student_id] = (proposal, placement)
    return [StudentStatus(s, *(latest.get(id_of(s)) or (None, None))) for s in students]


def decision_history(*, session: Session, proposal: MatchProposal) -> list[tuple]:
    """(entry, actor or None) for every step of this proposal, oldest first."""
    return list(session.exec(
        select(DecisionLog, User).join(User, col(User.id) == DecisionLog.actor_id, isouter=True)
        .where(DecisionLog.proposal_id == proposal.id)
        .order_by(col(DecisionLog.at), col(DecisionLog.id))).all())


def company_of(*, session: Session, placement: Placement) -> Company:
    return row_of(session, Company, placement.company_id)
