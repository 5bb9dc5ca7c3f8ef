"""The monitor's figures are counted once a minute per region and school year: what a view in
that minute shows, when it changes, and that a view asks the database the same few things
however much there is to count."""

from __future__ import annotations

import re

import pytest

from app.models import Attendance, Participation
from app.services import monitor
from app.services.monitor import cache
from tests import factories
from tests.web.query_count import Recorder, get_counted


@pytest.fixture
def clock(monkeypatch):
    now = [5000.0]
    monkeypatch.setattr(cache, "_clock", lambda: now[0])
    return now


def took_part(page: str) -> str:
    """The funnel's "took part" count of girls on the page."""
    row = re.search(r'data-label="[^"]*">Meisjes</td><td data-label="[^"]*">(\d+)</td>', page)
    assert row, "no girls' row in the funnel table"
    return row.group(1)


def add_girls(world, session, password_hash, count: int) -> None:
    """``count`` more girls who took part in the home region's activity."""
    for _ in range(count):
        student = factories.make_student(session, world.home.school, password_hash=password_hash)
        session.add(Participation(activity_id=world.home.activity.id, student_id=student.id,
                                  attendance=Attendance.attended))
    session.commit()


def test_a_view_within_the_minute_shows_the_figures_counted_at_its_start(
        world, session, login, password_hash, clock):
    client = login(world.home.coordinator)
    first = client.get("/monitor/").text
    assert took_part(first) == "1" and 'data-testid="monitor-counted"' in first
    add_girls(world, session, password_hash, 2)
    clock[0] += monitor.FRESH_SECONDS - 1
    assert took_part(client.get("/monitor/").text) == "1"
    assert client.get("/monitor/funnel.csv").text.splitlines()[1].split(";")[1] == "1"
    clock[0] += 1
    assert took_part(client.get("/monitor/").text) == "3"
    assert client.get("/monitor/funnel.csv").text.splitlines()[1].split(";")[1] == "3"


def test_each_region_and_school_year_is_counted_on_its_own(world, session, login, password_hash,
                                                           clock):
    client = login(world.admin)
    home = f"/monitor/?region={world.home.region.slug}"
    assert took_part(client.get(home).text) == "1"
    add_girls(world, session, password_hash, 1)
    # Not counted yet: the other scopes count now and see the new girl.
    assert took_part(client.get(home + "&year=2025-2026").text) == "2"
    assert took_part(client.get("/monitor/").text) == "3"  # every region: the away girl too
    assert took_part(client.get(home).text) == "1"  # still the figures of a moment ago
    away = client.get(f"/monitor/?region={world.away.region.slug}").text
    assert took_part(away) == "1"


def test_a_view_with_kept_figures_counts_nothing_and_writes_nothing(world, engine, login):
    client = login(world.home.coordinator)
    _page, warm = get_counted(client, engine, "/monitor/")
    counting = [s for s in warm.statements
                if "GROUP BY" in s or ("count(" in s.lower() and "notification" not in s)]
    assert counting == [] and warm.commits == 0 and warm.writes == []


def test_counting_makes_the_same_queries_for_one_and_for_forty_participants(
        world, session, engine, app, login, password_hash):
    client = login(world.home.coordinator)
    cold, warm = [], []
    for more in (0, 39):
        add_girls(world, session, password_hash, more)
        monitor.forget(app=app)
        with Recorder(engine) as sent:
            page = client.get("/monitor/").text
        cold.append(sent.queries)
        kept, warm_sent = get_counted(client, engine, "/monitor/", warm=False)
        assert took_part(kept.text) == took_part(page)
        warm.append(warm_sent.queries)
    assert took_part(page) == "40"
    assert cold[0] == cold[1] and warm[0] == warm[1] < cold[0]


def test_the_kept_figures_of_a_process_are_bounded(world, session, app, monkeypatch):
    monkeypatch.setattr(cache, "MAX_SCOPES", 2)
    with app.test_request_context():
        for year in ("2023-2024", "2024-2025", "2025-2026"):
            monitor.figures_of(session=session, scope=monitor.Scope(school_year=year))
        kept = app.extensions["talentmatch.monitor_figures"].entries
        assert [key[2] for key in kept] == ["2024-2025", "2025-2026"]
