"""The candidates page under load: the same queries however many candidates, and the lapse
check out of the way of the pages (a scheduler's with BROKER_URL, once a minute without)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.models import (
    MatchProposal,
    ObservationTheme,
    ProposalStatus,
    StudentProfile,
    TalentObservation,
    Theme,
)
from app.models.base import local_today
from app.services import candidates
from tests import factories
from tests.web.query_count import Recorder, get_counted

S = ProposalStatus
BROKER = "redis://127.0.0.1:9/0"  # never reached: nothing is queued by a page


def _theme(session) -> Theme:
    theme = session.exec(select(Theme)).first()
    if theme is None:
        theme = Theme(slug="robotica", label_nl="Robotica", label_en="Robotics")
        session.add(theme)
        session.flush()
    return theme


def add_candidates(world, session, password_hash, count: int, *, start: int = 0):
    """``count`` candidates sent to the home company: under 16 with consent, 16 or older
    without, and (not shown) under 16 without; each shares an observation with a theme."""
    theme = _theme(session)
    for i in range(start, start + count):
        student = factories.make_student(session, world.home.school, password_hash=password_hash,
                                         first_name=f"Kandidaat{i}")
        if i % 3 == 0:
            factories.give_consent(session, student)
        elif i % 3 == 1:
            student.birth_year = 2000
        placement = factories.make_placement(session, world.home.company)
        factories.make_proposal(session, student, placement, status=S.sent_to_company)
        observation = TalentObservation(
            activity_id=world.home.activity.id, student_id=student.id, strength=4,
            skills=f"gedeeld {i}", observed_on=date(2025, 10, 7), shared_with_companies=True)
        session.add(observation)
        session.flush()
        session.add(ObservationTheme(observation_id=observation.id, theme_id=theme.id))
    session.commit()


def test_the_candidates_page_makes_the_same_queries_for_three_and_for_nine_candidates(
        world, session, engine, login, password_hash):
    client = login(world.home.company_user)
    add_candidates(world, session, password_hash, 3)
    small, few = get_counted(client, engine, "/candidates/")
    add_candidates(world, session, password_hash, 6, start=3)
    large, many = get_counted(client, engine, "/candidates/")
    shown = [f"Kandidaat{i}" for i in range(9) if i % 3 != 2]
    hidden = [f"Kandidaat{i}" for i in range(9) if i % 3 == 2]  # under 16, no consent
    page = large.get_data(as_text=True)
    assert all(name in page for name in shown) and not any(name in page for name in hidden)
    assert small.get_data(as_text=True).count("Kandidaat") == 2
    assert many.queries == few.queries, many.statements


def test_the_detail_shows_the_shared_observations_with_their_themes(
        world, session, login, password_hash):
    add_candidates(world, session, password_hash, 1)
    proposal = session.exec(select(MatchProposal).join(StudentProfile).where(
        StudentProfile.first_name == "Kandidaat0")).one()
    page = login(world.home.company_user).get(f"/candidates/{proposal.id}").get_data(
        as_text=True)
    assert "gedeeld 0" in page and _theme(session).label_nl in page


@pytest.fixture
def overdue(world, session):
    """The home student sent to the home company, with a deadline that has passed."""
    factories.give_consent(session, world.home.student)
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.sent_to_company)
    proposal.company_deadline = local_today() - timedelta(days=1)
    session.commit()
    return proposal


def _status(session, proposal) -> ProposalStatus:
    session.expire_all()
    return session.get(MatchProposal, proposal.id).status


def test_without_a_broker_the_first_view_lapses_an_overdue_offer_and_later_ones_write_nothing(
        world, session, engine, login, overdue, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(candidates, "_clock", lambda: clock[0])
    client = login(world.home.company_user)
    assert client.get("/candidates/").status_code == 200
    assert _status(session, overdue) is S.lapsed
    later = factories.make_proposal(session, world.home.classmate, world.home.placement,
                                    status=S.sent_to_company)
    later.company_deadline = local_today() - timedelta(days=1)
    session.commit()
    clock[0] += candidates.LAPSE_CHECK_SECONDS - 1
    with Recorder(engine) as sent:
        assert client.get("/candidates/").status_code == 200
    assert sent.commits == 0 and sent.writes == []
    assert _status(session, later) is S.sent_to_company
    clock[0] += 1
    assert client.get("/candidates/").status_code == 200
    assert _status(session, later) is S.lapsed


def test_with_a_broker_the_pages_leave_lapsing_to_the_scheduler(
        world, session, engine, app, login, overdue):
    app.config["BROKER_URL"] = BROKER
    client = login(world.home.company_user)
    for path in ("/candidates/", "/candidates/export.csv", f"/candidates/{overdue.id}"):
        with Recorder(engine) as sent:
            assert client.get(path).status_code == 200
        assert sent.commits == 0 and sent.writes == [], path
    assert _status(session, overdue) is S.sent_to_company
    assert candidates.lapse_overdue(session=session) == 1  # what beat's task calls
    assert _status(session, overdue) is S.lapsed


def test_the_candidates_come_fifty_a_page_the_waiting_ones_first(
        world, session, login, password_hash):
    add_candidates(world, session, password_hash, 81)  # 54 shown: 2 of every 3
    accepted = session.exec(select(MatchProposal).join(StudentProfile).where(
        StudentProfile.first_name == "Kandidaat0")).one()
    accepted.status = S.company_accepted
    session.add(accepted)
    session.commit()
    client = login(world.home.company_user)
    first, second = (client.get(f"/candidates/?page={n}").text for n in (1, 2))
    names = [re.findall(r">(Kandidaat\d+)</a>", page) for page in (first, second)]
    assert [len(found) for found in names] == [50, 4]
    assert set(names[0]).isdisjoint(names[1]) and names[1][-1] == "Kandidaat0"
    assert "Pagina 1 van 2" in first and 'href="/candidates/?page=2"' in first
    assert client.get("/candidates/?page=7").text.count(">Kandidaat") == 4  # the last page
    export = client.get("/candidates/export.csv").text
    assert export.count("Kandidaat") == 54  # the download has them all


def test_a_waiting_candidate_shows_its_deadline_and_an_answered_one_none(
        world, session, login, password_hash):
    add_candidates(world, session, password_hash, 2)
    waiting, answered = session.exec(select(MatchProposal).join(StudentProfile).where(
        StudentProfile.first_name.in_(["Kandidaat0", "Kandidaat1"]))
        .order_by(StudentProfile.first_name)).all()
    waiting.company_deadline = answered.company_deadline = local_today() + timedelta(days=400)
    answered.status = S.company_accepted
    session.add_all([waiting, answered])
    session.commit()
    page = login(world.home.company_user).get("/candidates/").text
    day = waiting.company_deadline
    months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    assert page.count(f">{day.day} {months[day.month - 1]} {day.year}</td>") == 1
