"""The monitor of a region (or of every region): counts, charts and the tables behind them.

Every figure is a count over groups, computed in the database (GROUP BY); only the company
answer times fetch one row per answered candidate, because a median needs every value.

Nothing here filters on ``StudentProfile.anonymised_at`` or ``user_id``: a student whose
account was deleted keeps school, level, gender category, participations, observation
strengths and proposal statuses, so the programme's numbers stay right.

What is counted where:

* students by where they took part: at the **activities held in the region** (and, with a
  school year chosen, of that school year);
* placements and candidates by the **companies of the region**.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlmodel import Session, func, select

from ..models import (
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
    Region,
    StudentGender,
    StudentProfile,
    TalentObservation,
)
from ..models.labels import label
from ..models.lifecycle import APPROVED_OR_LATER, FILLED, NOT_TURNED_DOWN, PLACED
from .errors import ServiceError

# A talent observation this strong (on the 1-5 scale) is talent evidence.
TALENT_STRENGTH = 4
GENDERS = (Gender.girl, Gender.boy, Gender.other, Gender.not_given)
# Status a placement reaches when it is published (by hand or by an import).
POSTED_STATUSES = (PlacementStatus.open.value, PlacementStatus.paused.value)
DIMENSIONS = ("kind", "pillar", "level")
CHARTS = ("kinds", "pillars", "levels", "funnel", "sectors", "answers", "talent")
_YEAR = re.compile(r"(\d{4})-(\d{4})")


class MonitorError(ServiceError):
    """A filter that does not exist; the message says which."""


@dataclass(frozen=True)
class Scope:
    region: Region | None = None   # None: every region
    school_year: str | None = None  # None: every school year, e.g. "2025-2026"

    @property
    def slug(self) -> str:
        return self.region.slug if self.region else "alle-regio-s"


def parse_school_year(text: str) -> str:
    """ "2025-2026" as given, or :class:`MonitorError`."""
    found = _YEAR.fullmatch(text or "")
    if not found or int(found[2]) != int(found[1]) + 1:
        raise MonitorError(_("Choose a school year like 2025-2026."))
    return text


def year_bounds(school_year: str) -> tuple[datetime, datetime]:
    """School years run from 1 August (UTC) to the next."""
    start = int(parse_school_year(school_year)[:4])
    return datetime(start, 8, 1, tzinfo=UTC), datetime(start + 1, 8, 1, tzinfo=UTC)


def _in_year(column, school_year: str | None):
    if school_year is None:
        return sa.true()
    start, end = year_bounds(school_year)
    return sa.and_(column >= start, column < end)


def school_years(*, session: Session) -> list[str]:
    """School years that have activities, newest first."""
    return list(session.exec(
        select(Activity.school_year).distinct().order_by(Activity.school_year.desc())).all())


def regions(*, session: Session) -> list[Region]:
    return list(session.exec(select(Region).order_by(Region.name)).all())


def region_by_slug(*, session: Session, slug: str) -> Region | None:
    return session.exec(select(Region).where(Region.slug == slug)).first()


# --- gender counts ------------------------------------------------------------------------

@dataclass(frozen=True)
class GenderCounts:
    girls: int = 0
    boys: int = 0
    other: int = 0
    not_given: int = 0

    @classmethod
    def of(cls, counts: dict[Gender, int]) -> GenderCounts:
        return cls(counts.get(Gender.girl, 0), counts.get(Gender.boy, 0),
                   counts.get(Gender.other, 0), counts.get(Gender.not_given, 0))

    @property
    def total(self) -> int:
        return self.girls + self.boys + self.other + self.not_given

    @property
    def given(self) -> int:
        """Students who gave their gender: the denominator of the girls' share."""
        return self.girls + self.boys + self.other

    @property
    def girls_share(self) -> float | None:
        return self.girls / self.given if self.given else None


def _gender():
    """The student's gender category; no row counts as not given."""
    # A literal, not a bound parameter: PostgreSQL must see the same expression in GROUP BY.
    return func.coalesce(StudentGender.gender, sa.literal_column(f"'{Gender.not_given.value}'"))


def _as_gender(value) -> Gender:
    return value if isinstance(value, Gender) else Gender(value)


def _activities_in(scope: Scope):
    conditions = []
    if scope.region is not None:
        conditions.append(Activity.region_id == scope.region.id)
    if scope.school_year is not None:
        conditions.append(Activity.school_year == scope.school_year)
    return sa.and_(sa.true(), *conditions)


def _companies_in(scope: Scope):
    return Company.region_id == scope.region.id if scope.region is not None else sa.true()


# --- participants -------------------------------------------------------------------------

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
        select(Activity.school_year, key, _gender(),
               func.count(sa.distinct(Participation.student_id)))
        .select_from(Participation)
        .join(Activity, Activity.id == Participation.activity_id)
        .outerjoin(StudentGender, StudentGender.student_id == Participation.student_id)
        .where(_activities_in(scope), Participation.attendance == Attendance.attended)
        .group_by(Activity.school_year, key, _gender())
    )
    if by == "level":
        query = query.join(StudentProfile, StudentProfile.id == Participation.student_id)
    grouped: dict[tuple[str, str], dict[Gender, int]] = defaultdict(dict)
    for year, value, gender, count in session.exec(query).all():
        value = getattr(value, "value", value)
        grouped[(year, value)][_as_gender(gender)] = count
    order = _order_of(by)
    by_group = sorted(grouped.items(), key=lambda item: order.get(item[0][1], 99))
    return [ParticipantRow(year, value, GenderCounts.of(counts))  # newest school year first
            for (year, value), counts in sorted(by_group, key=lambda item: item[0][0],
                                                reverse=True)]


def _order_of(by: str) -> dict[str, int]:
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
        select(Participation.student_id.label("student_id"))
        .join(Activity, Activity.id == Participation.activity_id)
        .where(_activities_in(scope), Participation.attendance == Attendance.attended)
        .distinct().subquery()
    )
    approved_by_log = select(DecisionLog.proposal_id).where(
        DecisionLog.action == "approve", DecisionLog.proposal_id.is_not(None))
    step = sa.case(
        (MatchProposal.status.in_(PLACED), 3),
        (sa.or_(MatchProposal.status.in_(APPROVED_OR_LATER),
                MatchProposal.id.in_(approved_by_log)), 2),
        else_=1)
    furthest = (
        select(MatchProposal.student_id.label("student_id"), func.max(step).label("step"))
        .group_by(MatchProposal.student_id).subquery()
    )
    gender = _gender()
    rows = session.exec(
        select(gender, func.count(),
               func.count(furthest.c.student_id),
               func.coalesce(func.sum(sa.case((furthest.c.step >= 2, 1), else_=0)), 0),
               func.coalesce(func.sum(sa.case((furthest.c.step >= 3, 1), else_=0)), 0))
        .select_from(cohort)
        .outerjoin(furthest, furthest.c.student_id == cohort.c.student_id)
        .outerjoin(StudentGender, StudentGender.student_id == cohort.c.student_id)
        .group_by(gender)
    ).all()
    found = {_as_gender(g): FunnelRow(_as_gender(g), int(n), int(p), int(a), int(pl))
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
        select(PlacementEvent.placement_id.label("placement_id"),
               func.min(sa.case((PlacementEvent.to_status.in_(POSTED_STATUSES),
                                 PlacementEvent.at))).label("opened"))
        .group_by(PlacementEvent.placement_id).subquery()
    )
    outcomes = (
        select(MatchProposal.placement_id.label("placement_id"),
               func.max(sa.case((MatchProposal.status.in_(FILLED), 1), else_=0))
               .label("filled"),
               func.max(sa.case((MatchProposal.status == ProposalStatus.lapsed, 1), else_=0))
               .label("lapsed"))
        .where(MatchProposal.status.in_((*FILLED, ProposalStatus.lapsed)))
        .group_by(MatchProposal.placement_id).subquery()
    )
    posted = sa.case(
        (history.c.placement_id.is_(None),
         sa.case((Placement.status != PlacementStatus.draft, Placement.created_at))),
        else_=history.c.opened)
    placements = (
        select(_sector_key().label("key"), Company.sector.label("sector"),
               posted.label("posted_at"),
               func.coalesce(outcomes.c.filled, 0).label("filled"),
               func.coalesce(outcomes.c.lapsed, 0).label("lapsed"))
        .select_from(Placement).join(Company, Company.id == Placement.company_id)
        .outerjoin(history, history.c.placement_id == Placement.id)
        .outerjoin(outcomes, outcomes.c.placement_id == Placement.id)
        .where(_companies_in(scope)).subquery()
    )
    rows = session.exec(
        select(func.min(placements.c.sector), func.count(), func.sum(placements.c.filled),
               func.sum(placements.c.lapsed))
        .where(placements.c.posted_at.is_not(None),
               _in_year(placements.c.posted_at, scope.school_year))
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
    sent = sa.and_(_companies_in(scope), MatchProposal.sent_to_company_at.is_not(None),
                   _in_year(MatchProposal.sent_to_company_at, scope.school_year))
    base = (sa.select().select_from(MatchProposal)
            .join(Placement, Placement.id == MatchProposal.placement_id)
            .join(Company, Company.id == Placement.company_id).where(sent))
    counts = session.exec(base.add_columns(
        key, func.min(Company.sector), func.count(),
        func.count(MatchProposal.company_answered_at),
        func.sum(sa.case((MatchProposal.status == ProposalStatus.lapsed, 1), else_=0)),
        func.sum(sa.case((MatchProposal.status == ProposalStatus.sent_to_company, 1), else_=0)),
    ).group_by(key)).all()
    days: dict[str, list[float]] = defaultdict(list)
    for sector, sent_at, answered_at in session.exec(base.add_columns(
            key, MatchProposal.sent_to_company_at, MatchProposal.company_answered_at)
            .where(MatchProposal.company_answered_at.is_not(None))).all():
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
        select(TalentObservation.student_id.label("student_id"))
        .join(Activity, Activity.id == TalentObservation.activity_id)
        .where(_activities_in(scope), TalentObservation.strength >= TALENT_STRENGTH)
        .distinct().subquery()
    )
    matched = select(MatchProposal.student_id).where(MatchProposal.status.in_(NOT_TURNED_DOWN))
    no_match = sa.case((evidence.c.student_id.in_(matched), 0), else_=1)
    gender = _gender()
    rows = session.exec(
        select(StudentProfile.level, gender, func.count(), func.sum(no_match))
        .select_from(evidence)
        .join(StudentProfile, StudentProfile.id == evidence.c.student_id)
        .outerjoin(StudentGender, StudentGender.student_id == evidence.c.student_id)
        .group_by(StudentProfile.level, gender)
    ).all()
    with_evidence: dict[str, dict[Gender, int]] = defaultdict(dict)
    without: dict[str, dict[Gender, int]] = defaultdict(dict)
    for level, g, n, none in rows:
        level = getattr(level, "value", level)
        with_evidence[level][_as_gender(g)] = int(n)
        without[level][_as_gender(g)] = int(none or 0)
    order = _order_of("level")
    return [TalentRow(level, GenderCounts.of(with_evidence[level]),
                      GenderCounts.of(without[level]))
            for level in sorted(with_evidence, key=lambda v: order.get(v, 99))]


# --- tables and charts, as the page and the CSV files show them ---------------------------

@dataclass(frozen=True)
class Chart:
    title: str
    rows: list[tuple]          # (label, value) or (label, value, second value)
    max_value: float | None = None
    unit: str = ""
    testid: str = "chart"
    value_format: str = "{:.0f}"


@dataclass(frozen=True)
class Table:
    name: str                  # the chart's key, also the CSV's name
    headers: list[str]
    rows: list[list]           # raw: ints, formatted decimals (text), None for unknown
    charts: list[Chart] = field(default_factory=list)
    total: int | None = None   # a headline count, where there is one

    @property
    def display_rows(self) -> list[list]:
        return [[format_decimal(c) if isinstance(c, int) else ("—" if c is None else c)
                 for c in row] for row in self.rows]


def _percent(share: float | None) -> str | None:
    return None if share is None else format_decimal(share * 100, format="0.0")


def _days(value: float | None) -> str | None:
    return None if value is None else format_decimal(value, format="0.0")


def _pct(share: float | None) -> float:
    return round(share * 100, 1) if share is not None else 0


def _participants_titles(by: str, year: str) -> tuple[str, str]:
    if by == "kind":
        return (_("Participants per activity kind, %(year)s (thin bar: girls)", year=year),
                _("Girls' share per activity kind, %(year)s", year=year))
    if by == "pillar":
        return (_("Participants per pillar, %(year)s (thin bar: girls)", year=year),
                _("Girls' share per pillar, %(year)s", year=year))
    return (_("Participants per level, %(year)s (thin bar: girls)", year=year),
            _("Girls' share per level, %(year)s", year=year))


def _participants_table(session: Session, scope: Scope, chart: str) -> Table:
    by = {"kinds": "kind", "pillars": "pillar", "levels": "level"}[chart]
    heading = {"kind": _("Activity kind"), "pillar": _("Pillar"), "level": _("Level")}[by]
    found = participants(session=session, scope=scope, by=by)
    rows = [[_key_label(by, r.key), r.school_year, r.counts.total, r.counts.given,
             r.counts.girls, _percent(r.counts.girls_share)] for r in found]
    charts = []
    for year in sorted({r.school_year for r in found}, reverse=True):
        of_year = [r for r in found if r.school_year == year]
        counts_title, share_title = _participants_titles(by, year)
        charts.append(Chart(
            counts_title,
            [(_key_label(by, r.key), r.counts.total, r.counts.girls) for r in of_year],
            testid=f"chart-{chart}-{year}"))
        charts.append(Chart(
            share_title, [(_key_label(by, r.key), _pct(r.counts.girls_share)) for r in of_year],
            max_value=100, unit="%", testid=f"chart-{chart}-share-{year}"))
    return Table(chart, [heading, _("Academic year"), _("Participants"),
                         _("Gender given"), _("Girls"), _("Girls' share (%)")], rows, charts)


def _key_label(by: str, value: str) -> str:
    enum_cls = {"kind": ActivityKind, "pillar": Pillar, "level": Level}[by]
    return label(enum_cls(value))


def _gender_label(gender: Gender) -> str:
    return {Gender.girl: _("Girls"), Gender.boy: _("Boys"), Gender.other: _("Other"),
            Gender.not_given: _("Gender not given")}[gender]


def _funnel_table(session: Session, scope: Scope) -> Table:
    found = funnel(session=session, scope=scope)
    steps = [_("Took part"), _("Got a proposal"), _("Approved"), _("Placed")]
    rows = [[_gender_label(r.gender), r.took_part, r.proposed, r.approved, r.placed,
             _percent(r.share(r.proposed)), _percent(r.share(r.approved)),
             _percent(r.share(r.placed))] for r in found]
    charts = [Chart(_("%(who)s: share of those who took part", who=_gender_label(r.gender)),
                    [(name, _pct(r.share(n))) for name, n in
                     zip(steps, (r.took_part, r.proposed, r.approved, r.placed), strict=True)],
                    max_value=100, unit="%", testid=f"chart-funnel-{r.gender.value}")
              for r in found if r.took_part]
    return Table("funnel", [_("Gender"), *steps, _("Got a proposal (%)"), _("Approved (%)"),
                            _("Placed (%)")], rows, charts)


def _sectors_table(session: Session, scope: Scope) -> Table:
    found = sectors(session=session, scope=scope)
    rows = [[r.sector, r.posted, r.filled, _percent(r.filled_share), r.lapsed] for r in found]
    charts = [
        Chart(_("Placements posted per sector (thin bar: filled)"),
              [(r.sector, r.posted, r.filled) for r in found], testid="chart-sectors"),
        Chart(_("Placements with a lapsed candidate per sector"),
              [(r.sector, r.lapsed) for r in found], testid="chart-sectors-lapsed"),
    ]
    return Table("sectors", [_("Sector"), _("Posted"), _("Filled"), _("Filled (%)"),
                             _("With a lapsed candidate")], rows, charts)


def _answers_table(session: Session, scope: Scope) -> Table:
    found = answer_times(session=session, scope=scope)
    rows = [[r.sector, r.sent, r.answered, r.lapsed, r.waiting, _percent(r.answer_rate),
             _days(r.median_days), _days(r.mean_days)] for r in found]
    charts = [
        Chart(_("Median days until the company answered, per sector"),
              [(r.sector, round(r.median_days, 1)) for r in found if r.median_days is not None],
              testid="chart-answers", value_format="{:.1f}"),
        Chart(_("Answer rate per sector"),
              [(r.sector, _pct(r.answer_rate)) for r in found if r.answer_rate is not None],
              max_value=100, unit="%", testid="chart-answers-rate"),
    ]
    return Table("answers", [_("Sector"), _("Candidates sent"), _("Answered"), _("Lapsed"),
                             _("Waiting"), _("Answer rate (%)"), _("Median days"),
                             _("Mean days")], rows, charts)


def _talent_table(session: Session, scope: Scope) -> Table:
    found = talent_without_match(session=session, scope=scope)
    rows = [[_key_label("level", r.level), r.with_evidence.total, r.without_match.total,
             _percent(r.without_share), r.without_match.girls] for r in found]
    charts = [Chart(_("Students with talent evidence per level (thin bar: without a match)"),
                    [(_key_label("level", r.level), r.with_evidence.total,
                      r.without_match.total) for r in found], testid="chart-talent")]
    return Table("talent", [_("Level"), _("With talent evidence"), _("Without a match"),
                            _("Without a match (%)"), _("Girls without a match")], rows, charts,
                 total=sum(r.without_match.total for r in found))


def table(*, session: Session, scope: Scope, chart: str) -> Table:
    """One chart's table (and the charts drawn from it)."""
    if chart in ("kinds", "pillars", "levels"):
        return _participants_table(session, scope, chart)
    builders = {"funnel": _funnel_table, "sectors": _sectors_table,
                "answers": _answers_table, "talent": _talent_table}
    if chart not in builders:
        raise MonitorError(_("There is no such chart."))
    return builders[chart](session, scope)


def tables(*, session: Session, scope: Scope) -> dict[str, Table]:
    return {chart: table(session=session, scope=scope, chart=chart) for chart in CHARTS}


def csv_name(*, scope: Scope, chart: str) -> str:
    return "-".join(("monitor", chart, scope.slug, scope.school_year or "alle-jaren"))
