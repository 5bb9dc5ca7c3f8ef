"""Students find and choose on the web: "Voor jou", the search, "Ik heb interesse", their
choices; the counsellor sees the choice marked in the queue, and nobody else sees it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from app.models import MatchProposal, PlacementStatus, ProposalOrigin, ProposalStatus, Region
from app.services.matching import forget_fitted_scorers
from tests import factories
from tests.web.query_count import get_counted


@pytest.fixture(autouse=True)
def fresh_scorer():
    forget_fitted_scorers()
    yield
    forget_fitted_scorers()


def choose(client, placement) -> MatchProposal:
    answer = client.post(f"/voor-jou/plaats/{placement.id}/interesse")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/voor-jou/mijn-keuzes")
    return answer


def the_choice(session, world) -> MatchProposal:
    return session.exec(select(MatchProposal).where(
        MatchProposal.student_id == world.home.student.id)).one()


def test_a_student_finds_placements_of_both_regions_and_the_menu_leads_there(
        world, login):
    client = login(world.home.student_user)
    home = client.get("/home").text
    assert 'href="/voor-jou/"' in home and "Voor jou" in home
    page = client.get("/voor-jou/zoeken").text
    assert world.home.placement.title in page and world.away.placement.title in page
    assert world.home.draft_placement.title not in page
    assert "2 stageplekken gevonden." in page
    listed = client.get("/voor-jou/").text
    assert world.home.placement.title in listed and "Ik heb interesse" in listed


def test_the_search_filters_in_the_address_bar(world, session, login):
    world.away.company.recognised = False
    session.add(world.away.company)
    session.commit()
    client = login(world.home.student_user)
    page = client.get("/voor-jou/zoeken?recognised=y&kind=snuffelstage&max_km=20").text
    assert world.home.placement.title in page and world.away.placement.title not in page
    assert client.get("/voor-jou/zoeken?kind=bbl_apprenticeship").text.count(
        'data-testid="hit"') == 0


def test_a_filter_out_of_range_says_so_instead_of_searching(world, login):
    client = login(world.home.student_user)
    answer = client.get("/voor-jou/zoeken?max_km=9999")
    assert answer.status_code == 200 and 'data-testid="search-results"' not in answer.text


def test_showing_interest_makes_a_choice_the_student_sees_waiting(world, session, login):
    client = login(world.home.student_user)
    choose(client, world.home.placement)
    proposal = the_choice(session, world)
    assert proposal.origin is ProposalOrigin.student and proposal.status is ProposalStatus.proposed
    page = client.get("/voor-jou/mijn-keuzes").text
    assert world.home.placement.title in page and "Wacht op je decaan" in page


def test_showing_interest_twice_says_so(world, session, login):
    client = login(world.home.student_user)
    choose(client, world.home.placement)
    again = client.post(f"/voor-jou/plaats/{world.home.placement.id}/interesse",
                        follow_redirects=True)
    assert "Deze stageplek staat al bij je keuzes of voorstellen." in again.text
    assert len(session.exec(select(MatchProposal)).all()) == 1


@pytest.mark.parametrize("status", [PlacementStatus.closed, PlacementStatus.draft])
def test_a_placement_that_is_not_open_cannot_be_read_or_chosen(world, session, login, status):
    placement = world.home.placement
    placement.status = status
    session.add(placement)
    session.commit()
    client = login(world.home.student_user)
    assert client.get(f"/voor-jou/plaats/{placement.id}").status_code == 404
    assert client.post(f"/voor-jou/plaats/{placement.id}/interesse").status_code == 404
    assert session.exec(select(MatchProposal)).all() == []


def test_a_placement_beyond_the_travel_limit_cannot_be_chosen(world, session, login):
    far = factories.make_placement(session, world.away.company)
    far.postcode, far.place = "1781", "Den Helder"
    session.add(far)
    session.commit()
    client = login(world.home.student_user)
    assert client.post(f"/voor-jou/plaats/{far.id}/interesse").status_code == 404
    assert far.title not in client.get("/voor-jou/zoeken").text


def test_another_students_choice_is_theirs_alone(world, session, login):
    choose(login(world.home.student_user), world.home.placement)
    proposal = the_choice(session, world)
    classmate = session.get(type(world.home.student_user), world.home.classmate.user_id)
    client = login(classmate)
    assert world.home.placement.title not in client.get("/voor-jou/mijn-keuzes").text
    assert client.post(f"/me/proposals/{proposal.id}/accept").status_code == 404
    assert client.post(f"/me/proposals/{proposal.id}/decline").status_code == 404


def test_the_counsellor_sees_the_choice_marked_and_another_schools_never_does(
        world, session, login):
    choose(login(world.home.student_user), world.home.placement)
    proposal = the_choice(session, world)
    queue = login(world.home.counsellor).get("/review/").text
    assert "Eigen keuze van de leerling" in queue and world.home.student.first_name in queue
    away = login(world.away.counsellor)
    assert away.get(f"/review/{proposal.id}").status_code == 404
    assert world.home.student.last_name not in away.get("/review/").text


def test_only_students_choose(world, login):
    client = login(world.home.counsellor)
    for path in ("/voor-jou/", "/voor-jou/zoeken", "/voor-jou/mijn-keuzes"):
        assert client.get(path).status_code == 403


def test_the_offer_links_to_the_placement_page_and_says_by_when_to_answer(
        world, session, login, clock):
    clock(datetime(2026, 12, 10, 10, 0, tzinfo=UTC))  # before the deadline, which stays
    far = factories.make_placement(session, world.away.company)
    far.postcode, far.place = "1781", "Den Helder"  # out of reach, but offered: readable
    far.description, far.learn_and_do = "Je helpt bij storingen.", "Je leert meten."
    proposal = factories.make_proposal(session, world.home.student, far,
                                       status=ProposalStatus.offered)
    proposal.student_deadline = date(2026, 12, 18)
    session.add_all([far, proposal])
    session.commit()
    client = login(world.home.student_user)
    offers = client.get("/me/proposals/").text
    assert "Antwoord vóór 18 december 2026" in offers
    assert f'href="/voor-jou/plaats/{far.id}"' in offers
    page = client.get(f"/voor-jou/plaats/{far.id}").text
    assert "Je helpt bij storingen." in page and "Je leert meten." in page
    assert "Wat je doet" in page and "Erkend leerbedrijf" in page
    assert "<dt>Dagen en uren</dt><dd>—</dd>" in page  # the company gave neither


def test_the_placement_page_tells_the_student_the_days_and_hours(world, session, login):
    placement = world.home.placement
    placement.days_per_week, placement.hours_per_week = 3, 18
    session.add(placement)
    session.commit()
    client = login(world.home.student_user)
    page = client.get(f"/voor-jou/plaats/{placement.id}").text
    assert "<dt>Dagen en uren</dt><dd>3 dagen per week, 18 uur</dd>" in page
    client.get("/lang/en")
    page = client.get(f"/voor-jou/plaats/{placement.id}").text
    assert "<dt>Days and hours</dt><dd>3 days a week, 18 hours</dd>" in page


def test_the_search_makes_the_same_queries_however_many_placements_match(
        world, session, engine, login):
    client = login(world.home.student_user)
    _page, few = get_counted(client, engine, "/voor-jou/zoeken?kind=snuffelstage")
    for _ in range(40):
        factories.make_placement(session, world.home.company)
    session.commit()
    page, many = get_counted(client, engine, "/voor-jou/zoeken?kind=snuffelstage")
    assert page.text.count('data-testid="hit"') == 25
    assert many.queries == few.queries


def test_an_admin_sets_the_days_a_student_has_to_answer(world, session, login):
    region = world.home.region
    answer = login(world.admin).post(f"/admin/regions/{region.id}", data={
        "name": region.name, "slug": region.slug, "answer_days": "10",
        "student_answer_days": "5"})
    assert answer.status_code == 302
    session.expire_all()
    assert session.get(Region, region.id).student_answer_days == 5
