"""The road from proposal to placement: which step may follow which, and the record of each.

Every step is applied through :func:`step`, which refuses a step that is not allowed from the
proposal's current status (changing nothing) and writes a :class:`DecisionLog` entry with
who, when, what and why.

A step is one compare-and-set on the proposal's row (``UPDATE ... WHERE status = :expected``):
the status a request read may be stale by the time it writes (a double click, an accept and a
decline at once), and only the request whose UPDATE still finds the status it read moves it.
The others get :class:`StepMoved` and change nothing. The row stays locked until the caller's
commit (PostgreSQL row lock; SQLite's single writer), so what the winner does next in the same
transaction (a place taken or given back, a log row) happens exactly once.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from ..models import (
    CompanyContact,
    DecisionLog,
    MatchProposal,
    Placement,
    ProposalStatus,
    Role,
    StudentProfile,
    User,
    utcnow,
)
from ..models.labels import label
from ..models.lifecycle import ACTORS, STEPS
from .errors import ServiceError
from .rows import changed_rows


class StepNotAllowed(ServiceError):
    """The step cannot follow the proposal's current status; nothing was changed."""


class StepForbidden(StepNotAllowed):
    """This person may not take this step on this proposal; nothing was changed."""


class StepMoved(StepNotAllowed):
    """The proposal's status changed since it was read (another request took a step first);
    nothing was changed. The message is the one an invalid step gets from the new status."""


def roles_of(*, session: Session, actor: User | None, proposal: MatchProposal) -> set[str]:
    """What ``actor`` is to this proposal, in the terms of :data:`ACTORS`."""
    if actor is None:
        return {"system"}
    student = session.get(StudentProfile, proposal.student_id)
    placement = session.get(Placement, proposal.placement_id)
    found: set[str] = set()
    if actor.role is Role.admin or (actor.role is Role.counsellor and student is not None
                                    and actor.school_id == student.school_id):
        found.add("counsellor")
    if actor.role is Role.student and student is not None and student.user_id == actor.id:
        found.add("student")
    if actor.role is Role.company and placement is not None and session.exec(
            select(CompanyContact).where(CompanyContact.user_id == actor.id,
                                         CompanyContact.company_id == placement.company_id,
                                         CompanyContact.can_act)).first() is not None:
        found.add("company")
    return found


def may_take(*, session: Session, actor: User | None, proposal: MatchProposal,
             action: str) -> bool:
    return bool(ACTORS[action] & roles_of(session=session, actor=actor, proposal=proposal))


def step(*, session: Session, proposal: MatchProposal, action: str, actor: User | None,
         reason: str = "", reason_code: str = "", details: dict | None = None,
         now: datetime | None = None) -> DecisionLog:
    """Move ``proposal`` by ``action`` and log it. Does not commit (the caller's unit of work
    may hold more, e.g. a reserved place)."""
    allowed_from, target = STEPS[action]
    if not may_take(session=session, actor=actor, proposal=proposal, action=action):
        raise StepForbidden(_("You may not do this for this match."))
    expected = proposal.status
    if expected not in allowed_from:
        raise StepNotAllowed(_not_now(expected))
    at = now or utcnow()
    moved = changed_rows(session.execute(
        sa.update(MatchProposal)
        .where(col(MatchProposal.id) == proposal.id, col(MatchProposal.status) == expected)
        .values(status=target, updated_at=at)
        .execution_options(synchronize_session=False)))
    if moved != 1:
        current = session.execute(
            sa.select(col(MatchProposal.status)).where(col(MatchProposal.id) == proposal.id)
        ).scalar_one_or_none()
        raise StepMoved(_not_now(current) if current is not None
                        else _("This match no longer exists."))
    entry = DecisionLog(
        proposal_id=proposal.id, actor_id=actor.id if actor else None,
        actor_role=actor.role.value if actor else "system", at=at, action=action,
        from_status=expected.value, to_status=target.value, reason=reason.strip(),
        reason_code=reason_code, details=details or {},
    )
    # The row already holds these; the object learns them without a second UPDATE.
    set_committed_value(proposal, "status", target)
    set_committed_value(proposal, "updated_at", at)
    session.add(entry)
    return entry


def _not_now(status: ProposalStatus) -> str:
    return _("This cannot be done now: the match is %(status)s.",
             status=label(status).lower())
