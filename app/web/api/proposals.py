"""Proposals: read them, and take the steps of the web through the same services and state
machine (counsellors approve, reject and replace; companies answer their candidates).

Who reads which proposal, as on the web: a counsellor their school's students' proposals (the
review queue, ``get_reviewable_proposal_or_404``), an admin every one, a coordinator their
region's schools' (the match lists they download, ``export_school_ids``: ids, no names), a
company contact the candidates sent to their company (``get_candidate_or_404``). Anyone else,
and anything else, is a 404. A step the account may not take on a proposal it may read is a
403.

Students say yes or no with their own personal token, at ``/me/proposals`` (app/web/api/me.py,
which takes its steps through :func:`take_step` as these do); a token made here never acts as
a student.

Every step answers with the proposal as it is afterwards (``replace``: the new proposal).
Repeating the step the proposal went through last (approve on an approved or offered
proposal, reject on a rejected one, the same answer of a company, the same replacement) is
200 and changes nothing; a step the state machine does not allow from the proposal's status
is a 409 with the service's message; a request the service refuses (no reason, no free place,
a hard rule broken without ``breaking_rules``) is a 422 naming the field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from app.db import get_session
from app.models import (
    ApiArea,
    DecisionLog,
    MatchProposal,
    ProposalStatus,
    Role,
    StudentProfile,
)
from app.models.labels import why
from app.models.lifecycle import STEPS
from app.permissions import (
    current_actor,
    export_school_ids,
    get_candidate_or_404,
    get_placement_or_404,
    get_reviewable_proposal_or_404,
    reviewable_school_ids,
    user_company_ids,
)
from app.permissions.base import load_or_404
from app.services import api_lists_placements as lists
from app.services import candidates, pipeline, review
from app.services.errors import ServiceError
from app.services.history import COMPANY_DECLINE_REASONS
from app.web.api.paging import Page, PageQuery, page_of, page_of_list
from app.web.api.problems import REFUSED, ApiProblem, problem_content
from app.web.api.resource import not_yours, resource

bp = resource("proposals", __name__, area=ApiArea.proposals, tag="proposals",
              description="Proposals and the steps on them. Scope: proposals:read/write.")

ROW_ID = Field(ge=1, le=2**31 - 1)
CONFLICT = {409: problem_content("The proposal's status does not allow this step (the "
                                 "service's message says why); nothing was changed.")}
RejectReason = Literal[tuple(review.REJECT_REASONS)]  # type: ignore[valid-type]
DeclineReason = Literal[tuple(COMPANY_DECLINE_REASONS)]  # type: ignore[valid-type]


class ProposalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    round_id: int | None
    student_id: int
    placement_id: int
    status: str
    rank: int
    score: float
    why: str = Field(description="The reason, as the web shows it (in the request's "
                                 "language).")
    components: dict[str, float | None] | None = Field(
        description="The score parts (text, themes, talent, ...); null for a company.")
    shared_themes: list[str]
    distance_km: float | None
    origin: str
    student_deadline: date | None
    company_deadline: date | None
    created_at: datetime
    updated_at: datetime


class ProposalPage(Page[ProposalOut]):
    """A page of proposals."""


class ProposalFilters(PageQuery):
    status: str | None = Field(None, max_length=40, description="e.g. proposed, offered.")
    student: int | None = Field(None, ge=1, le=2**31 - 1, description="A student's id.")
    placement: int | None = Field(None, ge=1, le=2**31 - 1, description="A placement's id.")


class ProposalQuery(ProposalFilters):
    round: int | None = Field(None, ge=1, le=2**31 - 1, description="A matching round's id.")


class ProposalPath(BaseModel):
    proposal_id: int = ROW_ID


class ApproveIn(BaseModel):
    note: str = Field("", max_length=2000, description="A private note of the counsellor.")


class RejectIn(BaseModel):
    reason_code: RejectReason = Field(description="One of the review page's reasons.")
    reason: str = Field("", max_length=2000, description="Required for 'other'.")


class ReplaceIn(BaseModel):
    placement_id: int = ROW_ID
    reason: str = Field(max_length=2000, description="Why: kept for accountability.")
    breaking_rules: bool = Field(False, description="Offer it although it breaks a hard rule "
                                                    "of matching (the 422 names the rule).")


class AnswerIn(BaseModel):
    accept: bool
    reason_code: DeclineReason = Field("other", description="Why not (a decline).")
    reason: str = Field("", max_length=2000, description="The company's words (a decline: "
                                                         "required).")


# --- who reads which proposal -------------------------------------------------------------

def readable_school_ids() -> list[int] | None:
    """Schools whose students' proposals the account reads (None: all); companies read their
    candidates instead (see :func:`company_candidate_ids`)."""
    user = current_actor()
    if user.role is Role.coordinator:
        return export_school_ids(user) or []
    return reviewable_school_ids(user)


def company_candidate_ids() -> list[int]:
    """The candidates of the account's companies, as their page lists them (consent too)."""
    views = candidates.company_candidates(session=get_session(),
                                          company_ids=user_company_ids(current_actor()))
    return [view.proposal_id for view in views]


def get_readable_proposal_or_404(proposal_id: int) -> MatchProposal:
    user = current_actor()
    if user.role is Role.company:
        return get_candidate_or_404(proposal_id)
    if user.role is Role.coordinator:
        schools = readable_school_ids() or []

        def allowed(proposal: MatchProposal) -> bool:
            student = get_session().get(StudentProfile, proposal.student_id)
            return student is not None and student.anonymised_at is None and \
                student.school_id in schools

        return load_or_404(MatchProposal, proposal_id, allowed)
    return get_reviewable_proposal_or_404(proposal_id)


def proposal_out(proposal: MatchProposal) -> dict:
    company = current_actor().role is Role.company
    return ProposalOut.model_validate({
        **proposal.model_dump(), "status": proposal.status.value,
        "origin": proposal.origin.value, "why": why(proposal),
        "components": None if company else proposal.components}).model_dump(mode="json")


def page_of_proposals(query: PageQuery, *, round_id: int | None = None,
                      status: str | None = None, student_id: int | None = None,
                      placement_id: int | None = None) -> dict:
    """One page of the proposals the account reads, filtered; for /proposals and for
    /rounds/{id}/proposals."""
    session = get_session()
    filters = {"round_id": round_id, "status": status, "student_id": student_id,
               "placement_id": placement_id}
    if current_actor().role is Role.company:
        ids = company_candidate_ids()
        rows = session.exec(lists.proposals(school_ids=None, **filters)
                            .where(col(MatchProposal.id).in_(ids))).all() if ids else []
        page, cursor = page_of_list(rows, query)
    else:
        page, cursor = page_of(session, lists.proposals(school_ids=readable_school_ids(),
                                                        **filters), MatchProposal.id, query)
    return {"items": [proposal_out(p) for p in page], "next_cursor": cursor}


@bp.get("/proposals", responses={200: ProposalPage})
def list_proposals(query: ProposalQuery):
    """The proposals the token's account reads, by id; filter by round, status, student and
    placement."""
    return page_of_proposals(query, round_id=query.round, status=query.status,
                             student_id=query.student, placement_id=query.placement)


@bp.get("/proposals/<int:proposal_id>", responses={200: ProposalOut})
def get_proposal(path: ProposalPath):
    """One proposal with its reason (404 when it is not the token's account's to read)."""
    return proposal_out(get_readable_proposal_or_404(path.proposal_id))


# --- steps -----------------------------------------------------------------------------------

def _actionable(proposal_id: int, action: str) -> MatchProposal:
    """The proposal, when the account reads it (else 404) and may take ``action`` on it
    (else 403)."""
    proposal = get_readable_proposal_or_404(proposal_id)
    if not pipeline.may_take(session=get_session(), actor=current_actor(), proposal=proposal,
                             action=action):
        raise not_yours()
    return proposal


def take_step(proposal: MatchProposal, action: str, run, already) -> MatchProposal:
    """The proposal after the step: ``already()`` when the step was taken before (a repeat,
    also one that raced its twin), else the service's result. A refusal because of the
    proposal's status is a 409, any other a 422 (the resource's handler)."""
    if (done := already()) is not None:
        return done
    try:
        return run()
    except ServiceError as error:
        session = get_session()
        session.rollback()
        session.refresh(proposal)
        if (done := already()) is not None:
            return done
        if proposal.status not in STEPS[action][0]:
            raise ApiProblem(409, str(error), type_=REFUSED) from None
        raise


def _when(proposal: MatchProposal, *statuses: ProposalStatus):
    return lambda: proposal if proposal.status in statuses else None


@bp.post("/proposals/<int:proposal_id>/approve", responses={200: ProposalOut, **CONFLICT})
def approve_proposal(path: ProposalPath, body: ApproveIn):
    """A counsellor approves: the proposal is offered to the student at once."""
    proposal = _actionable(path.proposal_id, "approve")
    return proposal_out(take_step(proposal, "approve", lambda: review.approve(
        session=get_session(), proposal=proposal, actor=current_actor(), note=body.note),
        _when(proposal, ProposalStatus.approved, ProposalStatus.offered)))


@bp.post("/proposals/<int:proposal_id>/reject", responses={200: ProposalOut, **CONFLICT})
def reject_proposal(path: ProposalPath, body: RejectIn):
    """A counsellor rejects, with a reason: the pair is not proposed again."""
    proposal = _actionable(path.proposal_id, "reject")
    return proposal_out(take_step(proposal, "reject", lambda: review.reject(
        session=get_session(), proposal=proposal, actor=current_actor(),
        reason_code=body.reason_code, reason=body.reason),
        _when(proposal, ProposalStatus.rejected)))


def _replacement_of(proposal: MatchProposal, placement_id: int) -> MatchProposal | None:
    """The proposal that replaced ``proposal`` by this placement, if it was replaced so."""
    session = get_session()
    for entry in session.exec(select(DecisionLog).where(
            col(DecisionLog.proposal_id) == proposal.id, col(DecisionLog.action) == "reject",
            col(DecisionLog.reason_code) == "replaced")).all():
        if (entry.details or {}).get("new_placement_id") == placement_id:
            return session.exec(select(MatchProposal).where(
                col(MatchProposal.student_id) == proposal.student_id,
                col(MatchProposal.placement_id) == placement_id)
                .order_by(col(MatchProposal.id).desc())).first()
    return None


@bp.post("/proposals/<int:proposal_id>/replace", responses={200: ProposalOut, **CONFLICT})
def replace_proposal(path: ProposalPath, body: ReplaceIn):
    """A counsellor puts another open placement in its place, offered at once; answers with
    the new proposal. A placement that breaks a hard rule of matching is a 422 naming the
    rule, unless ``breaking_rules`` is true."""
    proposal = _actionable(path.proposal_id, "reject")
    placement = get_placement_or_404(body.placement_id)  # one this counsellor may see
    return proposal_out(take_step(proposal, "reject", lambda: review.replace(
        session=get_session(), proposal=proposal, placement=placement,
        actor=current_actor(), reason=body.reason, breaking_rules=body.breaking_rules),
        lambda: _replacement_of(proposal, body.placement_id)))


@bp.post("/proposals/<int:proposal_id>/answer", responses={200: ProposalOut, **CONFLICT})
def answer_candidate(path: ProposalPath, body: AnswerIn):
    """A company contact accepts or declines a candidate sent to the company (a decline with
    a reason from the list and the company's own words)."""
    action = "company_accept" if body.accept else "company_decline"
    session = get_session()
    if current_actor().role is not Role.company:
        # Only a company answers: others do not read candidates as candidates.
        get_readable_proposal_or_404(path.proposal_id)
        raise not_yours()
    proposal = _actionable(path.proposal_id, action)
    already = _when(proposal, STEPS[action][1])
    if body.accept:
        return proposal_out(take_step(proposal, action, lambda: candidates.company_accept(
            session=session, proposal=proposal, actor=current_actor()), already))
    return proposal_out(take_step(proposal, action, lambda: candidates.company_decline(
        session=session, proposal=proposal, actor=current_actor(), reason=body.reason,
        reason_code=body.reason_code), already))

