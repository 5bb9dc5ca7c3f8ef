"""A coordinator opens the fairness page in the browser and finds its charts drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.models import MatchRound
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD
from tests.web.fairness.test_fairness_page import stored_audit

pytestmark = pytest.mark.browser


def test_a_coordinator_opens_the_fairness_page_and_finds_its_charts_drawn(page, world,
                                                                         session):
    older = MatchRound(scope=f"school:{world.home.school.code}", fairness_audit=stored_audit())
    session.add(older)
    session.commit()
    session.add(MatchRound(scope=f"region:{world.home.region.slug}",
                           fairness_audit=stored_audit()))
    session.commit()
    log_in(page, world.home.coordinator.email, PASSWORD)
    page.goto("/fairness/")
    rounds = page.get_by_test_id("fairness-rounds")
    expect(rounds.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("fairness-round")).to_contain_text(world.home.region.name)

    for chart in ("chart-ratios", "chart-proposals", "chart-top", "chart-ndcg"):
        figure = page.get_by_test_id(chart)
        expect(figure.locator("svg")).to_be_visible()
        bars = figure.locator("rect.chart-bar")
        assert bars.count() >= 2, chart
        # Drawn: the bars have a size on the screen, and the labels are there.
        widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
        assert max(widths) > 20, (chart, widths)
        assert figure.locator("text.chart-label").count() == bars.count()

    # The numbers behind a chart open on request.
    details = page.locator("details.chart-data").first
    details.locator("summary").click()
    expect(details.locator("table")).to_be_visible()
    expect(details.locator("tbody tr").first).to_contain_text("0")

    # Another round of the list opens in the same way.
    rounds.locator(f"a[href$='round={older.id}']").click()
    expect(page.get_by_test_id("fairness-round")).to_contain_text(world.home.school.name)
    expect(page.get_by_test_id("chart-proposals").locator("svg")).to_be_visible()
