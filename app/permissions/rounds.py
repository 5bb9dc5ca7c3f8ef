"""Matching rounds: which rounds an account reads (the JSON API's /rounds).

The rounds whose cohort can hold the account's students: a counsellor their school's, their
region's and everyone's; a coordinator their region's, its schools' and everyone's (the
rounds whose fairness audit they read, and everyone's); an admin every round; nobody else
any. Of a round an account still reads only the proposals it reads anyway (``proposals``).
The web's matching page is another question (the rounds of a cohort one may run matching
for: ``matching_scopes``), so it has no copy of this rule.
"""

from __future__ import annotations

from app.models import MatchRound, Region, Role, User
from app.permissions.base import current_actor, load_or_404, related
from app.permissions.monitor import fairness_scopes
from app.permissions.scopes import own_school


def round_scopes(user: User) -> frozenset[str] | None:
    """Scope labels (``MatchRound.scope``) of the rounds ``user`` reads; None: every round.

    A round of everyone or of a region is where most proposals come from (``talentmatch
    match --region``), so a counsellor needs it; of its proposals they read only their own
    school's."""
    if user.role is Role.counsellor:
        school = own_school(user)
        if school is None:
            return frozenset()
        region = related(Region, school.region_id)  # the region of the account's own school
        return frozenset({f"school:{school.code}", f"region:{region.slug}", "all"})
    scopes = fairness_scopes(user)
    if scopes is None or not scopes:
        return scopes
    return scopes | {"all"}


def can_read_round(user: User, round_: MatchRound) -> bool:
    scopes = round_scopes(user)
    return scopes is None or round_.scope in scopes


def get_round_or_404(round_id: int) -> MatchRound:
    """A matching round the logged-in account (or the token's) reads."""
    return load_or_404(MatchRound, round_id, lambda r: can_read_round(current_actor(), r))
