"""`talentmatch check`: every counter that disagrees with what it counts is named."""

from __future__ import annotations

import pytest

from app.models import ProposalStatus
from tests import factories

S = ProposalStatus


@pytest.fixture
def placement(session, world):
    return factories.make_placement(session, world.home.company, capacity=2)


def holding(session, world, placement, status=S.sent_to_company, holds_place=True):
    proposal = factories.make_proposal(session, world.home.student, placement, status=status)
    proposal.holds_place = holds_place
    session.add(proposal)
    session.flush()
    return proposal


def store(session, placement, places_taken):
    placement.places_taken = places_taken
    session.add(placement)
    session.commit()


def reload(session, obj):
    session.expire_all()
    return session.get(type(obj), obj.id)


def test_check_says_all_is_well_and_exits_0_when_the_counters_agree(
        cli, session, world, placement):
    holding(session, world, placement)
    holding(session, world, placement, status=S.company_accepted)
    holding(session, world, placement, status=S.company_declined, holds_place=False)
    store(session, placement, 2)

    result = cli("check")

    assert result.exit_code == 0, result.output
    assert "All counters agree." in result.output


def test_check_names_a_placement_whose_places_taken_drifted_and_changes_nothing(
        cli, session, world, placement):
    holding(session, world, placement)
    store(session, placement, 2)

    result = cli("check")

    assert result.exit_code == 1
    assert (f"Placement {placement.code} (id {placement.id}, capacity 2): counted 1 holding a "
            "place, stored places_taken 2") in result.output
    assert reload(session, placement).places_taken == 2


def test_check_names_a_proposal_whose_holds_place_does_not_follow_its_status(
        cli, session, world, placement):
    declined = holding(session, world, placement, status=S.company_declined)
    store(session, placement, 1)

    result = cli("check")

    assert result.exit_code == 1
    assert f"Proposal {declined.id} (company_declined): holds_place true" in result.output


def test_check_fix_sets_flags_from_the_status_and_counters_from_the_holders(
        cli, session, world, placement):
    declined = holding(session, world, placement, status=S.company_declined)
    waiting = holding(session, world, placement, holds_place=False)
    other = factories.make_placement(session, world.home.company, capacity=3)
    holding(session, world, other)
    store(session, other, 0)
    store(session, placement, 1)

    result = cli("check", "--fix")

    assert result.exit_code == 0, result.output
    assert "Fixed: all counters agree now." in result.output
    assert reload(session, declined).holds_place is False
    assert reload(session, waiting).holds_place is True
    assert reload(session, placement).places_taken == 1
    assert reload(session, other).places_taken == 1
    assert cli("check").exit_code == 0


def test_check_fix_leaves_an_overbooked_placement_to_a_person(cli, session, world):
    full = factories.make_placement(session, world.home.company, capacity=1)
    first = holding(session, world, full)
    holding(session, world, full, status=S.company_accepted)
    store(session, full, 1)

    result = cli("check", "--fix")

    assert result.exit_code == 1
    assert "counted 2 holding a place, stored places_taken 1: not fixed" in result.output
    assert reload(session, full).places_taken == 1
    assert reload(session, first).holds_place is True
