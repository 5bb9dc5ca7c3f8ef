"""The filtered statements behind the API's lists of companies, placements, proposals and
rounds (beside ``api_lists``, which holds the other resources' lists). The API pages them;
which rows an account may see is narrowed by the scopes app.permissions gives (a region, a
company, schools), never by a rule of its own."""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import (
    Company,
    MatchProposal,
    MatchRound,
    Placement,
    PlacementKind,
    PlacementStatus,
    PlacementTheme,
    ProposalStatus,
    StudentProfile,
    Theme,
)


def _enum_or_none(enum, text: str | None):
    """The member a filter names; an unknown one matches nothing rather than failing."""
    if not text:
        return None
    return {item.value: item for item in enum}.get(text.strip().lower())


def companies(*, region_id: int | None = None, company_ids: Collection[int] | None = None,
              kvk: str | None = None) -> SelectOfScalar[Company]:
    statement = select(Company)
    if region_id is not None:
        statement = statement.where(col(Company.region_id) == region_id)
    if company_ids is not None:
        statement = statement.where(col(Company.id).in_(sorted(company_ids)))
    if kvk:
        statement = statement.where(col(Company.kvk) == kvk.strip())
    return statement


def placements(*, region_id: int | None = None, company_ids: Collection[int] | None = None,
               published_only: bool = False, status: str | None = None,
               kind: str | None = None, company_id: int | None = None,
               code: str | None = None) -> SelectOfScalar[Placement]:
    """Placements of the companies of ``region_id`` or ``company_ids`` (both None: all)."""
    statement = select(Placement)
    if region_id is not None:
        statement = statement.join(Company, col(Company.id) == Placement.company_id).where(
            col(Company.region_id) == region_id)
    if company_ids is not None:
        statement = statement.where(col(Placement.company_id).in_(sorted(company_ids)))
    if published_only:
        statement = statement.where(col(Placement.status) != PlacementStatus.draft)
    if status:
        wanted = _enum_or_none(PlacementStatus, status)
        statement = statement.where(col(Placement.status) == wanted) if wanted \
            else statement.where(col(Placement.id) == -1)
    if kind:
        wanted_kind = _enum_or_none(PlacementKind, kind)
        statement = statement.where(col(Placement.kind) == wanted_kind) if wanted_kind \
            else statement.where(col(Placement.id) == -1)
    if company_id is not None:
        statement = statement.where(col(Placement.company_id) == company_id)
    if code:
        statement = statement.where(col(Placement.code) == code.strip())
    return statement


def theme_slugs(*, session: Session, placement_ids: list[int]) -> dict[int, list[str]]:
    """Each placement's theme slugs, in one query for all of them."""
    found: dict[int, list[str]] = {}
    if not placement_ids:
        return found
    for placement_id, slug in session.exec(
            select(PlacementTheme.placement_id, Theme.slug)
            .join(Theme, col(Theme.id) == PlacementTheme.theme_id)
            .where(col(PlacementTheme.placement_id).in_(placement_ids))
            .order_by(col(Theme.slug))).all():
        found.setdefault(placement_id, []).append(slug)
    return found


def proposals(*, school_ids: Collection[int] | None, round_id: int | None = None,
              status: str | None = None, student_id: int | None = None,
              placement_id: int | None = None) -> SelectOfScalar[MatchProposal]:
    """Proposals of the (not anonymised) students of ``school_ids`` (None: every school)."""
    statement = select(MatchProposal).join(
        StudentProfile, col(StudentProfile.id) == MatchProposal.student_id).where(
        col(StudentProfile.anonymised_at).is_(None))
    if school_ids is not None:
        statement = statement.where(col(StudentProfile.school_id).in_(sorted(school_ids)))
    if round_id is not None:
        statement = statement.where(col(MatchProposal.round_id) == round_id)
    if status:
        wanted = _enum_or_none(ProposalStatus, status)
        statement = statement.where(col(MatchProposal.status) == wanted) if wanted \
            else statement.where(col(MatchProposal.id) == -1)
    if student_id is not None:
        statement = statement.where(col(MatchProposal.student_id) == student_id)
    if placement_id is not None:
        statement = statement.where(col(MatchProposal.placement_id) == placement_id)
    return statement


def proposals_by_id(*, session: Session, ids: Collection[int]) -> dict[int, MatchProposal]:
    if not ids:
        return {}
    return {p.id: p for p in session.exec(select(MatchProposal).where(
        col(MatchProposal.id).in_(sorted(ids)))).all() if p.id is not None}


def rounds(*, scopes: Collection[str] | None) -> SelectOfScalar[MatchRound]:
    """Rounds of these scope labels ("school:04AB", "region:liemers"; None: every round)."""
    statement = select(MatchRound)
    if scopes is not None:
        statement = statement.where(col(MatchRound.scope).in_(sorted(scopes)))
    return statement
