"""Companies and placements through the API: the web's rights, the import's messages, the
form's service, and status changes that repeat harmlessly."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import Placement, PlacementEvent, PlacementStatus, Theme

from .conftest import assert_problem

ROW = {"title": "Snuffelstage installatietechniek", "description": "Meelopen met een monteur.",
       "kind": "snuffelstage", "levels": ["vmbo-kb"], "themes": ["robotica"],
       "capacity": 2, "start": "2030-10-07", "end": "2030-10-09", "hours_per_week": 18,
       "days_per_week": 3, "learn_and_do": "Leidingen leggen en een meterkast aansluiten."}


@pytest.fixture(autouse=True)
def themes(session):
    session.add(Theme(slug="robotica", label_nl="Robotica", label_en="Robotics"))
    session.commit()


def test_a_company_contact_sees_only_their_own_company_and_placements(api, world):
    client = api(world.home.company_user)
    ids = [c["id"] for c in client.get("/api/v1/companies").get_json()["items"]]
    assert ids == [world.home.company.id]
    assert_problem(client.get(f"/api/v1/companies/{world.away.company.id}"), 404)
    body = client.get("/api/v1/placements").get_json()
    assert {p["id"] for p in body["items"]} == {world.home.placement.id,
                                                 world.home.draft_placement.id}
    assert_problem(client.get(f"/api/v1/placements/{world.away.placement.id}"), 404)
    assert_problem(client.get(f"/api/v1/placements/{world.away.draft_placement.id}"), 404)


def test_a_counsellor_sees_the_published_placements_of_their_region(api, world):
    client = api(world.home.counsellor)
    body = client.get("/api/v1/placements").get_json()
    assert [p["id"] for p in body["items"]] == [world.home.placement.id]
    assert body["items"][0]["status"] == "open"
    assert_problem(client.get(f"/api/v1/placements/{world.home.draft_placement.id}"), 404)
    assert_problem(client.get(f"/api/v1/placements/{world.away.placement.id}"), 404)
    assert client.get("/api/v1/placements?status=draft").get_json()["items"] == []


def test_an_admin_filters_placements_by_status_kind_and_company(api, world):
    client = api(world.admin)
    body = client.get(f"/api/v1/placements?status=draft&company={world.away.company.id}")
    assert [p["id"] for p in body.get_json()["items"]] == [world.away.draft_placement.id]
    assert client.get("/api/v1/placements?kind=bbl").get_json()["items"] == []
    first = client.get("/api/v1/placements?limit=1").get_json()
    assert len(first["items"]) == 1 and first["next_cursor"]


def test_a_company_posts_a_placement_by_its_reference_and_a_repeat_changes_nothing(
        api, world, session):
    client = api(world.home.company_user)
    path = f"/api/v1/companies/{world.home.company.id}/placements/API-1"
    response = client.put(path, json=ROW)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "draft" and created["code"] == "API-1"
    assert created["hours_per_week"] == 18 and created["themes"] == ["robotica"]
    again = client.put(path, json=ROW)
    assert again.status_code == 200 and again.get_json()["id"] == created["id"]
    assert len(session.exec(select(Placement).where(Placement.code == "API-1")).all()) == 1
    changed = client.put(path, json={**ROW, "capacity": 3}).get_json()
    assert changed["capacity"] == 3 and changed["id"] == created["id"]


def test_a_placement_row_gets_the_import_messages(api, world):
    client = api(world.home.company_user)
    path = f"/api/v1/companies/{world.home.company.id}/placements/API-2"
    body = assert_problem(client.put(path, json={**ROW, "capacity": 0, "start": "morgen",
                                                 "hours_per_week": 41}), 422)
    fields = {e["field"] for e in body["errors"]}
    assert {"capacity", "start", "hours_per_week"} <= fields
    # The hours the days cannot hold: the message of the import and the form.
    body = assert_problem(client.put(path, json={**ROW, "days_per_week": 1,
                                                 "hours_per_week": 30}), 422)
    assert [e["field"] for e in body["errors"]] == ["hours_per_week"]


def test_another_company_cannot_write_a_placement(api, world):
    client = api(world.home.company_user)
    assert_problem(client.put(f"/api/v1/companies/{world.away.company.id}/placements/X",
                              json=ROW), 404)
    # A coordinator sees the region's companies but does not post for them on the web.
    coordinator = api(world.home.coordinator)
    assert_problem(coordinator.put(f"/api/v1/companies/{world.home.company.id}/placements/X",
                                   json=ROW), 403)


def test_publishing_and_closing_go_through_the_service_and_repeat_harmlessly(
        api, world, session):
    client = api(world.home.company_user)
    placement_id = client.put(f"/api/v1/companies/{world.home.company.id}/placements/API-3",
                              json=ROW).get_json()["id"]
    incomplete = client.put(f"/api/v1/companies/{world.home.company.id}/placements/API-4",
                            json={**ROW, "learn_and_do": None}).get_json()["id"]
    body = assert_problem(client.post(f"/api/v1/placements/{incomplete}/publish", json={}),
                          422)
    assert body["detail"]
    published = client.post(f"/api/v1/placements/{placement_id}/publish", json={})
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["status"] == "open"
    assert client.post(f"/api/v1/placements/{placement_id}/publish",
                       json={}).get_json()["status"] == "open"
    events = session.exec(select(PlacementEvent).where(
        PlacementEvent.placement_id == placement_id,
        PlacementEvent.action == "published")).all()
    assert len(events) == 1
    closed = client.post(f"/api/v1/placements/{placement_id}/close", json={"reason": "vol"})
    assert closed.get_json()["status"] == "closed"
    body = assert_problem(client.post(f"/api/v1/placements/{placement_id}/reopen", json={}),
                          409)
    assert "closed" in body["detail"] or "gesloten" in body["detail"]
    body = assert_problem(client.put(
        f"/api/v1/companies/{world.home.company.id}/placements/API-3", json=ROW), 409)


def test_status_changes_of_another_company_are_404_and_of_a_viewer_403(api, world):
    assert_problem(api(world.home.company_user).post(
        f"/api/v1/placements/{world.away.placement.id}/close", json={}), 404)
    assert_problem(api(world.home.counsellor).post(
        f"/api/v1/placements/{world.home.placement.id}/close", json={}), 403)
    assert_problem(api(world.home.company_user, ["placements:read"]).post(
        f"/api/v1/placements/{world.home.placement.id}/close", json={}), 403)
    assert world.home.placement.status is PlacementStatus.open


def test_an_admin_posts_for_any_company_and_a_new_placement_takes_the_companys_postcode(
        api, world):
    client = api(world.admin)
    row = {key: value for key, value in ROW.items() if key != "postcode"}
    response = client.put(f"/api/v1/companies/{world.away.company.id}/placements/ADM-1",
                          json=row)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["company_id"] == world.away.company.id
    assert body["postcode"] == world.away.company.postcode
    # The away company's own contact sees it; the home company's does not.
    assert api(world.away.company_user).get(f"/api/v1/placements/{body['id']}").status_code \
        == 200
    assert_problem(api(world.home.company_user).get(f"/api/v1/placements/{body['id']}"), 404)
