"""Matching rounds (read) and their proposals, and a student's "Voor jou" list.

The rounds an account reads are those whose cohort can hold its students (the rule is
``app.permissions.rounds``): a counsellor their school's, their region's and everyone's
rounds, a coordinator their region's, its schools' and everyone's, an admin every round.
(The web's matching page lists a cohort's own rounds; the
review queue shows proposals "whichever round made them", and so does this.) A round's
proposals are only the ones the account reads anyway (see ``proposals``): a counsellor reads a
region round's proposals of their own school's students.
Companies read no rounds; their candidates are at ``/proposals``.

A student's recommendations are the "Voor jou" list the student sees on the web
(``student_choice.for_you``), for a student the account may see (``get_student_or_404``: a
counsellor their school's, an admin any). It is short (at most its fixed size) and ranked, so
it is one list, not pages.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale
from pydantic import BaseModel, ConfigDict, Field

from app.db import get_session
from app.models import ApiArea, MatchRound, StudentProfile
from app.permissions import (
    current_actor,
    get_round_or_404,
    get_student_or_404,
    round_scopes,
)
from app.services import api_lists_placements as lists
from app.services import student_choice
from app.web.api.paging import Page, PageQuery, page_of
from app.web.api.proposals import ProposalFilters, ProposalPage, page_of_proposals
from app.web.api.resource import resource

bp = resource("rounds", __name__, area=ApiArea.proposals, tag="rounds",
              description="Matching rounds and their proposals; a student's recommendations. "
                          "Scope: proposals:read.")

ROW_ID = Field(ge=1, le=2**31 - 1)


class RoundOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    scope: str = Field(description="school:<code>, region:<slug> or all.")
    status: str
    started_at: datetime
    finished_at: datetime | None
    summary: dict = Field(description="How many students got a proposal, and why the others "
                                      "did not.")


class RoundPage(Page[RoundOut]):
    """A page of rounds."""


class RoundPath(BaseModel):
    round_id: int = ROW_ID


class StudentPath(BaseModel):
    student_id: int = ROW_ID


class RecommendationOut(BaseModel):
    rank: int
    placement_id: int
    company_id: int
    title: str
    company: str
    kind: str
    why: str = Field(description="The reason, as the student reads it.")
    talent_led: bool = Field(description="Listed for observed talent the student did not "
                                         "name.")
    distance_km: float | None


class RecommendationList(BaseModel):
    student_id: int
    items: list[RecommendationOut]


def _round_out(round_: MatchRound) -> dict:
    return RoundOut.model_validate({**round_.model_dump(), "status": round_.status.value}
                                   ).model_dump(mode="json")


@bp.get("/rounds", responses={200: RoundPage})
def list_rounds(query: PageQuery):
    """The matching rounds the token's account reads, by id."""
    statement = lists.rounds(scopes=round_scopes(current_actor()))
    rows, cursor = page_of(get_session(), statement, MatchRound.id, query)
    return {"items": [_round_out(r) for r in rows], "next_cursor": cursor}


@bp.get("/rounds/<int:round_id>", responses={200: RoundOut})
def get_round(path: RoundPath):
    """One round with its summary."""
    return _round_out(get_round_or_404(path.round_id))


@bp.get("/rounds/<int:round_id>/proposals", responses={200: ProposalPage})
def list_round_proposals(path: RoundPath, query: ProposalFilters):
    """The round's proposals the token's account reads, by id; filter by status, student and
    placement."""
    round_ = get_round_or_404(path.round_id)
    return page_of_proposals(query, round_id=round_.id, status=query.status,
                             student_id=query.student, placement_id=query.placement)


@bp.get("/students/<int:student_id>/recommendations", responses={200: RecommendationList})
def list_student_recommendations(path: StudentPath):
    """The student's "Voor jou" list now, best first, each with its reason."""
    return recommendations_of(get_student_or_404(path.student_id))


def recommendations_of(student: StudentProfile) -> dict:
    """The "Voor jou" list of a student already loaded through app.permissions (here, and the
    student's own at ``/me/recommendations``)."""
    locale = get_locale()
    found = student_choice.for_you(session=get_session(), student=student,
                                   language=locale.language if locale is not None else "nl")
    items = [RecommendationOut(
        rank=rank, placement_id=s.placement.id or 0, company_id=s.company.id or 0,
        title=s.placement.title, company=s.company.name, kind=s.placement.kind.value,
        why=s.reason, talent_led=s.talent_led, distance_km=s.distance_km)
        for rank, s in enumerate(found, start=1)]
    return RecommendationList(student_id=student.id or 0, items=items).model_dump(mode="json")
