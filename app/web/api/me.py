"""A student's own proposals and recommendations, for an app she chose: with her personal
token (area ``me``; app/services/personal_tokens.py), never with any other.

What she reads is what her "Mijn voorstellen" page shows (``offers.offers_for``: what a
counsellor offered her, and what followed), and her yes or no is that page's, through the same
service (``offers.student_accept``, ``offers.student_decline``) and state machine. A proposal
that is not hers to see (another student's, or one not offered yet) is a 404
(``get_own_proposal_or_404``, the page's own loader).

Answering as she answered before is 200 with the proposal unchanged; the other answer after
hers, or any answer once the offer lapsed, is a 409 with the service's message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from flask import abort
from pydantic import BaseModel, Field

from app.db import get_session
from app.models import (
    ApiArea,
    Company,
    MatchProposal,
    Placement,
    ProposalStatus,
    StudentProfile,
)
from app.models.labels import why
from app.permissions import current_actor, get_own_proposal_or_404, own_student_profile, related
from app.services import offer_deadlines, offers
from app.web.api.proposals import CONFLICT, ProposalPath, take_step
from app.web.api.resource import resource
from app.web.api.rounds import RecommendationList, recommendations_of

bp = resource("me", __name__, area=ApiArea.me, tag="me",
              description="A student's own proposals (her yes or no) and recommendations, "
                          "with the personal token she made herself. Scope: me:read/write.")

ANSWERS = {"accept": "student_accept", "decline": "student_decline"}


class MyProposalOut(BaseModel):
    id: int
    status: str
    may_answer: bool = Field(description="Offered and waiting for her yes or no.")
    answer_before: date | None = Field(description="The last day to answer an offer.")
    why: str = Field(description="The reason, as her page shows it (in the request's "
                                 "language).")
    placement_id: int
    title: str
    company_id: int
    company: str
    place: str
    starts_on: date | None
    ends_on: date | None
    female_role_model: bool
    mentor: bool
    updated_at: datetime


class MyProposalList(BaseModel):
    """Her proposals, the latest change first (as on her page); a short list, not pages."""

    items: list[MyProposalOut]


class MyAnswerIn(BaseModel):
    answer: Literal["accept", "decline"]
    reason: str = Field("", max_length=2000, description="Why not (a decline; optional).")


def _own_profile() -> StudentProfile:
    profile = own_student_profile(current_actor())
    if profile is None:  # the token's checks make this the student's own; erased since: gone
        abort(404)
    return profile


def _out(proposal: MatchProposal, placement: Placement, company: Company) -> dict:
    offered = proposal.status is ProposalStatus.offered
    return MyProposalOut(
        id=proposal.id or 0, status=proposal.status.value, may_answer=offered,
        answer_before=proposal.student_deadline if offered else None, why=why(proposal),
        placement_id=placement.id or 0, title=placement.title, company_id=company.id or 0,
        company=company.name, place=placement.place, starts_on=placement.starts_on,
        ends_on=placement.ends_on, female_role_model=company.female_role_model,
        mentor=company.offers_mentor, updated_at=proposal.updated_at).model_dump(mode="json")


@bp.get("/me/proposals", responses={200: MyProposalList})
def list_my_proposals():
    """Her proposals as her page lists them: those a counsellor offered her, and what
    followed."""
    session = get_session()
    profile = _own_profile()
    offer_deadlines.upkeep_when_due(session=session)  # as her page: a lapsed offer says so
    found = offers.offers_for(session=session, student=profile)
    return {"items": [_out(o.proposal, o.placement, o.company) for o in found]}


def _answered(proposal: MatchProposal, action: str):
    """``already`` of :func:`take_step`: the proposal, when she gave this answer before."""
    def already() -> MatchProposal | None:
        answered = offers.has_answered(session=get_session(), proposal=proposal, action=action)
        return proposal if answered else None

    return already


@bp.post("/me/proposals/<int:proposal_id>/answer", responses={200: MyProposalOut, **CONFLICT})
def answer_my_proposal(path: ProposalPath, body: MyAnswerIn):
    """Her yes or no to an offer, as the buttons on her page (a no optionally with why)."""
    proposal = get_own_proposal_or_404(path.proposal_id)
    session, actor = get_session(), current_actor()
    action = ANSWERS[body.answer]
    if body.answer == "accept":
        def run():
            return offers.student_accept(session=session, proposal=proposal, actor=actor)
    else:
        def run():
            return offers.student_decline(session=session, proposal=proposal, actor=actor,
                                          reason=body.reason)
    answered = take_step(proposal, action, run, _answered(proposal, action))
    placement = related(Placement, answered.placement_id)
    return _out(answered, placement, related(Company, placement.company_id))


@bp.get("/me/recommendations", responses={200: RecommendationList})
def list_my_recommendations():
    """Her "Voor jou" list now, best first, each with its reason."""
    return recommendations_of(_own_profile())
