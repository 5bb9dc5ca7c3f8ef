"""Regions and schools: read with the web's rights."""

from __future__ import annotations

from .conftest import assert_problem


def test_every_token_lists_the_regions(api, world):
    body = api(world.home.counsellor).get("/api/v1/regions").get_json()
    assert {r["slug"] for r in body["items"]} == {"liemers", "achterhoek"}
    one = api(world.home.counsellor).get(f"/api/v1/regions/{world.away.region.id}").get_json()
    assert one["name"] == "Achterhoek"
    assert_problem(api(world.home.counsellor).get("/api/v1/regions/999999"), 404)


def test_a_counsellor_sees_only_their_own_school(api, world):
    client = api(world.home.counsellor)
    body = client.get("/api/v1/schools").get_json()
    assert [s["id"] for s in body["items"]] == [world.home.school.id]
    assert client.get(f"/api/v1/schools/{world.home.school.id}").get_json()["code"] == \
        world.home.school.code
    assert_problem(client.get(f"/api/v1/schools/{world.away.school.id}"), 404)
    assert_problem(client.get(f"/api/v1/schools/{world.home.other_school.id}"), 404)


def test_a_coordinator_sees_the_schools_of_their_region_and_filters_them(api, world):
    client = api(world.home.coordinator)
    ids = {s["id"] for s in client.get("/api/v1/schools").get_json()["items"]}
    assert ids == {world.home.school.id, world.home.other_school.id}
    code = world.home.other_school.code
    body = client.get(f"/api/v1/schools?code={code.lower()}").get_json()
    assert [s["code"] for s in body["items"]] == [code]
    assert client.get("/api/v1/schools?region=achterhoek").get_json()["items"] == []
    body = assert_problem(client.get("/api/v1/schools?region=nowhere"), 422)
    assert body["errors"][0]["field"] == "region"


def test_an_admin_pages_through_every_school(api, world):
    client = api(world.admin)
    first = client.get("/api/v1/schools?limit=3").get_json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    rest = client.get(f"/api/v1/schools?limit=3&cursor={first['next_cursor']}").get_json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
