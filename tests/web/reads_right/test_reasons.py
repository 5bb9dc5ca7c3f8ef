"""A reason stored before the wording was fixed reads right on the page (issue 21)."""

from __future__ import annotations

from app.models import ProposalStatus
from tests import factories


def test_a_stored_reason_is_said_again_from_its_parts_in_dutch(session, world, login):
    proposal = factories.make_proposal(
        session, world.home.student, world.home.placement, status=ProposalStatus.proposed,
        explanation="Je liet bij Girlsday zien dat je goed bent in werkt veilig.")
    proposal.explanation_parts = {
        "why": "observed", "activity": "Girlsday", "theme": "", "skill": "werkt veilig",
        "distance_km": None, "role_model": False, "invite": False, "company": "Bouw B.V."}
    session.commit()
    page = login(world.home.counsellor).get(f"/review/{proposal.id}").get_data(as_text=True)
    assert "Bij Girlsday zag een scout: je werkt veilig." in page
    assert "goed bent in werkt veilig" not in page
