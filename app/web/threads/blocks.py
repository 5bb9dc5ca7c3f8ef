"""The "after ja" block that the proposal pages of each role include.

A template global, so that the student's proposal card, the company's candidate page and the
counsellor's review page show the same block without each view loading it: it asks
permissions what the logged-in user is to the proposal, and the services what that role sees.
A page that lists many proposals calls :func:`after_yes_prefetch` with them first, so that the
blocks cost the same few queries however many there are.
"""

from __future__ import annotations

from flask import g, url_for
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


def _cache() -> dict[int, dict | None]:
    return g.setdefault("_after_yes", {})


def after_yes_prefetch(proposals) -> str:
    """Works out the blocks of these proposals at once; returns "" for the template."""
    user = current_actor()
    session = get_session()
    by_role: dict[str, list[MatchProposal]] = {}
    cache = _cache()
    for proposal in proposals:
        role = thread_role(user, proposal)
        cache[proposal.id] = None
        if role is not None:
            by_role.setdefault(role, []).append(proposal)
    for role, mine in by_role.items():
        details = agreed.start_details_of(session=session, proposals=mine, role=role)
        declined = (history.company_declines_of(session=session, proposals=mine)
                    if role == "student" else {})
        for proposal in mine:
            found = details[proposal.id]
            cache[proposal.id] = {
                "role": role, "details": found,
                "thread_url": url_for("threads.thread", proposal_id=proposal.id),
                "calendar_url": (url_for("threads.calendar", proposal_id=proposal.id)
                                 if found is not None and found.first_day else None),
                "declined": declined.get(proposal.id),
            }
    return ""


def after_yes(proposal: MatchProposal | int) -> dict | None:
    """What the page shows of the proposal after "ja" for the logged-in user, or None."""
    key = proposal if isinstance(proposal, int) else proposal.id
    cache = _cache()
    if key not in cache:
        found = thread_proposal(proposal) if isinstance(proposal, int) else proposal
        if found is None:
            return None
        after_yes_prefetch([found])
    return cache.get(key)
