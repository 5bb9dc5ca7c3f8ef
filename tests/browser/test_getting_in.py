"""Getting in on a phone (issue 19): a counsellor prints a code sheet for a class without
e-mail and a student sets a password with a code from it; someone who forgot their password
gets a link by e-mail and sets a new one. Every page fits a 390 px wide screen.

With TALENTMATCH_SCREENSHOTS=<folder> each page is saved there as a PNG to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.models import OutboxEmail, User
from app.web.auth import recovery
from tests.browser.test_login_roles import log_in, open_menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NEW_PASSWORD = "mijn fiets is blauw"


@pytest.fixture
def site(app, live_server):
    """E-mails and sheets link to the server the browser uses."""
    app.config["BASE_URL"] = live_server
    return live_server


def fits_the_phone(page: Page, name: str) -> None:
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    folder = os.environ.get("TALENTMATCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    assert scroll_width <= inner_width, f"{name} is {scroll_width}px wide on a 390px phone"


def test_a_class_without_e_mail_gets_in_with_a_printed_code(new_page, world, session, site):
    side = world.home
    for student in (side.student, side.classmate):  # imported without an e-mail column
        user = session.get(User, student.user_id)
        student.user_id = None
        session.add(student)
        session.flush()
        session.delete(user)
    session.commit()

    counsellor = new_page(**PHONE)
    log_in(counsellor, side.counsellor.email, PASSWORD)
    counsellor.get_by_role("link", name="Accounts en uitnodigingen").click()
    expect(counsellor.get_by_test_id("access-school")).to_be_visible()
    fits_the_phone(counsellor, "access-school")
    counsellor.get_by_role("link", name="3B").click()
    expect(counsellor.get_by_test_id("access-class")).to_contain_text("Geen e-mailadres")
    fits_the_phone(counsellor, "access-class")
    counsellor.get_by_role("button", name="Codeblad voor de klas printen").click()
    pages = counsellor.get_by_test_id("code-sheet-page")
    expect(pages).to_have_count(2)
    fits_the_phone(counsellor, "code-sheet")
    login_name = pages.first.locator(".sheet-login").inner_text()
    code = pages.first.locator(".sheet-code").inner_text()
    counsellor.emulate_media(media="print")
    expect(counsellor.get_by_test_id("code-sheet-tools")).to_be_hidden()
    if os.environ.get("TALENTMATCH_SCREENSHOTS"):
        counsellor.pdf(path=str(Path(os.environ["TALENTMATCH_SCREENSHOTS"]) / "sheet.pdf"),
                       format="A4")
    counsellor.emulate_media(media="screen")

    student = new_page(**PHONE)
    student.goto("/login")
    student.get_by_role("link", name="Ik heb een code van school").click()
    expect(student.get_by_test_id("redeem-code")).to_be_visible()
    fits_the_phone(student, "code")
    student.locator("input[name=code]").fill(code.lower().replace("-", " "))
    student.locator("input[name=password]").fill(NEW_PASSWORD)
    student.locator("input[name=confirm]").fill(NEW_PASSWORD)
    student.get_by_role("button", name="Wachtwoord instellen en inloggen").click()
    expect(student).to_have_url(re.compile(r"/home$"))
    expect(student.locator("main")).to_contain_text(login_name)
    open_menu(student)
    student.locator("form[action$='/logout'] button[type=submit]").click()
    log_in(student, login_name, NEW_PASSWORD)


def test_a_forgotten_password_is_replaced_from_the_e_mailed_link(new_page, world, session,
                                                                 site, monkeypatch):
    monkeypatch.setattr(recovery, "RESET_ANSWER_SECONDS", 0.0)
    user = world.home.counsellor
    page = new_page(**PHONE)
    page.goto("/login")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    expect(page.get_by_test_id("forgot-password")).to_be_visible()
    fits_the_phone(page, "forgot")
    page.locator("input[name=email]").fill(user.email)
    page.get_by_role("button", name="Stuur me een link").click()
    expect(page.get_by_test_id("forgot-password-sent")).to_contain_text(user.email)
    fits_the_phone(page, "forgot-sent")

    email = session.exec(select(OutboxEmail).where(OutboxEmail.to_address == user.email)).one()
    link = re.search(r"(http://\S+/password/reset/\S+)", email.body).group(1)
    page.goto(link)
    expect(page.get_by_test_id("invitation-accept")).to_contain_text(user.email)
    fits_the_phone(page, "reset")
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.locator("input[name=confirm]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord instellen en inloggen").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    page.goto(link)
    expect(page.get_by_test_id("invitation-refused")).to_be_visible()
    fits_the_phone(page, "reset-used")
