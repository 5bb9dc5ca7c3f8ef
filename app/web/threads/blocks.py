"""The "after ja" block that the proposal pages of each role include.

A template global, so that the student's proposal card, the company's candidate page and the
counsellor's review page show the same block without each view loading it: it asks
permissions what the logged-in user is to the proposal, and the services what that role sees.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.db import get_session
from app.models import MatchProposal
from app.permissions.base import current_actor
from app.permissions.threads import thread_proposal, thread_role
from app.services import agreed, history

_ROLE_WORDS = {"student": _l("student"), "counsellor": _l("counsellor"),
               "company": _l("company")}


def message_role(role: str) -> str:
    """The role a message was written in, as a word."""
    return str(_ROLE_WORDS.get(role, role))


def after_yes(proposal: MatchProposal | int) -> dict | None:
    """What the page shows of the proposal after "ja" for the logged-in user, or None."""
    if isinstance(proposal, int):
        found = thread_proposal(proposal)
        if found is None:
            return None
        proposal = found
    role = thread_role(current_actor(), proposal)
    if role is None:
        return None
    session = get_session()
    details = agreed.start_details(session=session, proposal=proposal, role=role)
    return {
        "role": role,
        "details": details,
        "thread_url": url_for("threads.thread", proposal_id=proposal.id),
        "calendar_url": (url_for("threads.calendar", proposal_id=proposal.id)
                         if details is not None and details.first_day else None),
        "declined": (history.company_decline_of(session=session, proposal=proposal)
                     if role == "student" else None),
    }
