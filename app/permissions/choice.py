"""What a student may open while choosing: placements within their reach, their own choices."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from app.db import get_session
from app.models import MatchProposal, Placement, ProposalOrigin
from app.models.lifecycle import STUDENT_VISIBLE
from app.permissions.base import current_actor, load_or_404, own_student_profile
from app.services.student_choice import in_reach


def get_choosable_placement_or_404(placement_id: int) -> Placement:
    """A placement the logged-in student may read: open and within their reach, or one they
    already have a choice or an offer for (which stays readable after it closes)."""

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
        return own is not None or in_reach(session=session, student=profile,
                                           placement=placement, today=date.today())

    return load_or_404(Placement, placement_id, allowed)
