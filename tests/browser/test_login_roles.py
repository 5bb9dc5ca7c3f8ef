"""Every role logs in through the real form, sees its own home page, and logs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# role -> (the user in the `world` fixture, and texts from the database its home page shows)
ROLES = {
    "student": (lambda w: w.home.student_user, lambda w: [w.home.student.first_name]),
    "counsellor": (lambda w: w.home.counsellor, lambda w: [w.home.school.name]),
    "company": (lambda w: w.home.company_user, lambda w: [w.home.placement.title]),
    "coordinator": (lambda w: w.home.coordinator, lambda w: [w.home.region.name]),
    "admin": (lambda w: w.admin, lambda w: [w.home.region.name, w.away.region.name]),
}


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    form = page.locator("form:has(input[name=email])")
    # The form must carry a real CSRF token: these tests run with CSRF protection on.
    expect(form.locator("input[name=csrf_token]")).to_have_value(re.compile(r".+"))
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def open_menu(page: Page) -> None:
    """On a phone the menu folds behind its button (issue 21): open it, where it is."""
    button = page.get_by_test_id("menu-button")
    if button.is_visible():
        button.click()


@pytest.mark.parametrize("role", ROLES)
def test_role_logs_in_sees_home_and_logs_out(page, world, role):
    user_of, texts_of = ROLES[role]
    log_in(page, user_of(world).email, PASSWORD)

    home = page.get_by_test_id(f"{role}-home")
    expect(home).to_be_visible()
    for text in texts_of(world):
        expect(page.locator("main")).to_contain_text(text)
    if role == "coordinator":  # a coordinator sees only their own region
        expect(page.locator("main")).not_to_contain_text(world.away.region.name)

    logout = page.locator("form[action$='/logout'] button[type=submit]")
    expect(logout).to_have_text(re.compile(r"Uitloggen|Log out"))
    logout.click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("input[name=email]")).to_be_visible()

    # The session really ended: the home page sends us back to the login form.
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/login\?next="))


@pytest.mark.parametrize("role", ["counsellor", "company"])  # the home pages with tables
def test_home_fits_a_phone(new_page, world, role, tmp_path):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    user_of, _ = ROLES[role]
    log_in(page, user_of(world).email, PASSWORD)
    expect(page.get_by_test_id(f"{role}-home")).to_be_visible()

    shot = page.screenshot(path=tmp_path / f"{role}-phone.png", full_page=True)
    assert len(shot) > 1000
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    # Without the viewport meta tag a phone lays out 980px wide and nothing would overflow.
    assert inner_width == 390
    assert scroll_width <= inner_width, f"page is {scroll_width}px wide on a 390px phone"
