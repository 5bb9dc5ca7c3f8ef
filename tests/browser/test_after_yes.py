"""After "ja" in the browser, on a phone and on a desktop: the company accepts, the student,
the company contact and the counsellor exchange a message on the proposal's thread, and the
student downloads the placement's calendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import pytest
from playwright.sync_api import expect

from app.models import Company, Placement
from app.services import candidates
from tests import factories
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


@pytest.fixture(autouse=True)
def _on_the_day_it_was_sent(clock):
    """The offers here are sent on 7 December 2026: pages and services that read the clock
    would lapse them once their deadline passed, and the placement would have begun."""
    clock(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))


@pytest.fixture
def sent(session, app, world):
    home = world.home
    factories.give_consent(session, home.student)
    placement = session.get(Placement, home.placement.id)
    placement.starts_on, placement.ends_on = date(2027, 1, 18), date(2027, 1, 22)
    company = session.get(Company, home.company.id)
    company.address = "Industrieweg 12"
    session.add_all([placement, company])
    proposal = factories.make_proposal(session, home.student, placement)
    session.commit()
    with app.test_request_context():
        candidates.send_to_company(session=session, proposal=proposal, actor=None,
                                   today=date(2026, 12, 7))
    return proposal


def write(page, text):
    page.get_by_label("Je bericht").fill(text)
    page.get_by_role("button", name="Bericht versturen").click()
    expect(page.get_by_text("Bericht verstuurd.")).to_be_visible()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", SIZES)
def test_after_the_company_accepts_the_three_talk_and_the_student_gets_the_calendar(
        new_page, world, sent, size, tmp_path):
    home = world.home
    company = new_page(**SIZES[size])
    log_in(company, home.company_user.email, PASSWORD)
    company.goto(f"/candidates/{sent.id}")
    company.get_by_role("button", name="Kandidaat aannemen").click()
    expect(company.get_by_text("Kandidaat aangenomen.")).to_be_visible()
    expect(company.get_by_test_id("counsellor-contact")).to_contain_text(home.counsellor.email)
    company.get_by_test_id("after-yes").get_by_role("link", name="Berichten").click()
    write(company, "Welkom! Neem werkschoenen mee.")
    no_sideways_scroll(company)

    student = new_page(**SIZES[size])
    log_in(student, home.student_user.email, PASSWORD)
    student.goto("/me/proposals/")
    card = student.get_by_test_id("after-yes")
    expect(card.get_by_test_id("company-contact")).to_contain_text(home.company_user.email)
    expect(card.get_by_test_id("address")).to_contain_text("Industrieweg 12")
    expect(card.get_by_test_id("first-day")).to_have_text("18 januari 2027")
    with student.expect_download() as download:
        card.get_by_test_id("calendar-link").click()
    path = tmp_path / "stage.ics"
    download.value.save_as(path)
    event = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == date(2027, 1, 18)
    assert "Industrieweg 12" in str(event["location"])
    card.get_by_role("link", name="Berichten").click()
    expect(student.get_by_test_id("message")).to_contain_text("Neem werkschoenen mee.")
    write(student, "Dank je! Hoe laat begin ik?")
    no_sideways_scroll(student)

    counsellor = new_page(**SIZES[size])
    log_in(counsellor, home.counsellor.email, PASSWORD)
    counsellor.goto(f"/review/{sent.id}")
    expect(counsellor.get_by_test_id("history")).to_contain_text("namens het bedrijf op")
    counsellor.get_by_test_id("after-yes").get_by_role("link", name="Berichten").click()
    expect(counsellor.get_by_test_id("message")).to_have_count(2)
    write(counsellor, "Fijn dat het gelukt is. Succes!")
    no_sideways_scroll(counsellor)

    student.reload()
    expect(student.get_by_test_id("message")).to_have_count(3)
    expect(student.get_by_test_id("message").last).to_contain_text("Succes!")
