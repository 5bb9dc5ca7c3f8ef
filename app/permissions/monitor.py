"""The region's monitor and fairness audits: who reads which figures."""

from __future__ import annotations

from sqlmodel import select

from app.db import get_session
from app.models import (
    MatchRound,
    Region,
    Role,
    School,
    User,
)
from app.permissions.base import (
    current_actor,
    load_or_404,
)


def can_view_monitor(user: User, region: Region | None) -> bool:
    """The monitor's figures of ``region`` (None: every region at once): a coordinator their
    own region, an admin any region or all of them. Figures only, never a student's name."""
    if user.role is Role.admin:
        return True
    return (user.role is Role.coordinator and region is not None
            and user.region_id is not None and region.id == user.region_id)


def fairness_scopes(user: User) -> frozenset[str] | None:
    """Round scopes (``MatchRound.scope``) whose fairness audit ``user`` may read: every round
    for an admin (None); a coordinator the rounds of their region and of its schools; nobody
    else any. The audit holds figures only, never a student."""
    if user.role is Role.admin:
        return None
    if user.role is not Role.coordinator or user.region_id is None:
        return frozenset()
    session = get_session()
    region = session.get(Region, user.region_id)
    if region is None:
        return frozenset()
    codes = session.exec(select(School.code).where(School.region_id == region.id)).all()
    return frozenset({f"region:{region.slug}", *(f"school:{code}" for code in codes)})


def get_fairness_round_or_404(round_id: int):
    """A matching round whose fairness audit the user may read."""
    def allowed(round_: MatchRound) -> bool:
        scopes = fairness_scopes(current_actor())
        return scopes is None or round_.scope in scopes

    return load_or_404(MatchRound, round_id, allowed)
