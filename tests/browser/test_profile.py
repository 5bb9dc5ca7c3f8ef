"""A student fills in their profile in the browser, finding a theme despite a misspelling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.models import StudentProfile, StudentTheme, Theme
from matching.taxonomy import load_themes
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def themes(session):
    for t in load_themes():
        session.add(Theme(slug=t.slug, label_nl=t.label_nl, label_en=t.label_en,
                          synonyms=list(t.synonyms), technical=t.technical))
    session.commit()


def test_a_student_finds_robotica_by_typing_robotika_and_saves_the_profile(
        page, world, session, themes):
    log_in(page, world.home.student_user.email, PASSWORD)
    page.goto("/me/profile")
    search = page.locator(".theme-search")
    expect(search).to_be_visible()  # the script replaced the plain list with a search box
    search.fill("robotika")
    robotica = page.locator("li[data-slug=robotica]")
    expect(robotica).to_be_visible()
    expect(page.locator("li[data-slug=horeca]")).to_be_hidden()
    robotica.locator("input").check()
    search.fill("")
    expect(page.locator("li[data-slug=horeca]")).to_be_visible()

    page.locator("input[name=travel_km]").fill("30")
    page.get_by_test_id("profile-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_text("Je profiel is opgeslagen.")).to_be_visible()

    session.expire_all()
    assert session.get(StudentProfile, world.home.student.id).travel_km == 30
    slugs = session.exec(select(Theme.slug).join(StudentTheme)
                         .where(StudentTheme.student_id == world.home.student.id)).all()
    assert slugs == ["robotica"]
