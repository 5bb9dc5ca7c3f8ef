"""Idempotency-Key on the API's POSTs: a retry gets the first answer, another request a 409."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.models import ApiIdempotencyKey, Attendance, Participation, utcnow

from .conftest import assert_problem


def _registration(world, attended: bool) -> dict:
    return {"students": [{"student_number": world.home.classmate.student_number,
                          "attended": attended}]}


def test_a_retry_with_the_same_key_gets_the_first_answer(api, session, world):
    client = api(world.home.counsellor)
    url = f"/api/v1/activities/{world.home.activity.id}/participations"
    headers = {"Idempotency-Key": "batch-1"}
    first = client.post(url, json=_registration(world, True), headers=headers)
    assert first.status_code == 201, first.get_json()
    assert "Idempotent-Replayed" not in first.headers
    retry = client.post(url, json=_registration(world, True), headers=headers)
    assert (retry.status_code, retry.get_json()) == (201, first.get_json())
    assert retry.headers["Idempotent-Replayed"] == "true"
    # Without the key the natural key answers: nothing new.
    plain = client.post(url, json=_registration(world, True))
    assert plain.status_code == 200 and plain.get_json()["unchanged"] == 1


def test_the_same_key_for_another_request_is_a_409(api, session, world):
    client = api(world.home.counsellor)
    url = f"/api/v1/activities/{world.home.activity.id}/participations"
    headers = {"Idempotency-Key": "batch-2"}
    assert client.post(url, json=_registration(world, True), headers=headers).status_code == 201
    body = assert_problem(client.post(url, json=_registration(world, False), headers=headers),
                          409)
    assert body["type"].endswith("idempotency-key-reused")
    participation = session.exec(select(Participation).where(
        Participation.student_id == world.home.classmate.id)).one()
    session.refresh(participation)
    assert participation.attendance is Attendance.attended


def test_keys_are_per_token_and_a_failed_request_is_not_kept(api, session, world):
    url = f"/api/v1/activities/{world.home.activity.id}/participations"
    headers = {"Idempotency-Key": "same-text"}
    wrong = {"students": [{"student_number": "no-such-student"}]}
    assert_problem(api(world.home.counsellor).post(url, json=wrong, headers=headers), 422)
    assert session.exec(select(ApiIdempotencyKey)).all() == []
    first = api(world.home.counsellor).post(url, json=_registration(world, True),
                                            headers=headers)
    other = api(world.home.counsellor).post(url, json=_registration(world, False),
                                            headers=headers)
    assert first.status_code == 201 and other.status_code == 200
    assert "Idempotent-Replayed" not in other.headers


def test_a_key_older_than_a_day_is_used_afresh(api, session, world):
    client = api(world.home.counsellor)
    url = f"/api/v1/activities/{world.home.activity.id}/participations"
    headers = {"Idempotency-Key": "yesterday"}
    assert client.post(url, json=_registration(world, True), headers=headers).status_code == 201
    row = session.exec(select(ApiIdempotencyKey)).one()
    row.created_at = utcnow() - timedelta(hours=25)
    session.add(row)
    session.commit()
    again = client.post(url, json=_registration(world, False), headers=headers)
    assert again.status_code == 200 and "Idempotent-Replayed" not in again.headers
    assert len(session.exec(select(ApiIdempotencyKey)).all()) == 1


def test_the_description_shows_the_header(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/activities/{activity_id}/participations"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}
