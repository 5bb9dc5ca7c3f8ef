"""Activities, participations with attendance, and observations through the API."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import Activity, Attendance, Participation, TalentObservation, Theme

from .conftest import assert_problem

NEW = {"kind": "girlsday", "pillar": "kiezen", "date": "2026-04-23", "title": "Girlsday Duiven",
       "postcode": "6921", "themes": ["robotica"], "capacity": 30}


@pytest.fixture(autouse=True)
def themes(session):
    session.add(Theme(slug="robotica", label_nl="Robotica", label_en="Robotics"))
    session.commit()


def test_activities_of_the_region_are_listed_and_read(api, world):
    client = api(world.home.counsellor)
    ids = {a["id"] for a in client.get("/api/v1/activities").get_json()["items"]}
    assert ids == {world.home.activity.id, world.home.other_activity.id}
    one = client.get(f"/api/v1/activities/{world.home.activity.id}").get_json()
    assert one["code"] == world.home.activity.code
    assert_problem(client.get(f"/api/v1/activities/{world.away.activity.id}"), 404)
    kinds = client.get("/api/v1/activities?kind=girlsday").get_json()["items"]
    assert [a["id"] for a in kinds] == [world.home.other_activity.id]


def test_an_activity_is_created_by_its_code_once(api, session, world):
    client = api(world.home.coordinator)
    created = client.put("/api/v1/activities/by-code/GD-2026-1", json=NEW)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["kind"], body["region_id"], body["capacity"]) == \
        ("girlsday", world.home.region.id, 30)
    again = client.put("/api/v1/activities/by-code/GD-2026-1", json=NEW)
    assert again.status_code == 200 and again.get_json() == body
    assert len(session.exec(select(Activity).where(Activity.code == "GD-2026-1")).all()) == 1


def test_an_invalid_activity_gets_the_imports_messages(api, world):
    wrong = {**NEW, "kind": "feestje", "date": "gisteren"}
    body = assert_problem(api(world.home.coordinator).put(
        "/api/v1/activities/by-code/GD-2026-2", json=wrong), 422)
    assert {e["field"] for e in body["errors"]} == {"kind", "date"}


def test_another_regions_activity_cannot_be_changed_through_its_code(api, world):
    body = assert_problem(api(world.home.coordinator).put(
        f"/api/v1/activities/by-code/{world.away.activity.code}", json=NEW), 422)
    assert body["errors"]


def test_a_class_is_registered_and_attendance_recorded_once(api, session, world):
    client = api(world.home.counsellor)
    activity = world.home.activity
    world.home.classmate.class_name = "3B"
    session.add(world.home.classmate)
    session.commit()
    url = f"/api/v1/activities/{activity.id}/participations"
    first = client.post(url, json={"class": {"school_id": world.home.school.id,
                                             "class_name": "3B"}})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["created"] == 1
    again = client.post(url, json={"class": {"school_id": world.home.school.id,
                                             "class_name": "3B"}})
    assert again.status_code == 200 and again.get_json()["created"] == 0
    marked = client.post(url, json={"students": [
        {"student_number": world.home.classmate.student_number, "attended": False}]})
    assert marked.status_code == 200, marked.get_json()
    participation = session.exec(select(Participation).where(
        Participation.student_id == world.home.classmate.id)).one()
    session.refresh(participation)
    assert participation.attendance is Attendance.absent
    listed = client.get(url).get_json()["items"]
    assert {(p["student_id"], p["attendance"]) for p in listed} == {
        (world.home.student.id, "attended"), (world.home.classmate.id, "absent")}


def test_another_schools_student_cannot_be_registered(api, world):
    client = api(world.home.counsellor)
    url = f"/api/v1/activities/{world.home.activity.id}/participations"
    body = assert_problem(client.post(url, json={"students": [
        {"student_number": world.away.student.student_number}]}), 422)
    assert body["errors"][0]["field"] == "students[0].student_number"
    assert_problem(client.post(url, json={"class": {"school_id": world.away.school.id,
                                                    "class_name": "3B"}}), 404)
    assert_problem(client.post(f"/api/v1/activities/{world.away.activity.id}/participations",
                               json={"students": []}), 404)


def test_observations_are_recorded_once_and_listed(api, session, world):
    client = api(world.home.counsellor)
    url = f"/api/v1/activities/{world.home.activity.id}/observations"
    row = {"student_number": world.home.classmate.student_number, "themes": ["robotica"],
           "strength": 4, "skills": "soldeert heel precies", "date": "2025-10-07"}
    session.add(Participation(activity_id=world.home.activity.id,
                              student_id=world.home.classmate.id,
                              attendance=Attendance.attended))
    session.commit()
    first = client.post(url, json={"observations": [row]})
    assert first.status_code == 201, first.get_json()
    again = client.post(url, json={"observations": [row]})
    assert again.status_code == 200 and again.get_json()["unchanged"] == 1
    assert len(session.exec(select(TalentObservation).where(
        TalentObservation.student_id == world.home.classmate.id)).all()) == 1
    listed = client.get(url).get_json()["items"]
    assert {o["student_id"] for o in listed} == {world.home.student.id, world.home.classmate.id}
    body = assert_problem(client.post(url, json={"observations": [{**row, "strength": 9}]}), 422)
    assert body["errors"][0]["field"] == "observations[0].strength"


def test_observations_of_another_school_are_not_listed(api, world):
    client = api(world.away.counsellor)
    assert_problem(client.get(
        f"/api/v1/activities/{world.home.activity.id}/observations"), 404)
    admin = api(world.admin).get(f"/api/v1/activities/{world.home.activity.id}/observations")
    assert len(admin.get_json()["items"]) == 1
