"""A company contact posts a placement in the browser; a student of the region then sees it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.models.base import local_today
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "BOL-stage zonnepanelen"


def log_out(page: Page) -> None:
    page.locator("form[action$='/logout'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_a_company_posts_a_placement_and_a_student_opens_it(page, world):
    start = local_today() + timedelta(days=60)
    log_in(page, world.home.company_user.email, PASSWORD)
    page.goto("/lang/en")
    home = page.get_by_test_id("company-home")
    home.get_by_role("link", name="New placement").click()
    expect(page).to_have_url(re.compile(rf"/placements/new\?company={world.home.company.id}$"))

    form = page.get_by_test_id("placement-form")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Kind of placement").select_option("bol_internship")
    form.get_by_label("mbo level 3").check()
    form.get_by_label("mbo level 4").check()
    form.get_by_label("Description").fill("Installeren van zonnepanelen op daken.")
    form.get_by_label("What a student will learn and do").fill(
        "Je monteert panelen en sluit omvormers aan.")
    form.get_by_label("Number of places").fill("3")
    form.get_by_label("Start date").fill(start.isoformat())
    form.get_by_label("End date").fill((start + timedelta(days=90)).isoformat())
    form.get_by_label("Days per week").fill("4")
    form.get_by_label("Apply before").fill((start - timedelta(days=14)).isoformat())
    form.get_by_role("button", name="Save as draft").click()

    expect(page).to_have_url(re.compile(r"/placements/\d+$"))
    placement_url = page.url
    expect(page.get_by_test_id("placement-detail")).to_contain_text(TITLE)
    status = page.get_by_test_id("placement-status")
    expect(status).to_contain_text("Draft")
    status.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash-success")).to_contain_text("is published")
    expect(page.get_by_test_id("placement-status")).to_contain_text("Open")
    expect(page.get_by_test_id("placement-history")).to_contain_text("Draft → Open")

    page.goto("/home")
    row = page.get_by_test_id("company-home").locator("tr", has_text=TITLE)
    expect(row).to_contain_text("Open")
    expect(row.locator("td[data-label=Free]")).to_have_text("3")
    log_out(page)

    log_in(page, world.home.student_user.email, PASSWORD)
    page.goto(placement_url)
    detail = page.get_by_test_id("placement-detail")
    expect(detail).to_contain_text(TITLE)
    expect(detail).to_contain_text(world.home.company.name)
    expect(page.get_by_test_id("placement-status")).to_have_count(0)
