"""Matching rounds, the proposals they make, and every decision taken on them."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow
from .enums import PinKind, ProposalOrigin, ProposalStatus, RoundStatus, enum_column


class MatchRound(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=120, description="e.g. school:04AB, region:liemers, all")
    status: RoundStatus = Field(default=RoundStatus.running, sa_type=enum_column(RoundStatus))
    started_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    parameters: dict = Field(default_factory=dict, sa_type=sa.JSON)
    summary: dict = Field(default_factory=dict, sa_type=sa.JSON)
    fairness_audit: dict = Field(default_factory=dict, sa_type=sa.JSON)


class MatchProposal(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_matchproposal_student_status", "student_id", "status"),
        sa.Index("ix_matchproposal_placement_status", "placement_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int | None = Field(default=None, foreign_key="matchround.id", index=True)
    student_id: int = Field(foreign_key="studentprofile.id", ondelete="CASCADE")
    placement_id: int = Field(foreign_key="placement.id", ondelete="CASCADE")
    rank: int = 1
    score: float = 0.0
    # text, themes, talent, level, distance, period, feedback: each in [0, 1].
    components: dict = Field(default_factory=dict, sa_type=sa.JSON)
    shared_themes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    explanation: str = Field(default="", max_length=1000)
    # The facts the explanation was made of, so it can be shown in either language.
    explanation_parts: dict = Field(default_factory=dict, sa_type=sa.JSON)
    distance_km: float | None = None
    status: ProposalStatus = Field(
        default=ProposalStatus.proposed, sa_type=enum_column(ProposalStatus)
    )
    pinned: bool = False
    origin: ProposalOrigin = Field(
        default=ProposalOrigin.engine, sa_type=enum_column(ProposalOrigin),
        sa_column_kwargs={"server_default": ProposalOrigin.engine.value},
    )
    counsellor_note: str = Field(default="", max_length=2000)
    # A company answer is due by this date; after it the offer lapses.
    company_deadline: date | None = None
    # A student answers an offer by this date (working days of the region's
    # student_answer_days); after it the offer lapses, two working days before it they are
    # reminded once.
    student_deadline: date | None = None
    student_reminded_at: datetime | None = None
    sent_to_company_at: datetime | None = None
    company_answered_at: datetime | None = None
    holds_place: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class MatchPin(SQLModel, table=True):
    """A counsellor pins a placement to a student, or excludes it, before a matching round."""

    __table_args__ = (sa.UniqueConstraint("student_id", "placement_id"),)

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="studentprofile.id", index=True, ondelete="CASCADE")
    placement_id: int = Field(foreign_key="placement.id", index=True, ondelete="CASCADE")
    kind: PinKind = Field(sa_type=enum_column(PinKind))
    note: str = Field(default="", max_length=500)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class DecisionLog(SQLModel, table=True):
    """Who changed a proposal, when, from what to what, and why."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int | None = Field(
        default=None, foreign_key="matchproposal.id", index=True, ondelete="SET NULL"
    )
    actor_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    actor_role: str = Field(default="", max_length=20)
    at: datetime = Field(default_factory=utcnow, index=True)
    action: str = Field(max_length=40)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str | None = Field(default=None, max_length=20)
    reason_code: str = Field(default="", max_length=40)
    reason: str = Field(default="", max_length=2000)
    details: dict = Field(default_factory=dict, sa_type=sa.JSON)


class PlacementFeedback(SQLModel, table=True):
    """After a placement: the student's and the company's word on it."""

    __table_args__ = (sa.UniqueConstraint("proposal_id", "author_role"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="matchproposal.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    author_role: str = Field(max_length=20)
    learned: str = Field(default="", max_length=2000)
    would_recommend: bool | None = None
    would_host_again: bool | None = None
    comment: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    kind: str = Field(max_length=40)
    message: str = Field(max_length=500)
    link: str = Field(default="", max_length=300)
    read_at: datetime | None = None


class OutboxEmail(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str
    created_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: datetime | None = None
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
