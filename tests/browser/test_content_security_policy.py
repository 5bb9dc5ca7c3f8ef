"""Pages under the strict Content-Security-Policy in Chromium: nothing is refused, and the
scripts (theme search, "select all" on the review queue) and charts still work."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.models import MatchProposal, MatchRound, ProposalStatus
from tests.browser.test_login_roles import log_in
from tests.browser.test_profile import themes  # noqa: F401  (fixture)
from tests.conftest import PASSWORD
from tests.web.fairness.test_fairness_page import stored_audit

pytestmark = pytest.mark.browser

CSP = "Content Security Policy"


def watch_csp(page):
    """Every console message in which Chromium reports a refused resource or inline part."""
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if CSP in message.text else None)
    return refused


def test_the_policy_is_enforced_and_a_refusal_is_seen(page, world):
    refused = watch_csp(page)
    page.goto("/login")
    # An injected inline style and script, as an XSS would bring: the browser refuses both.
    page.evaluate("""() => {
        document.body.insertAdjacentHTML(
            'beforeend', '<p id="x" style="color: rgb(255, 0, 0)">x</p>');
        const s = document.createElement('script');
        s.textContent = 'window.injected = true;';
        document.body.appendChild(s);
    }""")
    expect(page.locator("#x")).to_be_attached()
    assert page.evaluate("() => window.injected === undefined")
    assert page.evaluate("() => getComputedStyle(document.getElementById('x')).color") \
        != "rgb(255, 0, 0)"
    assert refused, "Chromium reported no CSP refusal for an inline style and script"


def test_a_counsellor_selects_all_proposals_without_a_csp_refusal(page, world, session):
    for student in (world.home.student, world.home.classmate):
        session.add(MatchProposal(student_id=student.id, placement_id=world.home.placement.id,
                                  score=0.6, status=ProposalStatus.proposed,
                                  explanation="Past goed."))
    session.commit()
    refused = watch_csp(page)
    log_in(page, world.home.counsellor.email, PASSWORD)
    for path in ("/home", "/activities/", f"/students/{world.home.student.id}",
                 f"/placements/{world.home.placement.id}"):
        page.goto(path)
    page.goto("/review/")
    boxes = page.locator("input[name=ids]")
    expect(boxes).to_have_count(2)
    page.locator("input[data-check-all]").check()
    for i in range(2):
        expect(boxes.nth(i)).to_be_checked()
    page.locator("input[data-check-all]").uncheck()
    for i in range(2):
        expect(boxes.nth(i)).not_to_be_checked()
    assert refused == []


def test_a_student_searches_themes_without_a_csp_refusal(page, world, themes):  # noqa: F811
    refused = watch_csp(page)
    log_in(page, world.home.student_user.email, PASSWORD)
    page.goto("/me/profile")
    search = page.locator(".theme-search")
    expect(search).to_be_visible()
    search.fill("robotika")
    expect(page.locator("li[data-slug=robotica]")).to_be_visible()
    expect(page.locator("li[data-slug=horeca]")).to_be_hidden()
    assert refused == []


def test_a_coordinator_sees_charts_drawn_without_a_csp_refusal(page, world, session):
    session.add(MatchRound(scope=f"region:{world.home.region.slug}",
                           fairness_audit=stored_audit()))
    session.commit()
    refused = watch_csp(page)
    log_in(page, world.home.coordinator.email, PASSWORD)
    page.goto("/fairness/")
    bars = page.get_by_test_id("chart-ratios").locator("rect.chart-bar")
    assert bars.count() >= 2
    assert max(bars.nth(i).bounding_box()["width"] for i in range(bars.count())) > 20
    # The stylesheet applies (the page is styled, not refused as inline).
    assert page.evaluate("() => document.styleSheets.length") >= 1
    page.goto("/monitor/")
    expect(page.locator("main")).to_be_visible()
    assert refused == []
