"""What a company sees of its candidates, and how often and fast it answers them.

A company only ever sees candidates that a counsellor approved and the student accepted,
and only what it needs: first name, level, school, why they fit, and the observations the
student agreed to share. Each function makes the same queries however many candidates.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import (
    Activity,
    Consent,
    MatchProposal,
    ObservationTheme,
    Placement,
    ProposalStatus,
    School,
    StudentProfile,
    TalentObservation,
    Theme,
)
from ..models.base import local_today
from ..models.consent import may_be_under_consent_age
from ..models.lifecycle import COMPANY_VISIBLE
from .rows import id_of

PAGE_SIZE = 50  # candidates per page: waiting ones first, so the page to answer is the first


@dataclass(frozen=True)
class SharedObservation:
    activity: str
    observed_on: date
    strength: int
    skills: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class CandidateView:
    """Everything a company sees of a candidate; nothing else is ever passed to its pages."""

    proposal_id: int
    status: ProposalStatus
    placement_id: int
    placement_title: str
    first_name: str
    level: str
    school: str
    why: str
    deadline: date | None
    sent_at: datetime | None
    observations: tuple[SharedObservation, ...]


@dataclass(frozen=True)
class CandidatePage:
    rows: list[CandidateView]
    total: int
    page: int
    pages: int


def candidate_page(*, candidates: list[CandidateView], page: int = 1,
                   per_page: int = PAGE_SIZE) -> CandidatePage:
    """One page of the candidates (in their order); a page past the end is the last."""
    pages = max(1, -(-len(candidates) // per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    return CandidatePage(candidates[start:start + per_page], len(candidates), page, pages)


def _consented() -> sa.Exists:
    return sa.exists().where(col(Consent.student_id) == StudentProfile.id,
                             col(Consent.withdrawn_at).is_(None))


# Built once per process, as a company's candidates page runs them on every view: putting
# them together cost about as much CPU as running them (issue 20).
# The columns a company sees (and the student, for the consent rule), not whole rows.
_CANDIDATES = (
    sa.select(col(MatchProposal.id), col(MatchProposal.status),
              col(MatchProposal.explanation), col(MatchProposal.company_deadline),
              col(MatchProposal.sent_to_company_at), col(Placement.id), col(Placement.title),
              StudentProfile, col(School.name), _consented())
    .join(Placement, col(Placement.id) == MatchProposal.placement_id)
    .join(StudentProfile, col(StudentProfile.id) == MatchProposal.student_id)
    .join(School, col(School.id) == StudentProfile.school_id)
    .where(col(Placement.company_id).in_(sa.bindparam("ids", expanding=True)),
           col(MatchProposal.status).in_(COMPANY_VISIBLE)))
_SHARED_OBSERVATIONS = (
    sa.select(col(TalentObservation.id), col(TalentObservation.student_id),
              col(TalentObservation.observed_on), col(TalentObservation.strength),
              col(TalentObservation.skills), col(Activity.title), col(Theme.label_nl))
    .join(Activity, col(Activity.id) == TalentObservation.activity_id)
    .outerjoin(ObservationTheme, col(ObservationTheme.observation_id) == TalentObservation.id)
    .outerjoin(Theme, col(Theme.id) == ObservationTheme.theme_id)
    .where(col(TalentObservation.student_id).in_(sa.bindparam("ids", expanding=True)),
           col(TalentObservation.shared_with_companies))
    .order_by(col(TalentObservation.observed_on).desc(), col(TalentObservation.id),
              col(Theme.label_nl)))
_ANSWERS = (
    select(MatchProposal.status, MatchProposal.sent_to_company_at,
           MatchProposal.company_answered_at)
    .join(Placement, col(Placement.id) == MatchProposal.placement_id)
    .where(col(Placement.company_id).in_(sa.bindparam("ids", expanding=True)),
           col(MatchProposal.sent_to_company_at).is_not(None)))


def company_candidates(*, session: Session, company_ids: frozenset[int],
                       today: date | None = None) -> list[CandidateView]:
    """The candidates of these companies, waiting ones first (soonest deadline first).

    Two queries however many candidates: the candidates with whether each has consent on
    file, and the observations they share with those observations' themes."""
    if not company_ids:
        return []
    rows = session.execute(_CANDIDATES, {"ids": sorted(company_ids)}).all()
    today = today or local_today()
    visible = [row for row in rows if _may_show(row[7], bool(row[9]), today)]
    shared = _shared_observations(session, [id_of(row[7]) for row in visible])
    views = [
        CandidateView(proposal_id, status, placement_id, title, student.first_name,
                      student.level.value, school, explanation, deadline, sent_at,
                      tuple(shared.get(id_of(student), ())))
        for (proposal_id, status, explanation, deadline, sent_at, placement_id, title,
             student, school, _consent) in visible
    ]
    return sorted(views, key=lambda v: (v.status is not ProposalStatus.sent_to_company,
                                        v.deadline or date.max, v.proposal_id))


def _may_show(student: StudentProfile, has_consent: bool, today: date) -> bool:
    """:func:`app.models.consent.may_show_to_companies`, with the consent already looked up."""
    if student.anonymised_at is not None:
        return False
    return has_consent or not may_be_under_consent_age(student, today)


def _shared_observations(session: Session,
                         student_ids: list[int]) -> dict[int, list[SharedObservation]]:
    """The observations these students share with companies, newest first, with their
    themes: one query (a row per observation and theme) of the columns shown."""
    if not student_ids:
        return {}
    rows = session.execute(_SHARED_OBSERVATIONS, {"ids": student_ids}).all()
    themes: dict[int, list[str]] = {}
    observations: dict[int, tuple] = {}
    for observation_id, student_id, observed_on, strength, skills, title, theme in rows:
        observations.setdefault(observation_id, (student_id, title, observed_on, strength,
                                                 skills))
        found_themes = themes.setdefault(observation_id, [])
        if theme is not None:
            found_themes.append(theme)
    found: dict[int, list[SharedObservation]] = {}
    for key, (student_id, title, observed_on, strength, skills) in observations.items():
        found.setdefault(student_id, []).append(SharedObservation(
            title, observed_on, strength, skills, tuple(themes[key])))
    return found


@dataclass(frozen=True)
class AnswerStats:
    received: int
    answered: int
    lapsed: int
    waiting: int
    median_days: float | None

    @property
    def answer_rate(self) -> float | None:
        decided = self.answered + self.lapsed
        return self.answered / decided if decided else None


def answer_stats(*, session: Session, company_ids: frozenset[int]) -> AnswerStats:
    """How often and how fast these companies answer their candidates (one query of three
    columns per candidate sent: the median needs every answer time)."""
    if not company_ids:
        return AnswerStats(0, 0, 0, 0, None)
    sent = session.exec(_ANSWERS, params={"ids": sorted(company_ids)}).all()
    days = [(answered_at - sent_at).total_seconds() / 86400
            for _status, sent_at, answered_at in sent
            if answered_at is not None and sent_at is not None]
    return AnswerStats(
        received=len(sent), answered=sum(a is not None for _s, _t, a in sent),
        lapsed=sum(status is ProposalStatus.lapsed for status, _t, _a in sent),
        waiting=sum(status is ProposalStatus.sent_to_company for status, _t, _a in sent),
        median_days=round(statistics.median(days), 1) if days else None,
    )
