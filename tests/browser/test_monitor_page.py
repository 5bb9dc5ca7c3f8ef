"""The monitor in a real browser: its charts are drawn, offline, and fit a phone."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.models import ProposalStatus
from tests import factories
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# Every chart of the page (one per school year for the participants).
CHARTS = ["chart-kinds-2025-2026", "chart-kinds-share-2025-2026", "chart-pillars-2025-2026",
          "chart-pillars-share-2025-2026", "chart-levels-2025-2026",
          "chart-levels-share-2025-2026", "chart-funnel-girl", "chart-sectors",
          "chart-sectors-lapsed", "chart-answers", "chart-answers-rate", "chart-talent"]


@pytest.fixture
def road(world, session):
    """The home student went all the way: a proposal the company answered, then placed."""
    home = world.home
    proposal = factories.make_proposal(session, home.student, home.placement,
                                       status=ProposalStatus.placed)
    proposal.sent_to_company_at = datetime(2025, 11, 3, 9, tzinfo=UTC)
    proposal.company_answered_at = datetime(2025, 11, 6, 9, tzinfo=UTC)
    lapsed = factories.make_proposal(session, home.classmate, home.placement,
                                     status=ProposalStatus.lapsed)
    lapsed.sent_to_company_at = datetime(2025, 11, 3, 9, tzinfo=UTC)
    session.add_all([proposal, lapsed])
    session.commit()
    return world


def offline(page, live_server) -> list[str]:
    """Refuse every request that leaves the test server; returns the refused addresses."""
    ours = urlsplit(live_server).netloc
    refused: list[str] = []

    def handle(route):
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.context.route("**/*", handle)
    return refused


def bar_widths(page, testid: str) -> list[float]:
    """The drawn widths (in pixels) of the main bars of one chart."""
    return page.get_by_test_id(testid).locator("svg rect.chart-bar").evaluate_all(
        "bars => bars.map(bar => bar.getBoundingClientRect().width)")


def test_the_monitor_draws_its_charts_without_internet(page, live_server, road, tmp_path):
    refused = offline(page, live_server)
    log_in(page, road.home.coordinator.email, PASSWORD)
    page.goto("/monitor/")
    expect(page.get_by_test_id("monitor")).to_contain_text(road.home.region.name)

    for testid in CHARTS:
        chart = page.get_by_test_id(testid)
        expect(chart.locator("svg")).to_be_visible()
        widths = bar_widths(page, testid)
        assert widths and max(widths) > 0, f"{testid} has no bar drawn: {widths}"
    # The funnel of the girl who took part: everyone took part, and she got to the end.
    assert bar_widths(page, "chart-funnel-girl")[0] == pytest.approx(
        bar_widths(page, "chart-funnel-girl")[3])

    # The table behind a chart opens, and its download is there.
    section = page.get_by_test_id("monitor-funnel")
    section.locator("details.chart-data summary").click()
    expect(section.locator("table tbody tr").first).to_be_visible()
    expect(section.get_by_role("link", name="CSV")).to_have_attribute(
        "href", "/monitor/funnel.csv")

    shot = page.screenshot(path=tmp_path / "monitor.png", full_page=True)
    assert len(shot) > 10_000
    assert refused == []


def test_the_monitor_fits_a_phone(new_page, live_server, road, tmp_path):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    refused = offline(page, live_server)
    log_in(page, road.admin.email, PASSWORD)
    page.goto("/monitor/?year=2025-2026")
    expect(page.get_by_test_id("chart-kinds-2025-2026")).to_be_visible()
    for details in page.locator("details.chart-data").all():
        details.locator("summary").click()
    page.screenshot(path=tmp_path / "monitor-phone.png", full_page=True)
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"page is {scroll_width}px wide on a 390px phone"
    assert max(bar_widths(page, "chart-kinds-2025-2026")) > 0
    assert refused == []
