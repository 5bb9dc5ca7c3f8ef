"""Who may open the pages where students choose: students only, and only placements within
their reach (across region borders) or ones they already have a choice or offer for."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import MatchProposal, ProposalStatus, User
from app.services.matching import forget_fitted_scorers
from tests import factories
from tests.permissions.test_permissions import ROLES, user_for


@pytest.fixture(autouse=True)
def fresh_scorer():
    forget_fitted_scorers()
    yield
    forget_fitted_scorers()


# placement -> expected status per role (student, counsellor, company, coordinator, admin):
# the pages are the student's; others are refused (403), what is not the student's is not there.
TABLE = {
    "home.placement": (200, 403, 403, 403, 403),
    "away.placement": (200, 403, 403, 403, 403),
    "home.draft_placement": (404, 403, 403, 403, 403),
}


@pytest.mark.parametrize(("path", "role"), [(p, r) for p in TABLE for r in ROLES])
def test_the_placement_page_for_choosing(world, login, path, role):
    side, name = path.split(".")
    placement = getattr(getattr(world, side), name)
    client = login(user_for(world, role))
    expected = TABLE[path][ROLES.index(role)]
    assert client.get(f"/voor-jou/plaats/{placement.id}").status_code == expected


def far_placement(session, world):
    far = factories.make_placement(session, world.away.company)
    far.postcode, far.place = "1781", "Den Helder"
    session.add(far)
    session.commit()
    return far


def test_a_placement_out_of_reach_is_not_there_for_the_student(world, session, login):
    far = far_placement(session, world)
    client = login(world.home.student_user)
    assert client.get(f"/voor-jou/plaats/{far.id}").status_code == 404


def test_an_offered_placement_stays_readable_for_that_student_alone(world, session, login):
    far = far_placement(session, world)
    factories.make_proposal(session, world.home.student, far, status=ProposalStatus.offered)
    session.commit()
    assert login(world.home.student_user).get(f"/voor-jou/plaats/{far.id}").status_code == 200
    classmate = session.get(User, world.home.classmate.user_id)
    assert login(classmate).get(f"/voor-jou/plaats/{far.id}").status_code == 404


def test_a_pending_choice_is_not_an_offer_the_student_can_answer(world, session, login):
    client = login(world.home.student_user)
    client.post(f"/voor-jou/plaats/{world.home.placement.id}/interesse")
    choice = session.exec(select(MatchProposal)).one()
    assert client.post(f"/me/proposals/{choice.id}/accept").status_code == 404
