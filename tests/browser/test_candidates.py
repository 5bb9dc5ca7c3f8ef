"""A company contact answers a candidate in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.models import MatchProposal, Placement, ProposalStatus
from app.models.base import local_today
from app.services import candidates
from tests import factories
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting(world, session, app):
    factories.give_consent(session, world.home.student)
    factories.give_consent(session, world.home.classmate)
    first = factories.make_proposal(session, world.home.student, world.home.placement)
    second = factories.make_proposal(session, world.home.classmate, world.home.placement)
    session.commit()
    with app.test_request_context():
        for proposal in (first, second):
            candidates.send_to_company(session=session, proposal=proposal, actor=None,
                                       today=local_today())
    return first, second


def test_a_company_accepts_one_candidate_and_declines_another_with_a_reason(
        page, world, session, waiting):
    first, second = waiting
    log_in(page, world.home.company_user.email, PASSWORD)
    page.get_by_role("link", name="Kandidaten").click()
    expect(page.get_by_test_id("candidates")).to_contain_text("Sanne")

    page.get_by_role("link", name="Sanne").click()
    expect(page.get_by_test_id("candidate")).to_contain_text("Je bent goed in solderen.")
    page.get_by_role("button", name="Kandidaat aannemen").click()
    expect(page.get_by_text("Kandidaat aangenomen.")).to_be_visible()

    page.goto(f"/candidates/{second.id}")
    page.get_by_role("button", name="Kandidaat afwijzen").click()
    expect(page.get_by_text("Zeg waarom je afwijst")).to_be_visible()
    page.locator("select[name=reason_code]").select_option("period")
    page.locator("textarea[name=reason]").fill("Onze werkplaats is die week dicht.")
    page.get_by_role("button", name="Kandidaat afwijzen").click()
    expect(page.get_by_text("De plek is weer vrij.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/candidates/{second.id}$"))

    session.expire_all()
    assert session.get(MatchProposal, first.id).status is ProposalStatus.company_accepted
    assert session.get(MatchProposal, second.id).status is ProposalStatus.company_declined
    assert session.get(Placement, world.home.placement.id).places_taken == 1
