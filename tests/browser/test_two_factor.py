"""A counsellor sets up two-step login in Chromium on a phone, keeps the recovery codes, logs
out and logs in again with a code; nothing is refused by the Content-Security-Policy."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_content_security_policy import watch_csp
from tests.browser.test_login_roles import open_menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TWO_FACTOR_REQUIRED": True}


def password_step(page: Page, email: str) -> None:
    page.goto("/login")
    form = page.locator("form:has(input[name=email])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()


def fits(page: Page, name: str, folder) -> None:
    page.screenshot(path=folder / f"{name}.png", full_page=True)
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width == 390, f"{name} is {scroll_width}px wide on a phone"


def test_a_counsellor_sets_up_two_step_login_and_logs_in_with_a_code(new_page, world,
                                                                      tmp_path):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    refused = watch_csp(page)
    counsellor = world.home.counsellor
    password_step(page, counsellor.email)

    # After the password, the site is closed until the second factor is set up.
    expect(page).to_have_url(re.compile(r"/two-factor\?next=/home$"))
    expect(page.get_by_test_id("two-factor-enrol")).to_be_visible()
    expect(page.locator("[data-testid=qr] svg")).to_be_visible()
    fits(page, "enrol", tmp_path)
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/two-factor"))

    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.locator("input[name=code]").fill(totp.now())
    page.locator("form:has(input[name=code]) button[type=submit]").click()

    codes = page.get_by_test_id("recovery-code-list").locator("code")
    expect(codes).to_have_count(10)
    fits(page, "recovery-codes", tmp_path)
    page.get_by_test_id("continue").click()
    expect(page.get_by_test_id("counsellor-home")).to_be_visible()

    open_menu(page)
    page.locator("form[action$='/logout'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    # The next login asks for a code; the one just used would not do, the next one does.
    password_step(page, counsellor.email)
    expect(page.get_by_test_id("two-factor-verify")).to_be_visible()
    fits(page, "verify", tmp_path)
    page.locator("input[name=code]").fill(totp.generate_otp(int(time.time() // 30) + 1))
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_test_id("counsellor-home")).to_be_visible()
    assert refused == []


def test_an_admin_resets_a_counsellors_second_factor_on_a_phone(new_page, world, session,
                                                                tmp_path):
    from app.services import two_factor

    counsellor = world.home.counsellor
    secret = two_factor.pending_secret(session=session, user=counsellor)
    two_factor.confirm(session=session, user=counsellor, code=pyotp.TOTP(secret).now())
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    refused = watch_csp(page)
    password_step(page, world.admin.email)
    admin_totp = pyotp.TOTP(page.get_by_test_id("secret").inner_text().replace(" ", ""))
    page.locator("input[name=code]").fill(admin_totp.now())
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    page.get_by_test_id("continue").click()

    page.goto("/account/two-factor")
    expect(page.get_by_test_id("two-factor-account")).to_contain_text("10 herstelcodes over")
    fits(page, "account", tmp_path)
    page.goto("/admin/two-factor")
    row = page.locator("tr", has_text=counsellor.email)
    expect(row).to_contain_text("aan sinds")
    fits(page, "admin", tmp_path)
    row.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text(counsellor.email)
    expect(page.locator("tr", has_text=counsellor.email)).to_have_count(0)
    assert refused == []
