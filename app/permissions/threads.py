"""Who may read and write a proposal's message thread, and see what comes after a "yes".

The three people of a proposal: the student (from the moment it is offered to them), their
counsellor (who reads every thread of their students, many of whom are minors; an admin too),
and a contact of the placement's company, only once the candidate was sent to it and while the
company may see the student (consent for under-16s). Anyone else gets a 404.
"""

from __future__ import annotations

from flask import abort

from app.db import get_session
from app.models import MatchProposal, Role, StudentProfile, User
from app.models.lifecycle import FILLED, STUDENT_VISIBLE
from app.permissions.base import current_actor, load_or_404
from app.permissions.proposals import can_answer_candidate, reviewable_school_ids

STUDENT = "student"
COUNSELLOR = "counsellor"
COMPANY = "company"


def thread_role(user: User, proposal: MatchProposal) -> str | None:
    """What ``user`` is on this proposal's thread: "student", "counsellor", "company" or None."""
    student = get_session().get(StudentProfile, proposal.student_id)
    if student is None or student.anonymised_at is not None:
        return None
    if user.role is Role.student:
        own = student.user_id == user.id and proposal.status in STUDENT_VISIBLE
        return STUDENT if own else None
    if user.role in (Role.counsellor, Role.admin):
        schools = reviewable_school_ids(user)
        return COUNSELLOR if schools is None or student.school_id in schools else None
    if user.role is Role.company:
        return COMPANY if can_answer_candidate(user, proposal) else None
    return None


def get_thread_or_404(proposal_id: int) -> MatchProposal:
    """A proposal whose thread the logged-in user takes part in."""
    return load_or_404(MatchProposal, proposal_id,
                       lambda p: thread_role(current_actor(), p) is not None)


def get_agreed_proposal_or_404(proposal_id: int) -> MatchProposal:
    """A proposal the company accepted (or later), for one of its three people: the start
    details and the calendar file exist only from then on."""
    proposal = get_thread_or_404(proposal_id)
    if proposal.status not in FILLED:
        abort(404)
    return proposal


def thread_proposal(proposal_id: int) -> MatchProposal | None:
    """The proposal when the logged-in user takes part in its thread, else None (for a block
    on a page that was already allowed; a page of its own uses :func:`get_thread_or_404`)."""
    proposal = get_session().get(MatchProposal, proposal_id)
    if proposal is None or thread_role(current_actor(), proposal) is None:
        return None
    return proposal
