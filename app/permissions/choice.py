"""What a student may open while choosing: placements within their reach, their own choices."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from app.db import get_session
from app.models import MatchProposal, Placement, ProposalOrigin
from app.models.lifecycle import STUDENT_VISIBLE
from app.permissions.base import current_actor, load_or_404, own_student_profile

# Whether a placement is within a student's reach: the matching engine's hard rules, which
# live in the services (app.services.student_choice.in_reach); the view hands the rule in, as
# permissions import no service.
Reach = Callable[..., bool]


def get_choosable_placement_or_404(placement_id: int, *, in_reach: Reach) -> Placement:
    """A placement the logged-in student may read: open and within their reach (``in_reach``
    called with session, student and placement), or one they already have a choice or an
    offer for (which stays readable after it closes)."""

    def allowed(placement: Placement) -> bool:
        profile = own_student_profile(current_actor())
        if profile is None:
            return False
        session = get_session()
        own = session.exec(select(MatchProposal.id).where(
            MatchProposal.student_id == profile.id, MatchProposal.placement_id == placement.id,
            (MatchProposal.origin == ProposalOrigin.student)
            | MatchProposal.status.in_(STUDENT_VISIBLE))  # type: ignore[attr-defined]
            .limit(1)).first()
        return own is not None or bool(in_reach(session=session, student=profile,
                                                placement=placement))

    return load_or_404(Placement, placement_id, allowed)

