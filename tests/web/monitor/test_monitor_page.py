"""The monitor page and its CSV downloads: who may see which region, and what they get."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from app.models import ProposalStatus, Role
from app.services import monitor
from app.services.students import anonymise_student
from tests import factories

CHARTS = monitor.CHARTS


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def english(client):
    client.get("/lang/en")
    return client


def test_a_coordinator_sees_the_charts_of_their_own_region(world, login):
    client = login(world.home.coordinator)
    response = client.get("/monitor/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert world.home.region.name in page
    assert world.away.region.name not in page
    for chart in CHARTS:
        assert f'data-testid="monitor-{chart}"' in page
        assert f'href="/monitor/{chart}.csv"' in page
    assert "<svg" in page and 'class="chart-bar"' in page
    assert 'name="region"' not in page  # nothing to choose


def test_the_page_speaks_dutch_numbers_by_default(world, login):
    page = login(world.home.coordinator).get("/monitor/").get_data(as_text=True)
    assert 'lang="nl"' in page
    assert "<td data-label=\"" in page and ">100,0</td>" in page  # one girl of one: 100,0 %


@pytest.mark.parametrize("path", ["/monitor/", "/monitor/kinds.csv"])
def test_a_coordinator_cannot_open_another_region(world, login, path):
    client = login(world.home.coordinator)
    assert client.get(f"{path}?region={world.away.region.slug}").status_code == 404
    assert client.get(f"{path}?region={world.home.region.slug}").status_code == 200


@pytest.mark.parametrize("role", ["student", "counsellor", "company", "observer"])
@pytest.mark.parametrize("path", ["/monitor/", "/monitor/funnel.csv"])
def test_other_roles_are_refused(world, session, login, password_hash, role, path):
    users = {"student": world.home.student_user, "counsellor": world.home.counsellor,
             "company": world.home.company_user}
    user = users.get(role) or factories.make_user(session, Role.observer,
                                                  password_hash=password_hash)
    session.commit()
    assert login(user).get(path).status_code == 403


def test_a_visitor_is_sent_to_log_in(world, client):
    response = client.get("/monitor/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_coordinator_without_a_region_has_no_monitor(world, session, login, password_hash):
    loose = factories.make_user(session, Role.coordinator, password_hash=password_hash)
    session.commit()
    assert login(loose).get("/monitor/").status_code == 403


def test_an_admin_chooses_a_region_or_all(world, login):
    client = login(world.admin)
    everything = client.get("/monitor/").get_data(as_text=True)
    assert world.home.region.name in everything and world.away.region.name in everything
    assert 'name="region"' in everything
    away = client.get(f"/monitor/?region={world.away.region.slug}&year=2025-2026")
    assert away.status_code == 200
    assert f'href="/monitor/kinds.csv?region={world.away.region.slug}&amp;year=2025-2026"' \
        in away.get_data(as_text=True)
    assert client.get("/monitor/?region=atlantis").status_code == 404
    assert client.get("/monitor/?year=2025").status_code == 400
    assert client.get("/monitor/?year=2025-2027").status_code == 400
    assert client.get("/monitor/pie.csv").status_code == 404


def test_every_chart_downloads_as_csv(world, login):
    client = english(login(world.admin))
    for chart in CHARTS:
        response = client.get(f"/monitor/{chart}.csv?region={world.home.region.slug}")
        rows = read_csv(response)
        assert rows[0], chart
        assert f"monitor-{chart}-{world.home.region.slug}-alle-jaren.csv" in \
            response.headers["Content-Disposition"]


def test_the_csv_is_the_table_with_the_same_filters(world, login):
    client = english(login(world.home.coordinator))
    rows = read_csv(client.get("/monitor/kinds.csv?year=2025-2026"))
    assert rows == [
        ["Activity kind", "Academic year", "Participants", "Gender given", "Girls",
         "Girls' share (%)"],
        ["Week of technology", "2025-2026", "1", "1", "1", "100.0"],
    ]
    assert read_csv(client.get("/monitor/kinds.csv?year=2024-2025"))[1:] == []
    talent = read_csv(client.get("/monitor/talent.csv"))
    assert talent[1] == ["vmbo advanced (KB)", "1", "1", "100.0", "1"]
    page = client.get("/monitor/").get_data(as_text=True)
    assert 'data-testid="talent-without-match">1<' in page


def test_a_deleted_account_still_counts_on_the_page(world, session, login):
    client = english(login(world.home.coordinator))
    before = {chart: read_csv(client.get(f"/monitor/{chart}.csv")) for chart in CHARTS}
    anonymise_student(session=session, student=world.home.student)
    after = {chart: read_csv(client.get(f"/monitor/{chart}.csv")) for chart in CHARTS}
    assert after == before
    assert after["funnel"][1][:2] == ["Girls", "1"]


@pytest.mark.parametrize("sector", ['=HYPERLINK("http://evil.example","klik")', "+31 techniek",
                                    "-installatie", "@SUM(A1)"])
def test_text_a_spreadsheet_would_run_is_neutralised(world, session, login, sector):
    home = world.home
    home.company.sector = sector
    session.add(home.company)
    proposal = factories.make_proposal(session, home.student, home.placement,
                                       status=ProposalStatus.company_accepted)
    proposal.sent_to_company_at = datetime(2025, 11, 3, 9, tzinfo=UTC)
    proposal.company_answered_at = datetime(2025, 11, 5, 21, tzinfo=UTC)
    session.add(proposal)
    session.commit()
    client = english(login(home.coordinator))
    sectors = read_csv(client.get("/monitor/sectors.csv"))
    assert sectors[1] == ["'" + sector, "1", "1", "100.0", "0"]
    answers = read_csv(client.get("/monitor/answers.csv"))
    assert answers[1] == ["'" + sector, "1", "1", "0", "0", "100.0", "2.5", "2.5"]
