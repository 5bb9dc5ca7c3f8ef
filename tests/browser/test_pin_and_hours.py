"""Issue 21 on a phone and a desktop: the counsellor pins a placement from the matching page by
finding the student and picking from the placements ranked for them (confirming one that
breaks a rule), and the student's placement page says the days and hours of a week.

``TALENTMATCH_SCREENSHOTS=folder`` keeps a screenshot of each page.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.models import Level, MatchPin, PinKind
from app.services.matching import forget_fitted_scorers
from tests.browser.test_every_page_phone import MEASURE
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD
from tests.web.reads_right.test_replace_search import placement

pytestmark = pytest.mark.browser
WIDTHS = [390, 1280]


def _open(new_page, width):
    return new_page(viewport={"width": width, "height": 844}, is_mobile=width < 500,
                    has_touch=width < 500)


def _fits(page, width: int) -> None:
    found = page.evaluate(MEASURE)
    assert not found["small"], found["small"]
    assert found["scrollWidth"] <= width, f"{found['scrollWidth']} px wide at {width} px"


def _keep(page, name: str, width: int) -> None:
    folder = os.environ.get("TALENTMATCH_SCREENSHOTS")
    if folder:
        page.screenshot(path=Path(folder) / f"{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_counsellor_pins_a_placement_found_for_the_student(new_page, world, session, width):
    forget_fitted_scorers()
    mbo = placement(session, world.home.company, "MBO4-LAS", "Lassen voor mbo 4",
                    levels=[Level.mbo_4.value])
    session.commit()
    page = _open(new_page, width)
    log_in(page, world.home.counsellor.email, PASSWORD)
    page.goto("/matching/")
    start = page.get_by_test_id("pin-start")
    start.get_by_label("Zoek de leerling").fill(world.home.student.student_number)
    start.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_test_id("pin-students").locator("li")).to_have_count(1)
    _fits(page, width)
    _keep(page, "pin-student", width)
    page.get_by_test_id("pin-students").get_by_role(
        "link", name=world.home.student.display_name).click()
    expect(page.get_by_test_id("pin-student")).to_have_text(world.home.student.display_name)
    rows = page.get_by_test_id("alternatives").locator("tbody tr")
    expect(rows.first).to_be_visible()
    row = rows.filter(has_text="MBO4-LAS")
    expect(row.get_by_test_id("rule-warning")).to_contain_text("niveau van de leerling")
    _fits(page, width)
    _keep(page, "pin-search", width)

    # The browser asks for the tick first; without it nothing is sent.
    row.get_by_role("button", name="Vastzetten voor de volgende ronde").click()
    assert session.exec(select(MatchPin)).first() is None
    row.get_by_label("Ik weet dat deze plek die regel breekt: toch vastzetten").check()
    row.get_by_role("button", name="Vastzetten voor de volgende ronde").click()
    expect(page).to_have_url(re.compile(r"/matching/\?scope=.*#pins$"))
    expect(page.get_by_role("status")).to_contain_text(
        f"Lassen voor mbo 4 is vastgezet voor {world.home.student.display_name}")
    expect(page.get_by_test_id("pins")).to_contain_text("Lassen voor mbo 4")
    _fits(page, width)
    _keep(page, "pin-done", width)
    session.expire_all()
    pin = session.exec(select(MatchPin)).one()
    assert (pin.placement_id, pin.kind) == (mbo.id, PinKind.pin)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_placement_page_says_days_and_hours_and_fits_the_screen(new_page, world, session,
                                                                    width):
    forget_fitted_scorers()
    found = world.home.placement
    found.days_per_week, found.hours_per_week = 3, 18
    found.description, found.learn_and_do = "Meelopen in de werkplaats.", "Solderen en meten."
    session.add(found)
    session.commit()
    page = _open(new_page, width)
    log_in(page, world.home.student_user.email, PASSWORD)
    page.goto(f"/voor-jou/plaats/{found.id}")
    facts = page.get_by_test_id("student-placement")
    expect(facts.locator("dt", has_text="Dagen en uren").locator("+ dd")).to_have_text(
        "3 dagen per week, 18 uur")
    _fits(page, width)
    _keep(page, "student-placement", width)
