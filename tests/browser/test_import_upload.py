"""A counsellor uploads a file with mistakes, sees them, fixes the file and imports it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD
from tests.services.imports.test_support import add_themes, csv_bytes

pytestmark = pytest.mark.browser

HEADER = ["leerlingnummer", "voornaam", "achternaam", "geboortejaar", "schoolcode", "niveau",
          "leerjaar", "postcode", "reisafstand", "geslacht", "interesses", "thema's"]


def students(school_code: str, second_school: str, second_postcode: str) -> bytes:
    return csv_bytes([
        HEADER,
        ["880001", "Lotte", "Smit", "2011", school_code, "vmbo-kb", "3", "6901", "10",
         "meisje", "Solderen en robots bouwen", "robotica; elektrotechniek"],
        ["880002", "Ilias", "Bouzid", "2010", second_school, "vmbo tl", "4", second_postcode,
         "20", "jongen", "", "ICT|3D-printen"],
    ], ";")


def upload(page: Page, data: bytes) -> None:
    page.goto("/imports/")
    form = page.locator("form[enctype='multipart/form-data']")
    expect(form.locator("input[name=csrf_token]")).to_have_value(re.compile(r".+"))
    form.locator("select[name=kind]").select_option("students")
    form.locator("input[name=file]").set_input_files(
        {"name": "leerlingen.csv", "mimeType": "text/csv", "buffer": data})
    form.locator("button[type=submit]").click()


@pytest.fixture
def counsellor_page(page, world, session):
    add_themes(session)
    log_in(page, world.home.counsellor.email, PASSWORD)
    return page


def test_a_counsellor_fixes_the_problems_the_upload_shows_and_imports(counsellor_page, world):
    page = counsellor_page
    own = world.home.school.code
    upload(page, students(own, "XX99", "1000"))

    problems = page.get_by_test_id("import-problems")
    expect(problems).to_be_visible()
    rows = problems.get_by_test_id("problem")
    expect(rows).to_have_count(2)
    for row in (rows.nth(0), rows.nth(1)):
        expect(row).to_have_attribute("data-line", "3")
    expect(problems).to_contain_text("schoolcode")
    expect(problems).to_contain_text("XX99")
    expect(problems).to_contain_text("postcode")
    expect(problems).to_contain_text("1000")
    expect(page.get_by_test_id("import-summary")).to_have_count(0)

    upload(page, students(own, own, "6903"))
    summary = page.get_by_test_id("import-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_test_id("created")).to_have_text("2")
    expect(page.get_by_test_id("import-problems")).to_have_count(0)

    page.goto("/home")
    home = page.get_by_test_id("counsellor-home")
    expect(home).to_contain_text("Lotte Smit")
    expect(home).to_contain_text("880002")


def test_the_problems_fit_a_phone(new_page, world, session):
    add_themes(session)
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(page, world.home.counsellor.email, PASSWORD)
    upload(page, students(world.home.school.code, "XX99", "1000"))
    expect(page.get_by_test_id("import-problems")).to_be_visible()
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"page is {scroll_width}px wide on a 390px phone"
