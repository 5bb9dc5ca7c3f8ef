"""Setting up a region in Chromium, with no demo data (issue 19): the first admin (made on the
command line) sets up a second factor, adds a region and a school on the administration
screens and makes a counsellor's account; the counsellor opens the link in the invitation
e-mail, sets a password, sets up a second factor and lands on their home page."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.models import OutboxEmail, Role, School, User
from app.services import accounts
from tests.browser.test_content_security_policy import watch_csp
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

COUNSELLOR = "decaan@kreekland.example"
COUNSELLOR_PASSWORD = "mijn fiets staat bij de poort"  # noqa: S105 - a test account


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TWO_FACTOR_REQUIRED": True}


@pytest.fixture
def site(app, live_server):
    """Invitation e-mails need the address people open: the test server's."""
    app.config["BASE_URL"] = live_server
    return live_server


def set_up_second_factor(page: Page, home: str) -> None:
    """The enrolment page after the password: the key as text, a first code, the recovery
    codes, and on to the home page."""
    expect(page).to_have_url(re.compile(r"/two-factor"))
    expect(page.get_by_test_id("two-factor-enrol")).to_be_visible()
    expect(page.locator("[data-testid=qr] svg")).to_be_visible()
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    expect(page.get_by_test_id("recovery-code-list").locator("code")).to_have_count(10)
    page.get_by_test_id("continue").click()
    expect(page.get_by_test_id(home)).to_be_visible()


def test_an_admin_adds_a_school_and_invites_a_counsellor_who_gets_in(
        new_page, session, site, password_hash):
    accounts.create_user(session=session, email="beheer@regio.example", role=Role.admin,
                         display_name="Beheer", password_hash=password_hash)
    session.commit()

    admin = new_page()
    refused = watch_csp(admin)
    admin.goto("/login")
    form = admin.locator("form:has(input[name=email])")
    form.locator("input[name=email]").fill("beheer@regio.example")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    set_up_second_factor(admin, "admin-home")

    nav = admin.get_by_role("navigation", name="Beheer")
    nav.get_by_role("link", name="Regio's").click()
    admin.get_by_role("link", name="Een regio toevoegen").click()
    admin.locator("input[name=name]").fill("Liemers")
    admin.locator("form:has(input[name=name]) button[type=submit]").click()
    expect(admin.get_by_text("De regio is opgeslagen.")).to_be_visible()

    admin.get_by_role("navigation", name="Beheer").get_by_role("link", name="Scholen").click()
    admin.get_by_role("link", name="Een school toevoegen").click()
    form = admin.get_by_test_id("admin-school").locator("form")
    form.locator("select[name=region_id]").select_option(label="Liemers")
    form.locator("input[name=code]").fill("85NR")
    form.locator("input[name=name]").fill("Het Kreekland College")
    form.locator("input[name=kind]").fill("vmbo")
    form.locator("input[name=postcode]").fill("6903")
    form.locator("button[type=submit]").click()
    expect(admin.get_by_text("De school is toegevoegd.")).to_be_visible()
    session.expire_all()
    school = session.exec(select(School).where(School.code == "85NR")).one()
    assert (school.place, school.levels) == (
        "Zevenaar", ["vmbo_bb", "vmbo_kb", "vmbo_gl", "vmbo_tl"])

    admin.get_by_role("navigation", name="Beheer").get_by_role("link", name="Accounts").click()
    admin.get_by_role("link", name="Een account maken").click()
    new_user = admin.get_by_test_id("admin-new-user")
    new_user.locator("input[name=email]").fill(COUNSELLOR)
    new_user.locator("input[name=display_name]").fill("Sanne de Decaan")
    new_user.locator("select[name=role]").select_option("counsellor")
    new_user.locator("select[name=school_id]").select_option(str(school.id))
    new_user.locator("button[type=submit]").click()
    expect(admin.get_by_text("Het account is gemaakt")).to_be_visible()

    session.expire_all()
    counsellor_user = session.exec(select(User).where(User.email == COUNSELLOR)).one()
    assert counsellor_user.school_id == school.id
    assert not accounts.has_usable_password(counsellor_user)
    mails = session.exec(select(OutboxEmail).where(OutboxEmail.to_address == COUNSELLOR)).all()
    assert len(mails) == 1
    link = re.search(re.escape(site) + r"/invitations/\S+", mails[0].body)
    assert link, mails[0].body

    counsellor = new_page()
    refused_counsellor = watch_csp(counsellor)
    counsellor.goto(link.group(0))
    accept = counsellor.get_by_test_id("invitation-accept")
    expect(accept).to_contain_text("Sanne de Decaan")
    accept.locator("input[name=password]").fill(COUNSELLOR_PASSWORD)
    accept.locator("input[name=confirm]").fill(COUNSELLOR_PASSWORD)
    accept.locator("button[type=submit]").click()
    set_up_second_factor(counsellor, "counsellor-home")
    expect(counsellor.get_by_test_id("counsellor-home")).to_contain_text("Het Kreekland College")

    # The link is used up: opened again, it sets nothing.
    again = new_page()
    again.goto(link.group(0))
    expect(again.get_by_test_id("invitation-accept")).to_have_count(0)
    assert refused == refused_counsellor == []
