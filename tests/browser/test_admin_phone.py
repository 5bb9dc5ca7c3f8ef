"""The administration screens fit a 390 px phone (issue 19)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PAGES = {"admin-users": "/admin/users", "admin-user": "/admin/users/{id}",
         "admin-schools": "/admin/schools", "admin-log": "/admin/log"}


@pytest.mark.parametrize("testid", PAGES)
def test_admin_pages_fit_a_phone(new_page, world, testid, tmp_path):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(page, world.admin.email, PASSWORD)
    page.goto(PAGES[testid].format(id=world.home.counsellor.id))
    expect(page.get_by_test_id(testid)).to_be_visible()
    folder = Path(os.environ.get("TALENTMATCH_SCREENSHOTS") or tmp_path)
    assert len(page.screenshot(path=folder / f"{testid}-phone.png", full_page=True)) > 1000
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"page is {scroll_width}px wide on a 390px phone"
