"""The monitor's figures of a region and school year, and the fairness audit of a round.

Both are figures, never a student. The monitor as the web's monitor page allows it
(``can_view_monitor``): a coordinator their own region, an admin any region or every region
at once (no ``region``); other accounts have no monitor (403, as on the web); another
region, or one that does not exist, is a 404. The figures are the ones the page draws, as
numbers (the page's CSV files hold the same, formatted), counted at most a minute ago.

A round's fairness audit as the fairness page shows it (``get_fairness_round_or_404``:
coordinators their region's rounds, admins all): the headline sentence and the stored audit
(``talentmatch audit fairness --json`` prints the same object).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from app.db import get_session
from app.models import ApiArea, Region, Role
from app.permissions import (
    can_view_monitor,
    current_actor,
    get_fairness_round_or_404,
    own_region,
)
from app.services import fairness
from app.services import monitor as service
from app.services.fairness_headline import headline_sentence
from app.services.monitor.scope import SCHOOL_YEAR_PATTERN
from app.web.api.problems import ApiProblem
from app.web.api.resource import resource

bp = resource("monitor", __name__, area=ApiArea.monitor, tag="monitor",
              description="The monitor's figures and the fairness audits of rounds. "
                          "Scope: monitor:read.")


class Counts(BaseModel):
    """Students by the gender they gave (other and not given apart)."""

    model_config = ConfigDict(from_attributes=True)

    girls: int
    boys: int
    other: int
    not_given: int


class ParticipantRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    school_year: str
    key: str = Field(description="The activity kind, pillar or level.")
    counts: Counts


class Participants(BaseModel):
    kind: list[ParticipantRow]
    pillar: list[ParticipantRow]
    level: list[ParticipantRow]


class FunnelRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    gender: str
    took_part: int
    proposed: int
    approved: int
    placed: int


class SectorRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sector: str
    posted: int
    filled: int
    lapsed: int


class AnswerRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sector: str
    sent: int
    answered: int
    lapsed: int
    waiting: int
    median_days: float | None
    mean_days: float | None


class TalentRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    level: str
    with_evidence: Counts
    without_match: Counts


class MonitorOut(BaseModel):
    region: str | None = Field(description="The region's slug; null: every region.")
    school_year: str | None = Field(description="e.g. 2025-2026; null: every school year.")
    counted_at: datetime
    participants: Participants = Field(description="Students who attended an activity of the "
                                                   "region, per kind, pillar and level.")
    funnel: list[FunnelRow] = Field(description="From taking part to placed, per gender.")
    sectors: list[SectorRow] = Field(description="Placements posted, filled and with a "
                                                 "lapsed candidate, per company sector.")
    answers: list[AnswerRow] = Field(description="Company answer times per sector.")
    talent: list[TalentRow] = Field(description="Students with talent evidence, and of them "
                                                "those without a match, per level.")


class MonitorQuery(BaseModel):
    region: str | None = Field(None, max_length=120, description="A region's slug; a "
                                                                 "coordinator's own by "
                                                                 "default.")
    year: str | None = Field(None, max_length=20, description="A school year, e.g. "
                                                              "2025-2026 (two years in a row); "
                                                              "empty: every school year.",
                             json_schema_extra={"pattern": f"^$|{SCHOOL_YEAR_PATTERN}"})


class RoundPath(BaseModel):
    round_id: int = Field(ge=1, le=2**31 - 1)


class FairnessOut(BaseModel):
    round_id: int
    scope: str
    scope_name: str
    available: bool = Field(description="Whether the round has an audit (older and failed "
                                        "rounds have none).")
    headline: str | None = Field(description="The sentence about the group where girls fare "
                                             "worst, as the page leads with it.")
    audit: dict[str, Any] = Field(description="The stored audit: groups, averages, ranking "
                                              "quality, counterfactual and proxy checks "
                                              "(figures only); empty when not available.")


def _scope(query: MonitorQuery) -> service.Scope:
    """The region and year asked for, as the monitor page reads them."""
    session = get_session()
    user = current_actor()
    if user.role not in (Role.coordinator, Role.admin):
        raise ApiProblem(403, _("The account of this token has no monitor."))
    region: Region | None
    if user.role is Role.coordinator:
        region = own_region(user)
        if region is None:
            raise ApiProblem(403, _("The account of this token has no monitor."))
        if query.region and query.region != region.slug:
            abort(404)
    else:
        region = service.region_by_slug(session=session, slug=query.region) \
            if query.region else None
        if query.region and region is None:
            abort(404)
    if not can_view_monitor(user, region):
        abort(404)
    year = service.parse_school_year(query.year) if query.year else None
    return service.Scope(region=region, school_year=year)


@bp.get("/monitor", responses={200: MonitorOut})
def get_monitor(query: MonitorQuery):
    """The monitor's figures of a region (or all, for an admin) and school year (or all)."""
    scope = _scope(query)
    figures = service.figures_of(session=get_session(), scope=scope)
    return MonitorOut(
        region=scope.region.slug if scope.region else None, school_year=scope.school_year,
        counted_at=figures.counted_at,
        participants=Participants(**{by: [ParticipantRow.model_validate(row)
                                          for row in figures.participants.get(by, [])]
                                     for by in ("kind", "pillar", "level")}),
        funnel=[FunnelRow.model_validate(row) for row in figures.funnel],
        sectors=[SectorRow.model_validate(row) for row in figures.sectors],
        answers=[AnswerRow.model_validate(row) for row in figures.answers],
        talent=[TalentRow.model_validate(row) for row in figures.talent],
    ).model_dump(mode="json")


@bp.get("/rounds/<int:round_id>/fairness", responses={200: FairnessOut})
def get_round_fairness(path: RoundPath):
    """The girls/boys fairness audit of a round (404 when it is not the account's to read)."""
    round_ = get_fairness_round_or_404(path.round_id)
    audit = round_.fairness_audit or {}
    available = fairness.has_audit(audit)
    names = fairness.scope_names(session=get_session(), labels=[round_.scope])
    return FairnessOut(round_id=path.round_id, scope=round_.scope,
                       scope_name=names.get(round_.scope, round_.scope), available=available,
                       headline=headline_sentence(audit) if available else None,
                       audit=audit if available else {}).model_dump(mode="json")
