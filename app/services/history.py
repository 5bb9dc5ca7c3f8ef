"""A proposal's history in people's words, and a company's "no" in words for the student.

The decision log stores actions and status values (``approve``, ``replace -> proposed``);
people read a sentence per step, in their own language: "Goedgekeurd door Anna Jansen op
18 december 2026". A company that declines picks a reason; the student reads a kind sentence
for it, never the code and never the company's own words (those are for the counsellor).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from ..models import DecisionLog, MatchProposal, ProposalStatus, User
from .review import REJECT_REASONS

# What a company chooses from when it declines (the form's choices).
COMPANY_DECLINE_REASONS = {
    "full": _l("We have no room for another student now"),
    "period": _l("The period does not fit our planning"),
    "level": _l("We look for a different level or experience"),
    "travel": _l("Getting here would be too hard for the student"),
    "other": _l("Another reason"),
}

# What the student reads for each: kind, and never about who they are.
_FOR_THE_STUDENT = {
    "full": _l("The company has no room for another student at the moment. That says nothing "
               "about you."),
    "period": _l("The dates did not fit the company's planning this time."),
    "level": _l("The company is looking for a different level or experience for this "
                "placement. There are other places that suit you well."),
    "travel": _l("The company thinks getting there every day would be too hard for you."),
    "other": _l("It did not work out with this company this time. That happens, and it is "
                "not a judgement of you."),
}


def decline_for_student(reason_code: str) -> str:
    """The sentence a student reads when the company declined with ``reason_code``."""
    text = _FOR_THE_STUDENT.get(reason_code, _FOR_THE_STUDENT["other"])
    return " ".join((str(text), _("Your counsellor will look for another placement with you.")))


def company_declines_of(*, session: Session, proposals: list[MatchProposal]) -> dict[int, str]:
    """For each of these proposals the company declined, the student's sentence (one query)."""
    ids = [p.id for p in proposals if p.status is ProposalStatus.company_declined]
    if not ids:
        return {}
    codes = {proposal_id: "other" for proposal_id in ids if proposal_id is not None}
    for proposal_id, code in session.exec(
            select(DecisionLog.proposal_id, DecisionLog.reason_code)
            .where(col(DecisionLog.proposal_id).in_(ids),
                   DecisionLog.action == "company_decline")
            .order_by(col(DecisionLog.at), col(DecisionLog.id))):
        if proposal_id is not None:
            codes[proposal_id] = code
    return {proposal_id: decline_for_student(code) for proposal_id, code in codes.items()}


def company_decline_of(*, session: Session, proposal: MatchProposal) -> str | None:
    """For a proposal the company declined, the student's sentence; None otherwise."""
    return company_declines_of(session=session, proposals=[proposal]).get(proposal.id or 0)


# One sentence per step; %(name)s is who took it, %(date)s when.
_STEPS = {
    "approve": _l("Approved by %(name)s on %(date)s"),
    "reject": _l("Rejected by %(name)s on %(date)s"),
    "offer": _l("Offered to the student by %(name)s on %(date)s"),
    "student_accept": _l("Accepted by %(name)s (student) on %(date)s"),
    "student_decline": _l("Declined by %(name)s (student) on %(date)s"),
    "send_to_company": _l("Sent to the company by %(name)s on %(date)s"),
    "company_accept": _l("Accepted by %(name)s for the company on %(date)s"),
    "company_decline": _l("Declined by %(name)s for the company on %(date)s"),
    "lapse": _l("Lapsed on %(date)s: the company did not answer in time"),
    "confirm_placed": _l("Placement started, confirmed by %(name)s on %(date)s"),
    "complete": _l("Placement completed, confirmed by %(name)s on %(date)s"),
    "replace": _l("Proposed by %(name)s on %(date)s, in place of another placement"),
}


@dataclass(frozen=True)
class HistoryLine:
    text: str
    reason: str     # the reason chosen from a list, in words ("" when none)
    note: str       # what the person wrote ("" when nothing)


def _reason_label(entry: DecisionLog) -> str:
    if entry.action == "company_decline":
        return str(COMPANY_DECLINE_REASONS.get(entry.reason_code, ""))
    if entry.action == "reject":
        return str(REJECT_REASONS.get(entry.reason_code, ""))
    return ""


def history_lines(*, session: Session, proposal: MatchProposal) -> list[HistoryLine]:
    """Every step of this proposal as a sentence, oldest first (for staff)."""
    rows = session.exec(
        select(DecisionLog, User).join(User, col(User.id) == DecisionLog.actor_id, isouter=True)
        .where(DecisionLog.proposal_id == proposal.id)
        .order_by(col(DecisionLog.at), col(DecisionLog.id))).all()
    lines = []
    for entry, actor in rows:
        name = actor.display_name if actor else _("Talentmatch")
        template = _STEPS.get(entry.action)
        when = format_date(entry.at, format="long")
        text = (str(template) % {"name": name, "date": when} if template is not None
                else _("%(action)s by %(name)s on %(date)s", action=entry.action, name=name,
                       date=when))
        lines.append(HistoryLine(text, _reason_label(entry), entry.reason))
    return lines
