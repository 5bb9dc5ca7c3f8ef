"""A coordinator makes an integration token on a 390 px phone: the form, the page that shows
the token once (nothing wider than the screen, buttons a thumb can press), and a second visit
that no longer shows it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_every_page_phone import MEASURE, PHONE
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def fits(page) -> list[str]:
    found = page.evaluate(MEASURE)
    problems = list(found["small"])
    if found["scrollWidth"] > found["innerWidth"]:
        problems.append(f"{found['scrollWidth']} px wide on a 390 px phone")
    return problems


def test_a_coordinator_makes_a_token_on_a_phone_and_sees_it_once(new_page, world, tmp_path):
    folder = Path(os.environ.get("TALENTMATCH_SCREENSHOTS") or tmp_path)
    page = new_page(**PHONE)
    log_in(page, world.home.coordinator.email, PASSWORD)
    page.goto("/admin/api-tokens/new")
    assert fits(page) == []
    page.get_by_label("Naam").fill("Magister Het Liemers College")
    page.get_by_label("Werkt namens account").select_option(str(world.home.counsellor.id))
    page.get_by_label("Leerlingen: lezen", exact=True).check()
    page.get_by_role("button", name="Het token maken").click()
    secret = page.get_by_test_id("api-token-secret")
    expect(secret).to_be_visible()
    assert re.fullmatch(r"tm_[a-z0-9]{8}_[A-Za-z0-9_-]{43}", secret.input_value())
    expect(page.get_by_role("alert")).to_contain_text("niet nog eens getoond")
    page.screenshot(path=folder / "api-token-created-phone.png", full_page=True)
    assert fits(page) == []
    page.reload()
    expect(page.get_by_test_id("api-token-secret")).to_have_count(0)
    page.get_by_role("link", name="Naar het token").click()
    expect(page.get_by_test_id("api-token")).to_contain_text("Leerlingen: lezen")
    assert fits(page) == []
