"""The review queue under load: pages of a hundred, numbers formatted once per page, and the
same queries however long the queue is."""

from __future__ import annotations

import re

import pytest

from app.models import Level, MatchProposal, ProposalStatus, StudentGender, StudentProfile
from tests.web.query_count import get_counted

S = ProposalStatus


def add_proposals(session, world, count: int, *, start: int = 0, class_name: str = "4A"):
    """``count`` students of the home school, each with a waiting proposal."""
    home = world.home
    for n in range(start, start + count):
        student = StudentProfile(school_id=home.school.id, student_number=f"Q{n:05d}",
                                 first_name=f"Leerling{n:03d}", last_name="Rij", birth_year=2008,
                                 level=Level.vmbo_kb, class_name=class_name, postcode="6901")
        session.add(student)
        session.flush()
        session.add(StudentGender(student_id=student.id))
        session.add(MatchProposal(
            student_id=student.id, placement_id=home.placement.id, score=0.505 + n / 10_000,
            distance_km=12.4, status=S.proposed, explanation="Past goed.",
            components={"text": 0.25, "themes": 0.5, "distance": 0.75}))
    session.commit()


def names_on(page: str) -> list[str]:
    return re.findall(r">(Leerling\d+) Rij<", page)


def test_the_queue_shows_a_hundred_proposals_a_page_and_each_on_exactly_one(
        world, session, login):
    add_proposals(session, world, 230)
    client = login(world.home.counsellor)
    pages = [client.get(f"/review/?page={n}").text for n in (1, 2, 3)]
    shown = [names_on(page) for page in pages]
    assert [len(names) for names in shown] == [100, 100, 30]
    assert sorted(sum(shown, [])) == [f"Leerling{n:03d}" for n in range(230)]
    assert shown[0][0] == "Leerling000" and shown[2][-1] == "Leerling229"  # in the sort order
    assert "Pagina 1 van 3" in pages[0] and "Pagina 3 van 3" in pages[2]
    assert client.get("/review/?page=9").text.count('name="ids"') == 30  # past the end: last


def test_the_pages_keep_the_filters_and_the_bulk_form_returns_to_the_same_page(
        world, session, login):
    add_proposals(session, world, 120)
    add_proposals(session, world, 5, start=500, class_name="3C")
    client = login(world.home.counsellor)
    first = client.get("/review/?class_name=4A&sort=score").text
    assert 'href="/review/?page=2&amp;class_name=4A&amp;sort=score"' in first
    second = client.get("/review/?page=2&class_name=4A&sort=score").text
    assert len(names_on(second)) == 20 and "Leerling500" not in second
    assert 'name="back" value="/review/?page=2&amp;class_name=4A&amp;sort=score"' in second


@pytest.mark.parametrize("language, score, part, distance", [
    ("nl", "0,51", "0,75", "12 km"), ("en", "0.51", "0.75", "12 km")])
def test_numbers_are_written_as_the_language_writes_them(world, session, login, language,
                                                         score, part, distance):
    add_proposals(session, world, 1)
    client = login(world.home.counsellor)
    client.get(f"/lang/{language}")
    page = client.get("/review/").text
    row = page[page.index(">Leerling000 Rij<"):]
    assert f">{score}</td>" in row and f"> {part}</dd>" in row and distance in row


@pytest.mark.parametrize("reviewer", ["counsellor", "admin"])
def test_the_queue_makes_the_same_queries_however_long_it_is(world, session, engine, login,
                                                             reviewer):
    user = world.home.counsellor if reviewer == "counsellor" else world.admin
    client = login(user)
    add_proposals(session, world, 5)
    short, one_page = get_counted(client, engine, "/review/")
    add_proposals(session, world, 145, start=5)
    last, last_page = get_counted(client, engine, "/review/?page=2")
    full, full_page = get_counted(client, engine, "/review/")
    add_proposals(session, world, 250, start=150)
    longer, longer_page = get_counted(client, engine, "/review/")
    assert [len(names_on(page.text)) for page in (short, last, full, longer)] == [5, 50, 100, 100]
    # A page that is the last needs no count of the whole queue; a full one does, once.
    assert one_page.queries == last_page.queries == full_page.queries - 1
    assert longer_page.queries == full_page.queries, longer_page.statements


def test_a_queue_of_exactly_one_page_has_no_pager(world, session, login):
    add_proposals(session, world, 100)
    page = login(world.home.counsellor).get("/review/").text
    assert len(names_on(page)) == 100 and "Pagina" not in page


def test_the_kept_filter_form_follows_the_query_the_language_and_the_classes(
        world, session, app, login, monkeypatch):
    from app.web.review import views

    monkeypatch.setattr(views, "KEPT_HTML", 3)
    add_proposals(session, world, 1)
    client = login(world.home.counsellor)
    assert '<option selected value="4A">' in client.get("/review/?class_name=4A").text
    assert '<option selected value="4A">' not in client.get("/review/").text
    add_proposals(session, world, 1, start=1, class_name="5Z")
    assert '<option value="5Z">' in client.get("/review/").text  # a new class to choose
    client.get("/lang/en")
    assert ">Filter and sort<" in client.get("/review/").text
    assert len(app.extensions["talentmatch.review_html"]) == 3  # the oldest went
