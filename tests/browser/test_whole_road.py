"""The whole road in the browser: a counsellor approves, the student says yes, the company
accepts, and the placement shows one free place fewer."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.models import MatchProposal, Placement, ProposalStatus
from app.services.matching import Scope, run_matching
from tests import factories
from tests.browser.test_login_roles import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_out(page):
    page.locator("form[action$='/logout'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login"))


def test_counsellor_approves_student_accepts_company_accepts_and_a_place_is_taken(
        page, world, session, app):
    home = world.home
    factories.give_consent(session, home.student)
    session.commit()
    with app.test_request_context():
        run_matching(session=session, scope=Scope(school=home.school), actor=None, seed=1,
                     today=date(2026, 1, 15))
    proposal = session.exec(select(MatchProposal).where(
        MatchProposal.student_id == home.student.id)).one()
    placement_id = proposal.placement_id
    capacity = session.get(Placement, placement_id).capacity

    log_in(page, home.counsellor.email, PASSWORD)
    page.get_by_role("link", name="Beoordelen").click()
    queue = page.get_by_test_id("queue")
    expect(queue).to_contain_text("Sanne")
    queue.locator(f"input[name=ids][value='{proposal.id}']").check()
    page.get_by_role("button", name="Geselecteerde goedkeuren").click()
    expect(page.get_by_text("goedgekeurd en aan de leerling aangeboden")).to_be_visible()
    log_out(page)

    log_in(page, home.student_user.email, PASSWORD)
    page.get_by_role("link", name="Mijn voorstellen").click()
    offer = page.get_by_test_id("offer")
    expect(offer).to_contain_text(proposal.explanation)
    page.get_by_role("button", name="Ja, dit wil ik").click()
    expect(page.get_by_text("We laten het bedrijf het weten")).to_be_visible()
    log_out(page)

    log_in(page, home.company_user.email, PASSWORD)
    page.get_by_role("link", name="Kandidaten").click()
    page.get_by_role("link", name="Sanne").click()
    page.get_by_role("button", name="Kandidaat aannemen").click()
    expect(page.get_by_text("Kandidaat aangenomen.")).to_be_visible()
    page.goto(f"/placements/{placement_id}")
    expect(page.get_by_text(f"1 bezet, 0 aangeboden, {capacity - 1} vrij van {capacity}")
           ).to_be_visible()

    session.expire_all()
    assert session.get(MatchProposal, proposal.id).status is ProposalStatus.company_accepted
    assert session.get(Placement, placement_id).places_taken == 1
