"""The road from proposal to placement: which step may follow which, and the record of each.

Every step is applied through :func:`step`, which refuses a step that is not allowed from the
proposal's current status (changing nothing) and writes a :class:`DecisionLog` entry with
who, when, what and why.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session

from ..labels import label
from ..models import DecisionLog, MatchProposal, ProposalStatus, User, utcnow

S = ProposalStatus

# action -> (statuses it may start from, status it leads to)
STEPS: dict[str, tuple[frozenset[ProposalStatus], ProposalStatus]] = {
    "approve": (frozenset({S.proposed}), S.approved),
    "reject": (frozenset({S.proposed, S.approved}), S.rejected),
    "offer": (frozenset({S.approved}), S.offered),
    "student_accept": (frozenset({S.offered}), S.student_accepted),
    "student_decline": (frozenset({S.offered}), S.student_declined),
    "send_to_company": (frozenset({S.student_accepted}), S.sent_to_company),
    "company_accept": (frozenset({S.sent_to_company}), S.company_accepted),
    "company_decline": (frozenset({S.sent_to_company}), S.company_declined),
    "lapse": (frozenset({S.sent_to_company}), S.lapsed),
    "confirm_placed": (frozenset({S.company_accepted}), S.placed),
    "complete": (frozenset({S.placed}), S.completed),
}


class StepNotAllowed(ValueError):
    """The step cannot follow the proposal's current status; nothing was changed."""


def step(*, session: Session, proposal: MatchProposal, action: str, actor: User | None,
         reason: str = "", reason_code: str = "", details: dict | None = None,
         now: datetime | None = None) -> DecisionLog:
    """Move ``proposal`` by ``action`` and log it. Does not commit (the caller's unit of work
    may hold more, e.g. a reserved place)."""
    allowed_from, target = STEPS[action]
    if proposal.status not in allowed_from:
        raise StepNotAllowed(_("This cannot be done now: the match is %(status)s.",
                               status=label(proposal.status).lower()))
    entry = DecisionLog(
        proposal_id=proposal.id, actor_id=actor.id if actor else None,
        actor_role=actor.role.value if actor else "system", at=now or utcnow(), action=action,
        from_status=proposal.status.value, to_status=target.value, reason=reason.strip(),
        reason_code=reason_code, details=details or {},
    )
    proposal.status = target
    proposal.updated_at = entry.at
    session.add(proposal)
    session.add(entry)
    return entry
