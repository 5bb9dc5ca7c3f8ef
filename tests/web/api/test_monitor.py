"""The monitor's figures and a round's fairness audit through the API, with the web's rights."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import MatchRound, RoundStatus
from app.services.matching import Scope, run_matching

from .conftest import assert_problem


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_a_coordinator_reads_their_regions_figures(api, world):
    client = api(world.home.coordinator)
    response = client.get("/api/v1/monitor")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["region"] == "liemers" and body["school_year"] is None
    kinds = body["participants"]["kind"]
    assert sum(row["counts"]["girls"] for row in kinds) == 1  # Sanne attended the tech week
    assert {row["gender"] for row in body["funnel"]} >= {"girl"}
    year = client.get("/api/v1/monitor?region=liemers&year=2025-2026").get_json()
    assert year["school_year"] == "2025-2026"
    assert_problem(client.get("/api/v1/monitor?region=achterhoek"), 404)
    body = assert_problem(client.get("/api/v1/monitor?year=2025"), 422)
    assert "2025-2026" in body["detail"]


def test_an_admin_reads_every_region_or_one_and_others_have_no_monitor(api, world):
    client = api(world.admin)
    assert client.get("/api/v1/monitor").get_json()["region"] is None
    assert client.get("/api/v1/monitor?region=achterhoek").get_json()["region"] == "achterhoek"
    assert_problem(client.get("/api/v1/monitor?region=nowhere"), 404)
    for user in (world.home.counsellor, world.home.company_user):
        assert_problem(api(user).get("/api/v1/monitor"), 403)
    assert_problem(api(world.home.coordinator, ["proposals:read"]).get("/api/v1/monitor"), 403)


def test_a_rounds_fairness_audit_for_its_regions_coordinator(api, world, session, ctx):
    run_matching(session=session, scope=Scope(region=world.home.region), actor=None, seed=1,
                 today=date(2026, 1, 15))
    round_ = session.exec(select(MatchRound)).one()
    assert round_ is not None
    client = api(world.home.coordinator)
    response = client.get(f"/api/v1/rounds/{round_.id}/fairness")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["scope"] == "region:liemers" and body["scope_name"] == "Liemers"
    assert body["available"] is True and "groups" in body["audit"]
    assert_problem(api(world.away.coordinator).get(f"/api/v1/rounds/{round_.id}/fairness"),
                   404)
    assert_problem(api(world.home.counsellor).get(f"/api/v1/rounds/{round_.id}/fairness"),
                   404)
    assert api(world.admin).get(f"/api/v1/rounds/{round_.id}/fairness").status_code == 200


def test_a_round_without_an_audit_says_so(api, world, session):
    round_ = MatchRound(scope="region:liemers", status=RoundStatus.failed)
    session.add(round_)
    session.commit()
    body = api(world.home.coordinator).get(f"/api/v1/rounds/{round_.id}/fairness").get_json()
    assert body["available"] is False and body["audit"] == {} and body["headline"] is None
