"""A student searches, shows interest and sees the choice pending, on a phone and a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.models import MatchProposal, ProposalOrigin, ProposalStatus
from app.services.matching import forget_fitted_scorers
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_a_student_searches_shows_interest_and_sees_the_choice_pending(
        new_page, world, session, width):
    forget_fitted_scorers()
    page = new_page(viewport={"width": width, "height": 844}, is_mobile=width < 500,
                    has_touch=width < 500)
    log_in(page, world.home.student_user.email, PASSWORD)
    page.goto("/voor-jou/")
    expect(page.get_by_test_id("for-you")).to_contain_text(world.home.placement.title)
    page.get_by_test_id("for-you").get_by_role("link", name="Stageplekken zoeken").click()
    page.locator("select[name=kind]").select_option("snuffelstage")
    page.locator("input[name=recognised]").check()
    page.get_by_role("button", name="Zoeken").click()
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text("stageplekken gevonden")
    hit = page.get_by_test_id("hit").filter(has_text=world.away.placement.title)
    hit.get_by_role("button", name="Ik heb interesse").click()

    expect(page).to_have_url(re.compile(r"/voor-jou/mijn-keuzes$"))
    choice = page.get_by_test_id("choice")
    expect(choice).to_contain_text(world.away.placement.title)
    expect(choice.get_by_test_id("choice-status")).to_have_text("Wacht op je decaan")
    width_used = page.evaluate("document.documentElement.scrollWidth")
    assert width_used <= width, f"the page is {width_used}px wide at {width}px"

    proposal = session.exec(select(MatchProposal)).one()
    assert proposal.origin is ProposalOrigin.student
    assert proposal.status is ProposalStatus.proposed
    assert proposal.placement_id == world.away.placement.id
