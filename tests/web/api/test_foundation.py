"""The API's foundation: its description and docs page, tokens, problems, paging."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from openapi_spec_validator import validate
from sqlmodel import select

from app import create_app
from app.models import ApiToken, ApiTokenUse, Region, utcnow
from app.services.api_tokens import revoke_token

from .conftest import assert_problem


def test_the_description_is_valid_openapi_3_1_with_a_response_schema_for_every_operation(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    validate(spec)
    operations = [(path, method, op) for path, item in spec["paths"].items()
                  for method, op in item.items()]
    assert operations
    for path, method, op in operations:
        assert path.startswith("/api/v1/"), path
        assert op["security"] == [{"bearer": []}], (path, method)
        ok = [code for code in op["responses"] if code.startswith("2")]
        assert ok, (path, method)
        for code in ok:
            content = op["responses"][code].get("content", {})
            assert code == "204" or content["application/json"]["schema"], (path, method, code)
        for code in ("401", "403", "404", "422", "429"):
            assert "application/problem+json" in op["responses"][code]["content"], (path, code)
    ids = [op["operationId"] for _path, _method, op in operations]
    assert len(ids) == len(set(ids))


def test_the_docs_page_loads_everything_from_the_app(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "swagger-ui" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    for asset in re.findall(r"(?:src|href)=\"([^\"]+)\"", html):
        response = client.get(asset)
        assert response.status_code == 200, asset
        response.close()


def test_no_token_is_a_401_with_a_bearer_challenge(client, world):
    response = client.get("/api/v1/regions")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer tm_abcdefgh_" + "x" * 43,
                                    "Basic dXNlcjpwYXNz", "Bearer"])
def test_a_wrong_token_is_a_401(client, world, header):
    assert_problem(client.get("/api/v1/regions", headers={"Authorization": header}), 401)


def test_a_logged_in_browser_does_not_open_the_api(login, world):
    client = login(world.home.counsellor)
    assert client.get("/home").status_code == 200
    assert_problem(client.get("/api/v1/regions"), 401)
    assert_problem(client.post("/api/v1/regions", json={}), 405)


def test_a_token_without_the_scope_is_a_403(api, world):
    body = assert_problem(api(world.home.counsellor, ["students:read"]).get("/api/v1/regions"),
                          403)
    assert "reference:read" in body["detail"]


def test_a_revoked_token_is_a_401(session, world, make_token, client):
    raw = make_token(world.home.counsellor)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/regions", headers=headers).status_code == 200
    token = session.exec(select(ApiToken)).one()
    revoke_token(session=session, actor=world.admin, token=token)
    assert_problem(client.get("/api/v1/regions", headers=headers), 401)


def test_an_expired_token_is_a_401(session, world, make_token, client):
    raw = make_token(world.home.counsellor)
    token = session.exec(select(ApiToken)).one()
    token.expires_at = utcnow() - timedelta(minutes=1)
    session.add(token)
    session.commit()
    assert_problem(client.get("/api/v1/regions", headers={"Authorization": f"Bearer {raw}"}),
                   401)


def test_every_request_with_a_token_is_logged_with_its_status(api, session, world):
    client = api(world.home.counsellor)
    client.get("/api/v1/regions")
    client.get("/api/v1/schools/999999")
    uses = session.exec(select(ApiTokenUse).order_by(ApiTokenUse.id)).all()
    assert [(u.method, u.path, u.status) for u in uses] == [
        ("GET", "/api/v1/regions", 200), ("GET", "/api/v1/schools/999999", 404)]


def test_unknown_paths_and_methods_are_problems(api, world):
    client = api(world.home.counsellor)
    assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert_problem(client.get("/api/v2/regions"), 404)
    response = client.open("DELETE", "/api/v1/regions")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_a_parameter_that_does_not_fit_is_a_422_naming_it(api, world):
    body = assert_problem(api(world.home.counsellor).get("/api/v1/regions?limit=1000"), 422)
    assert [e["field"] for e in body["errors"]] == ["limit"]
    assert_problem(api(world.home.counsellor).get("/api/v1/regions?limit=abc"), 422)


def test_a_cursor_we_did_not_give_is_a_400(api, world):
    for cursor in ("not-a-cursor", "eyJhZnRlciI6ICJ4In0", "e30"):
        body = assert_problem(api(world.home.counsellor).get(f"/api/v1/regions?cursor={cursor}"),
                              400)
        assert body["errors"][0]["field"] == "cursor"


def test_lists_page_with_cursors_until_the_last_page(api, session, world):
    for n in range(5):
        session.add(Region(slug=f"extra-{n}", name=f"Extra {n}"))
    session.commit()
    client = api(world.home.counsellor)
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get("/api/v1/regions" + query).get_json()
        seen += [region["id"] for region in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == sorted(r.id for r in session.exec(select(Region)).all())


def test_the_rate_limit_counts_per_token(app_config, engine, make_token, world):
    app = create_app({**app_config, "RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute",
                      "RATELIMIT_KEY_PREFIX": "api-test"})
    app.extensions["talentmatch.engine"] = engine
    client = app.test_client()
    first, second = ({"Authorization": f"Bearer {make_token(world.home.counsellor)}"}
                     for _ in range(2))
    assert [client.get("/api/v1/regions", headers=first).status_code
            for _ in range(3)] == [200] * 3
    response = client.get("/api/v1/regions", headers=first)
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1
    assert client.get("/api/v1/regions", headers=second).status_code == 200


def test_an_id_beyond_the_id_columns_is_a_404_for_every_method(api, world):
    client = api(world.home.counsellor)
    for method in ("GET", "POST"):
        response = client.open(method, "/api/v1/activities/2147483648/participations", json={})
        assert_problem(response, 404)
