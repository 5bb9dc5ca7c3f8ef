"""The whole road of a student's own choice, in the browser, on a phone and on a desktop: the
student searches and shows interest, the counsellor approves, the student says yes, the company
accepts, the three exchange a message on the proposal, and the student downloads the calendar
file of the placement."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import icalendar
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.models import Company, MatchProposal, Placement, ProposalOrigin, ProposalStatus
from app.services.matching import forget_fitted_scorers
from tests import factories
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def write(page, text):
    page.get_by_label("Je bericht").fill(text)
    page.get_by_role("button", name="Bericht versturen").click()
    expect(page.get_by_text("Bericht verstuurd.")).to_be_visible()


@pytest.fixture(autouse=True)
def _before_the_placement(clock):
    """The placement runs in March 2027: the pages must read a day before it, or the search
    would leave it out once it has ended."""
    clock(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))


@pytest.fixture
def chosen_placement(session, world):
    """The neighbouring region's placement, with a period and an address for the calendar."""
    factories.give_consent(session, world.home.student)
    placement = session.get(Placement, world.away.placement.id)
    placement.starts_on, placement.ends_on = date(2027, 3, 8), date(2027, 3, 12)
    company = session.get(Company, world.away.company.id)
    company.address = "Havenstraat 3"
    session.add_all([placement, company])
    session.commit()
    forget_fitted_scorers()
    return placement


@pytest.mark.parametrize("size", SIZES)
def test_a_students_own_choice_goes_all_the_way_to_a_placement_with_messages_and_a_calendar(
        new_page, world, session, chosen_placement, size, tmp_path):
    home, title = world.home, chosen_placement.title

    student = new_page(**SIZES[size])
    log_in(student, home.student_user.email, PASSWORD)
    student.goto("/voor-jou/")
    student.get_by_test_id("for-you").get_by_role("link", name="Stageplekken zoeken").click()
    student.get_by_role("button", name="Zoeken").click()
    student.get_by_test_id("hit").filter(has_text=title).get_by_role(
        "button", name="Ik heb interesse").click()
    expect(student).to_have_url(re.compile(r"/voor-jou/mijn-keuzes$"))
    expect(student.get_by_test_id("choice-status")).to_have_text("Wacht op je decaan")
    no_sideways_scroll(student)
    proposal = session.exec(select(MatchProposal)).one()
    assert proposal.origin is ProposalOrigin.student

    counsellor = new_page(**SIZES[size])
    log_in(counsellor, home.counsellor.email, PASSWORD)
    counsellor.goto("/review/")
    queue = counsellor.get_by_test_id("queue")
    expect(queue.get_by_test_id("own-choice")).to_be_visible()
    queue.locator(f"input[name=ids][value='{proposal.id}']").check()
    counsellor.get_by_role("button", name="Geselecteerde goedkeuren").click()
    expect(counsellor.get_by_text("goedgekeurd en aan de leerling aangeboden")).to_be_visible()
    no_sideways_scroll(counsellor)

    student.goto("/me/proposals/")
    offer = student.get_by_test_id("offer")
    expect(offer).to_contain_text(title)
    student.get_by_role("button", name="Ja, dit wil ik").click()
    expect(student.get_by_text("We laten het bedrijf het weten")).to_be_visible()

    company = new_page(**SIZES[size])
    log_in(company, world.away.company_user.email, PASSWORD)
    company.goto(f"/candidates/{proposal.id}")
    company.get_by_role("button", name="Kandidaat aannemen").click()
    expect(company.get_by_text("Kandidaat aangenomen.")).to_be_visible()
    expect(company.get_by_test_id("counsellor-contact")).to_contain_text(home.counsellor.email)
    company.get_by_test_id("after-yes").get_by_role("link", name="Berichten").click()
    write(company, "Welkom op 8 maart, om half negen bij de receptie.")
    no_sideways_scroll(company)

    student.goto("/me/proposals/")
    card = student.get_by_test_id("after-yes")
    expect(card.get_by_test_id("address")).to_contain_text("Havenstraat 3")
    expect(card.get_by_test_id("first-day")).to_have_text("8 maart 2027")
    with student.expect_download() as download:
        card.get_by_test_id("calendar-link").click()
    path = tmp_path / "stage.ics"
    download.value.save_as(path)
    event = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == date(2027, 3, 8)
    assert "Havenstraat 3" in str(event["location"])
    card.get_by_role("link", name="Berichten").click()
    expect(student.get_by_test_id("message")).to_contain_text("half negen")
    write(student, "Dank je, ik ben er!")

    counsellor.goto(f"/review/{proposal.id}")
    counsellor.get_by_test_id("after-yes").get_by_role("link", name="Berichten").click()
    expect(counsellor.get_by_test_id("message")).to_have_count(2)
    write(counsellor, "Veel plezier en succes!")

    company.reload()
    expect(company.get_by_test_id("message")).to_have_count(3)
    session.expire_all()
    assert session.get(MatchProposal, proposal.id).status is ProposalStatus.company_accepted
