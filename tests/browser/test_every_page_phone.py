"""Every page of every role on a 390 px phone (issue 21): no submit control or link-button a
thumb misses (under 44 px high) and nothing wider than the screen.

The pages are the ones the fuzz test's crawl reaches for each role in a world with something in
every state (tests/web/test_fuzz_every_form.py); each is then opened in Chromium, logged in
through the real form. ``TALENTMATCH_SCREENSHOTS=folder`` keeps a screenshot of each.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD
from tests.web.test_fuzz_every_form import ROLES, _client, _user, crawl, lived_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Visible controls a finger presses: submit buttons, plain buttons and links drawn as buttons.
MEASURE = """() => {
  const controls = document.querySelectorAll(
    'button, input[type=submit], input[type=button], input[type=reset], a.button, .menu-button');
  const small = [];
  for (const control of controls) {
    if (!control.checkVisibility({visibilityProperty: true})) continue;
    const box = control.getBoundingClientRect();
    if (Math.round(box.height) < 44) {
      small.push(`${control.outerHTML.slice(0, 100)} is ${box.height.toFixed(1)} px high`);
    }
  }
  return {small, scrollWidth: document.scrollingElement.scrollWidth, innerWidth};
}"""


def _pages(app, world, session, password_hash, login, role) -> list[str]:
    """The HTML pages the crawl reaches as ``role``, one per endpoint."""
    scout, invitation = lived_in(app, session, world, password_hash)
    user = _user(world, role, scout)
    client = _client(app, login, user)
    found = crawl(app, client, extra=[invitation] if user is None else ())
    pages = []
    for path in sorted(found.pages.values()):
        response = client.get(path)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages.append(path)
    return pages, user


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_with_controls_a_thumb_can_press(
        app, world, session, password_hash, login, new_page, role, tmp_path):
    pages, user = _pages(app, world, session, password_hash, login, role)
    assert len(pages) >= 3, pages
    page = new_page(**PHONE)
    if user is not None:
        log_in(page, user.email, PASSWORD)
    folder = Path(os.environ.get("TALENTMATCH_SCREENSHOTS") or tmp_path)
    problems = []
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.status < 500, path
        found = page.evaluate(MEASURE)
        problems += [f"{path}: {text}" for text in found["small"]]
        if found["scrollWidth"] > found["innerWidth"]:
            problems.append(f"{path}: {found['scrollWidth']} px wide on a 390 px phone")
        if os.environ.get("TALENTMATCH_SCREENSHOTS"):
            name = re.sub(r"[^\w-]+", "_", path.strip("/")) or "root"
            page.screenshot(path=folder / f"{role}-{name}.png", full_page=True)
    assert not problems, "\n".join(problems)


def test_the_menu_folds_on_a_phone_and_opens_with_its_button(new_page, world):
    page = new_page(**PHONE)
    log_in(page, world.home.counsellor.email, PASSWORD)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    review = menu.get_by_role("link", name="Beoordelen")
    expect(review).to_be_hidden()
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] < 844 * 0.15
    page.get_by_test_id("menu-button").click()
    expect(review).to_be_visible()
    review.click()
    expect(page).to_have_url(re.compile(r"/review"))


def test_the_whole_menu_shows_on_a_wide_screen_without_the_button(new_page, world):
    page = new_page(viewport={"width": 1280, "height": 800})
    log_in(page, world.home.counsellor.email, PASSWORD)
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Beoordelen")).to_be_visible()
    expect(page.get_by_test_id("menu-button")).to_be_hidden()


def test_approve_and_reject_look_different_and_approve_is_the_primary_one(
        new_page, world, session):
    from app.models import ProposalStatus
    from tests import factories

    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=ProposalStatus.proposed)
    session.commit()
    page = new_page(**PHONE)
    log_in(page, world.home.counsellor.email, PASSWORD)
    page.goto(f"/review/{proposal.id}")
    look = """(selector) => { const s = getComputedStyle(document.querySelector(selector));
      return [s.backgroundColor, s.color, s.borderTopColor]; }"""
    approve = page.evaluate(look, "form[action$='/approve'] [type=submit]")
    reject = page.evaluate(look, "form[action$='/reject'] [type=submit]")
    plain = page.evaluate(look, "form[action$='/note'] [type=submit]")
    assert approve != reject and approve != plain and reject != plain
    assert approve[0] == "rgb(11, 92, 138)"  # the brand colour: the button to press
