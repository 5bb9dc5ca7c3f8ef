"""Whoever decides on a proposal may read its placement, also across a region border
(issue 21: counsellors got 404 on placements the engine proposed from a neighbouring region)."""

from __future__ import annotations

import pytest

from app.models import ProposalStatus
from tests import factories


def _url(placement) -> str:
    return f"/placements/{placement.id}"


def test_a_counsellor_reads_a_neighbouring_regions_placement_proposed_to_their_student(
        session, world, login):
    factories.make_proposal(session, world.home.student, world.away.placement,
                            status=ProposalStatus.proposed)
    session.commit()
    response = login(world.home.counsellor).get(_url(world.away.placement))
    assert response.status_code == 200
    assert world.away.placement.title in response.get_data(as_text=True)


def test_the_review_page_links_to_a_placement_the_counsellor_can_open(session, world, login):
    proposal = factories.make_proposal(session, world.home.student, world.away.placement,
                                       status=ProposalStatus.proposed)
    session.commit()
    client = login(world.home.counsellor)
    assert _url(world.away.placement) in client.get(f"/review/{proposal.id}").get_data(
        as_text=True)
    assert client.get(_url(world.away.placement)).status_code == 200


def test_a_neighbouring_placement_with_no_proposal_of_theirs_stays_hidden(session, world, login):
    factories.make_proposal(session, world.away.student, world.away.placement,
                            status=ProposalStatus.proposed)
    session.commit()
    assert login(world.home.counsellor).get(_url(world.away.placement)).status_code == 404


def test_another_schools_counsellor_does_not_read_it_through_someone_elses_proposal(
        session, world, login, password_hash):
    from app.models import Role

    factories.make_proposal(session, world.home.student, world.away.placement,
                            status=ProposalStatus.proposed)
    other = factories.make_user(session, Role.counsellor, password_hash=password_hash,
                                school=world.home.other_school)
    session.commit()
    assert login(other).get(_url(world.away.placement)).status_code == 404


@pytest.mark.parametrize("status, visible", [(ProposalStatus.offered, True),
                                             (ProposalStatus.proposed, False)])
def test_a_student_reads_the_placement_offered_to_them_from_another_region(
        session, world, login, status, visible):
    factories.make_proposal(session, world.home.student, world.away.placement, status=status)
    session.commit()
    code = login(world.home.student_user).get(_url(world.away.placement)).status_code
    assert code == (200 if visible else 404)


def test_a_draft_stays_hidden_even_with_a_proposal(session, world, login):
    factories.make_proposal(session, world.home.student, world.away.draft_placement,
                            status=ProposalStatus.proposed)
    session.commit()
    assert login(world.home.counsellor).get(_url(world.away.draft_placement)).status_code == 404
