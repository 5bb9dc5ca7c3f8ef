"""The places of a placement: reserved, offered, taken and free — never more than capacity.

``Placement.places_taken`` counts every reserved place: candidates waiting for the company's
answer (*offered*) plus those the company accepted (*taken*). It only ever changes through
the conditional updates below, so concurrent requests cannot overbook; the CHECK constraint
``places_taken <= capacity`` is the backstop. A proposal's ``holds_place`` flag and the
counter move together (:func:`hold_place`, :func:`let_go`), each flip itself conditional, so
that ``places_taken`` always equals the number of proposals holding a place
(``talentmatch check`` verifies it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, func, select

from ..models import MatchProposal, Placement, ProposalStatus
from ..models.lifecycle import HOLDS_PLACE
from .errors import ServiceError
from .rows import changed_rows, id_of


class NoFreePlace(ServiceError):
    """The placement has no free place left."""


@dataclass(frozen=True)
class PlaceCounts:
    capacity: int
    taken: int      # accepted by the company
    offered: int    # candidates waiting for the company's answer
    free: int


def place_counts(*, session: Session, placement: Placement) -> PlaceCounts:
    offered = session.exec(
        select(func.count()).select_from(MatchProposal).where(
            MatchProposal.placement_id == placement.id,
            MatchProposal.status == ProposalStatus.sent_to_company,
            MatchProposal.holds_place)
    ).one()
    reserved = placement.places_taken
    return PlaceCounts(placement.capacity, reserved - offered, offered,
                       placement.capacity - reserved)


def place_counts_many(*, session: Session, placements: list[Placement]) -> dict[int, PlaceCounts]:
    """``place_counts`` for a list, in one query."""
    ids = [p.id for p in placements]
    offered = dict(session.exec(
        select(MatchProposal.placement_id, func.count()).where(
            col(MatchProposal.placement_id).in_(ids),
            MatchProposal.status == ProposalStatus.sent_to_company,
            MatchProposal.holds_place)
        .group_by(col(MatchProposal.placement_id))
    ).all()) if ids else {}
    return {id_of(p): PlaceCounts(p.capacity, p.places_taken - offered.get(id_of(p), 0),
                                  offered.get(id_of(p), 0), p.capacity - p.places_taken)
            for p in placements}


def reserve_place(*, session: Session, placement_id: int) -> None:
    """Take one free place, or raise :class:`NoFreePlace`. Does not commit.

    One UPDATE with the condition in its WHERE clause: PostgreSQL row-locks and re-checks
    it, SQLite runs writers one at a time, so two requests can never take the same place.
    """
    result = session.execute(
        sa.update(Placement)
        .where(col(Placement.id) == placement_id, col(Placement.places_taken) < Placement.capacity)
        .values(places_taken=Placement.places_taken + 1)
        .execution_options(synchronize_session=False)
    )
    if changed_rows(result) != 1:
        raise NoFreePlace(_("This placement has no free place left."))
    _refresh(session, placement_id)


def release_place(*, session: Session, placement_id: int) -> None:
    """Give one reserved place back. Does not commit."""
    session.execute(
        sa.update(Placement)
        .where(col(Placement.id) == placement_id, col(Placement.places_taken) > 0)
        .values(places_taken=Placement.places_taken - 1)
        .execution_options(synchronize_session=False)
    )
    _refresh(session, placement_id)


def hold_place(*, session: Session, proposal: MatchProposal) -> None:
    """The proposal takes one of its placement's places, or :class:`NoFreePlace` is raised.

    Does not commit; call it after the step that moved the proposal, in the same transaction.
    A proposal that already holds a place takes no second one.
    """
    if _flip_holds_place(session, proposal, to=True):
        reserve_place(session=session, placement_id=proposal.placement_id)


def let_go(*, session: Session, proposal: MatchProposal) -> None:
    """The proposal gives its place back, if it holds one. Does not commit."""
    if _flip_holds_place(session, proposal, to=False):
        release_place(session=session, placement_id=proposal.placement_id)


def _flip_holds_place(session: Session, proposal: MatchProposal, *, to: bool) -> bool:
    """Sets ``holds_place`` to ``to`` if it was not already; whether it changed (the row's
    value decides, not the object's, which may be stale)."""
    changed = changed_rows(session.execute(
        sa.update(MatchProposal)
        .where(col(MatchProposal.id) == proposal.id, col(MatchProposal.holds_place).is_(not to))
        .values(holds_place=to)
        .execution_options(synchronize_session=False))) == 1
    set_committed_value(proposal, "holds_place", to)
    return changed


def _refresh(session: Session, placement_id: int) -> None:
    placement = session.get(Placement, placement_id)
    if placement is not None:
        session.refresh(placement, ["places_taken"])


# -- checking the counters (``talentmatch check``) -------------------------------------------

@dataclass(frozen=True)
class PlaceDrift:
    """A placement whose stored ``places_taken`` is not the number of proposals holding one."""

    placement_id: int
    code: str
    capacity: int
    counted: int
    stored: int


@dataclass(frozen=True)
class FlagDrift:
    """A proposal whose ``holds_place`` does not follow from its status."""

    proposal_id: int
    status: ProposalStatus
    holds_place: bool


def _holds_by_status():
    return col(MatchProposal.status).in_(HOLDS_PLACE)


def flag_drift(*, session: Session) -> list[FlagDrift]:
    rows = session.exec(
        select(MatchProposal.id, MatchProposal.status, MatchProposal.holds_place)
        .where(MatchProposal.holds_place != _holds_by_status())
        .order_by(col(MatchProposal.id))).all()
    # A primary key is never NULL.
    return [FlagDrift(cast(int, proposal_id), ProposalStatus(status), holds_place)
            for proposal_id, status, holds_place in rows]


def place_drift(*, session: Session) -> list[PlaceDrift]:
    counted = (select(MatchProposal.placement_id, func.count().label("n"))
               .where(MatchProposal.holds_place).group_by(col(MatchProposal.placement_id))
               .subquery())
    n = func.coalesce(counted.c.n, 0)
    rows = session.execute(
        sa.select(col(Placement.id), col(Placement.code), col(Placement.capacity), n,
                  col(Placement.places_taken))
        .join(counted, counted.c.placement_id == Placement.id, isouter=True)
        .where(col(Placement.places_taken) != n)
        .order_by(col(Placement.id))).all()
    return [PlaceDrift(*row) for row in rows]


def fix_drift(*, session: Session) -> list[PlaceDrift]:
    """Sets every ``holds_place`` from its proposal's status (the logged truth), then every
    drifting ``places_taken`` to the number of holders. Commits. Returns the placements it
    could not fix: more holders than capacity, which a person must resolve.

    Safe beside live traffic: a flag is rewritten by a conditional UPDATE, and a counter only
    while its placement row is locked (steps change counters under that lock), from a count
    made after the lock was taken.
    """
    session.execute(
        sa.update(MatchProposal)
        .where(col(MatchProposal.holds_place) != _holds_by_status())
        .values(holds_place=_holds_by_status())
        .execution_options(synchronize_session=False))
    session.commit()
    left = []
    for drift in place_drift(session=session):
        session.exec(select(Placement.id).where(Placement.id == drift.placement_id)
                     .with_for_update()).first()
        holders = (select(func.count()).select_from(MatchProposal)
                   .where(MatchProposal.placement_id == Placement.id, MatchProposal.holds_place)
                   .scalar_subquery())
        fixed = changed_rows(session.execute(
            sa.update(Placement)
            .where(col(Placement.id) == drift.placement_id, holders <= Placement.capacity)
            .values(places_taken=holders)
            .execution_options(synchronize_session=False)))
        session.commit()
        if not fixed:
            left.append(drift)
    return left
