"""A counsellor organises an activity, registers a class, and records a talent observation
that then shows on the student's talent record. Real server, real forms, CSRF on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.models import Activity, TalentObservation
from tests.conftest import PASSWORD
from tests.web.activities.builders import make_class, make_themes

pytestmark = pytest.mark.browser


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    form = page.locator("form:has(input[name=email])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def test_counsellor_creates_activity_registers_class_and_records_an_observation(
        page, world, session, password_hash):
    themes = make_themes(session)
    extra = make_class(session, world.home.school, 2, password_hash=password_hash)
    session.commit()
    student = world.home.classmate  # in class 3B, not registered anywhere yet
    log_in(page, world.home.counsellor.email)

    # Create the activity.
    page.goto("/activities/new")
    form = page.get_by_test_id("activity-form").locator("form")
    expect(form.locator("input[name=csrf_token]")).to_have_value(re.compile(r".+"))
    form.locator("select[name=kind]").select_option("talent_scouting")
    form.locator("input[name=title]").fill("Talentscouting robotlab")
    form.locator("input[name=starts_on]").fill("2026-03-12")
    form.locator("input[name=postcode]").fill("6901 AB")
    form.locator("select[name=host_company_id]").select_option(str(world.home.company.id))
    form.locator(f"input[name=themes][value='{themes['robotica'].id}']").check()
    form.locator("input[name=capacity]").fill("30")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/activities/\d+$"))
    expect(page.get_by_test_id("activity-detail")).to_contain_text("Talentscouting robotlab")
    activity = session.exec(select(Activity).where(
        Activity.title == "Talentscouting robotlab")).one()

    # Register the whole class 3B.
    class_form = page.get_by_test_id("register-class")
    class_form.locator("select[name=class_ref]").select_option(f"{world.home.school.id}:3B")
    class_form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/activities/{activity.id}#participants$"))
    participants = page.get_by_test_id("participants")
    for registered in (world.home.student, student, *extra):
        expect(participants.get_by_test_id(f"participant-{registered.id}")).to_be_visible()

    # Record an observation of one student.
    participants.get_by_test_id(f"participant-{student.id}").locator(
        "a[href*='/observations/new']").click()
    expect(page).to_have_url(re.compile(r"/observations/new\?"))
    form = page.get_by_test_id("observation-form").locator("form")
    form.locator(f"input[name=themes][value='{themes['robotica'].id}']").check()
    form.locator("input[name=skills]").fill("bouwt de snelste robotarm")
    form.locator("input[name=strength][value='5']").check()
    form.locator("textarea[name=note]").fill("Wil graag naar de techniekklas.")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/activities/{activity.id}#observations$"))
    expect(page.get_by_test_id("observations")).to_contain_text("bouwt de snelste robotarm")

    observation = session.exec(select(TalentObservation).where(
        TalentObservation.student_id == student.id)).one()
    assert (observation.strength, observation.observer_id) == (5, world.home.counsellor.id)

    # The student's talent record shows it.
    page.goto(f"/students/{student.id}")
    record = page.locator("main")
    expect(record).to_contain_text("Talentscouting robotlab")
    expect(record).to_contain_text("bouwt de snelste robotarm")


def test_the_activity_page_fits_a_phone(new_page, world, session, password_hash):
    make_class(session, world.home.school, 3, password_hash=password_hash)
    session.commit()
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(page, world.home.counsellor.email)
    for path in (f"/activities/{world.home.activity.id}", "/activities/", "/activities/new"):
        page.goto(path)
        scroll_width, inner_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, f"{path} is {scroll_width}px wide on a phone"
