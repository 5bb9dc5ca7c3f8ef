"""The monitor's figures, each counted in the database: participants per kind, pillar or
level, the funnel from taking part to a placement, placements per sector, the companies'
answer times and talent evidence without a match."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from ...models import (
    Activity,
    ActivityKind,
    Attendance,
    Company,
    DecisionLog,
    Gender,
    Level,
    MatchProposal,
    Participation,
    Pillar,
    Placement,
    PlacementEvent,
    PlacementStatus,
    ProposalStatus,
    StudentGender,
    StudentProfile,
    TalentObservation,
)
from ...models.lifecycle import APPROVED_OR_LATER, FILLED, NOT_TURNED_DOWN, PLACED
from .scope import (
    DIMENSIONS,
    GENDERS,
    POSTED_STATUSES,
    TALENT_STRENGTH,
    GenderCounts,
    Scope,
    activities_in,
    as_gender,
    companies_in,
    gender_or_not_given,
    in_year,
)


@dataclass(frozen=True)
class ParticipantRow:
    school_year: str
    key: str        # the kind, pillar or level value
    counts: GenderCounts


def participants(*, session: Session, scope: Scope, by: str) -> list[ParticipantRow]:
    """Distinct students who took part in at least one activity (attended it: a registration
    is not taking part), per school year and activity kind, pillar or the student's level
    (their level now), split by gender."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {DIMENSIONS}")
    key = {"kind": Activity.kind, "pillar": Activity.pillar,
           "level": StudentProfile.level}[by]
    query = (
        select(Activity.school_year, key, gender_or_not_given(),
               func.count(sa.distinct(col(Participation.student_id))))
        .select_from(Participation)
        .join(Activity, col(Activity.id) == Participation.activity_id)
        .outerjoin(StudentGender, col(StudentGender.student_id) == Participation.student_id)
        .where(activities_in(scope), Participation.attendance == Attendance.attended)
        .group_by(col(Activity.school_year), key, gender_or_not_given())
    )
    if by == "level":
        query = query.join(StudentProfile, col(StudentProfile.id) == Participation.student_id)
    grouped: dict[tuple[str, str], dict[Gender, int]] = defaultdict(dict)
    for year, value, gender, count in session.exec(query).all():
        value = getattr(value, "value", value)
        grouped[(year, value)][as_gender(gender)] = count
    order = order_of(by)
    by_group = sorted(grouped.items(), key=lambda item: order.get(item[0][1], 99))
    return [ParticipantRow(year, value, GenderCounts.of(counts))  # newest school year first
            for (year, value), counts in sorted(by_group, key=lambda item: item[0][0],
                                                reverse=True)]


def order_of(by: str) -> dict[str, int]:
    members = {"kind": ActivityKind, "pillar": Pillar, "level": Level}[by]
    return {m.value: i for i, m in enumerate(members)}


# --- the funnel ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelRow:
    gender: Gender
    took_part: int
    proposed: int
    approved: int
    placed: int

    def share(self, count: int) -> float | None:
        return count / self.took_part if self.took_part else None


def funnel(*, session: Session, scope: Scope) -> list[FunnelRow]:
    """Per gender: students who took part in an activity, then of those who got a proposal,
    whose proposal was approved (then or later), and who were placed. Each step counts
    students, so each is part of the one before."""
    cohort = (
        select(col(Participation.student_id).label("student_id"))
        .join(Activity, col(Activity.id) == Participation.activity_id)
        .where(activities_in(scope), Participation.attendance == Attendance.attended)
        .distinct().subquery()
    )
    approved_by_log = select(DecisionLog.proposal_id).where(
        DecisionLog.action == "approve", col(DecisionLog.proposal_id).is_not(None))
    step = sa.case(
        (col(MatchProposal.status).in_(PLACED), 3),
        (sa.or_(col(MatchProposal.status).in_(APPROVED_OR_LATER),
                col(MatchProposal.id).in_(approved_by_log)), 2),
        else_=1)
    furthest = (
        select(col(MatchProposal.student_id).label("student_id"), func.max(step).label("step"))
        .group_by(col(MatchProposal.student_id)).subquery()
    )
    gender = gender_or_not_given()
    rows = session.execute(
        sa.select(gender, func.count(),
                  func.count(furthest.c.student_id),
                  func.coalesce(func.sum(sa.case((furthest.c.step >= 2, 1), else_=0)), 0),
                  func.coalesce(func.sum(sa.case((furthest.c.step >= 3, 1), else_=0)), 0))
        .select_from(cohort)
        .outerjoin(furthest, furthest.c.student_id == cohort.c.student_id)
        .outerjoin(StudentGender, col(StudentGender.student_id) == cohort.c.student_id)
        .group_by(gender)
    ).all()
    found = {as_gender(g): FunnelRow(as_gender(g), int(n), int(p), int(a), int(pl))
             for g, n, p, a, pl in rows}
    return [found.get(g, FunnelRow(g, 0, 0, 0, 0)) for g in GENDERS]


# --- placements per sector ----------------------------------------------------------------


@dataclass(frozen=True)
class SectorRow:
    sector: str
    posted: int
    filled: int
    lapsed: int

    @property
    def filled_share(self) -> float | None:
        return self.filled / self.posted if self.posted else None


def _sector_key():
    return func.lower(func.trim(Company.sector))


def sectors(*, session: Session, scope: Scope) -> list[SectorRow]:
    """Per sector of the companies in scope: placements posted (in the school year), of
    those filled (a candidate accepted by the company) and lapsed (a candidate whose offer
    lapsed because the company did not answer in time).

    Posted: the first time a placement was opened (published by hand or by an import). A
    placement with no history at all that is not a draft (older data, demo data) counts as
    posted when it was created."""
    history = (
        select(col(PlacementEvent.placement_id).label("placement_id"),
               func.min(sa.case((col(PlacementEvent.to_status).in_(POSTED_STATUSES),
                                 PlacementEvent.at))).label("opened"))
        .group_by(col(PlacementEvent.placement_id)).subquery()
    )
    outcomes = (
        select(col(MatchProposal.placement_id).label("placement_id"),
               func.max(sa.case((col(MatchProposal.status).in_(FILLED), 1), else_=0))
               .label("filled"),
               func.max(sa.case((col(MatchProposal.status) == ProposalStatus.lapsed, 1), else_=0))
               .label("lapsed"))
        .where(col(MatchProposal.status).in_((*FILLED, ProposalStatus.lapsed)))
        .group_by(col(MatchProposal.placement_id)).subquery()
    )
    posted = sa.case(
        (history.c.placement_id.is_(None),
         sa.case((col(Placement.status) != PlacementStatus.draft, Placement.created_at))),
        else_=history.c.opened)
    placements = (
        sa.select(_sector_key().label("key"), col(Company.sector).label("sector"),
                  posted.label("posted_at"),
                  func.coalesce(outcomes.c.filled, 0).label("filled"),
                  func.coalesce(outcomes.c.lapsed, 0).label("lapsed"))
        .select_from(Placement).join(Company, col(Company.id) == Placement.company_id)
        .outerjoin(history, history.c.placement_id == Placement.id)
        .outerjoin(outcomes, outcomes.c.placement_id == Placement.id)
        .where(companies_in(scope)).subquery()
    )
    rows = session.exec(
        select(func.min(placements.c.sector), func.count(), func.sum(placements.c.filled),
               func.sum(placements.c.lapsed))
        .where(placements.c.posted_at.is_not(None),
               in_year(placements.c.posted_at, scope.school_year))
        .group_by(placements.c.key)
    ).all()
    return sorted((SectorRow(sector, int(n), int(f or 0), int(lp or 0))
                   for sector, n, f, lp in rows), key=lambda r: (-r.posted, r.sector.lower()))


# --- company answer times -----------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    sector: str
    sent: int
    answered: int
    lapsed: int
    waiting: int
    median_days: float | None
    mean_days: float | None

    @property
    def answer_rate(self) -> float | None:
        """Answered in time, of the candidates that were answered or lapsed."""
        decided = self.answered + self.lapsed
        return self.answered / decided if decided else None


def answer_times(*, session: Session, scope: Scope) -> list[AnswerRow]:
    """Per sector: candidates sent to companies in scope (in the school year), answered,
    lapsed, still waiting, and the days from sending to the company's answer."""
    key = _sector_key()
    sent = sa.and_(companies_in(scope), col(MatchProposal.sent_to_company_at).is_not(None),
                   in_year(MatchProposal.sent_to_company_at, scope.school_year))
    base = (sa.select().select_from(MatchProposal)
            .join(Placement, col(Placement.id) == MatchProposal.placement_id)
            .join(Company, col(Company.id) == Placement.company_id).where(sent))
    counts = session.execute(base.add_columns(
        key, func.min(Company.sector), func.count(),
        func.count(col(MatchProposal.company_answered_at)),
        func.sum(sa.case((col(MatchProposal.status) == ProposalStatus.lapsed, 1), else_=0)),
        func.sum(sa.case((col(MatchProposal.status) == ProposalStatus.sent_to_company, 1),
                         else_=0)),
    ).group_by(key)).all()
    days: dict[str, list[float]] = defaultdict(list)
    for sector, sent_at, answered_at in session.execute(base.add_columns(
            key, col(MatchProposal.sent_to_company_at), col(MatchProposal.company_answered_at))
            .where(col(MatchProposal.company_answered_at).is_not(None))).all():
        days[sector].append(_days_between(sent_at, answered_at))
    rows = []
    for key_value, sector, n, answered, lapsed, waiting in counts:
        spans = days.get(key_value, [])
        rows.append(AnswerRow(sector, int(n), int(answered), int(lapsed or 0),
                              int(waiting or 0),
                              statistics.median(spans) if spans else None,
                              statistics.fmean(spans) if spans else None))
    return sorted(rows, key=lambda r: (-r.sent, r.sector.lower()))


def _days_between(start: datetime, end: datetime) -> float:
    if (start.tzinfo is None) != (end.tzinfo is None):  # never mix aware and naive
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    return max(0.0, (end - start).total_seconds() / 86400)


# --- talent evidence without a match ------------------------------------------------------


@dataclass(frozen=True)
class TalentRow:
    level: str
    with_evidence: GenderCounts
    without_match: GenderCounts

    @property
    def without_share(self) -> float | None:
        total = self.with_evidence.total
        return self.without_match.total / total if total else None


def talent_without_match(*, session: Session, scope: Scope) -> list[TalentRow]:
    """Per level: students observed with strength 4 or more at an activity in scope, and of
    those the ones with no match underway (no proposal, or only ones that ended without a
    placement). Counts only: coordinators read figures, not names."""
    evidence = (
        select(col(TalentObservation.student_id).label("student_id"))
        .join(Activity, col(Activity.id) == TalentObservation.activity_id)
        .where(activities_in(scope), TalentObservation.strength >= TALENT_STRENGTH)
        .distinct().subquery()
    )
    matched = select(MatchProposal.student_id).where(col(MatchProposal.status).in_(NOT_TURNED_DOWN))
    no_match = sa.case((evidence.c.student_id.in_(matched), 0), else_=1)
    gender = gender_or_not_given()
    rows = session.exec(
        select(StudentProfile.level, gender, func.count(), func.sum(no_match))
        .select_from(evidence)
        .join(StudentProfile, col(StudentProfile.id) == evidence.c.student_id)
        .outerjoin(StudentGender, col(StudentGender.student_id) == evidence.c.student_id)
        .group_by(col(StudentProfile.level), gender)
    ).all()
    with_evidence: dict[str, dict[Gender, int]] = defaultdict(dict)
    without: dict[str, dict[Gender, int]] = defaultdict(dict)
    for level, g, n, none in rows:
        level = getattr(level, "value", level)
        with_evidence[level][as_gender(g)] = int(n)
        without[level][as_gender(g)] = int(none or 0)
    order = order_of("level")
    return [TalentRow(level, GenderCounts.of(with_evidence[level]),
                      GenderCounts.of(without[level]))
            for level in sorted(with_evidence, key=lambda v: order.get(v, 99))]
