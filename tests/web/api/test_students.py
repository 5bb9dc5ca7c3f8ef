"""Students through the API: a counsellor's own school, validated as the students import."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import StudentGender, StudentProfile, Theme

from .conftest import assert_problem

NEW = {"first_name": "Sanne", "name_prefix": "van", "last_name": "Dijk", "birth_year": 2010,
       "level": "vmbo-kb", "year": 3, "class_name": "3B", "postcode": "6901 AB",
       "travel_km": 20, "gender": "meisje", "themes": ["robotica", "lassen"]}


@pytest.fixture(autouse=True)
def themes(session):
    for slug, nl, en in (("robotica", "Robotica", "Robotics"), ("lassen", "Lassen", "Welding")):
        session.add(Theme(slug=slug, label_nl=nl, label_en=en))
    session.commit()


def test_a_counsellor_lists_and_reads_their_schools_students(api, world):
    client = api(world.home.counsellor)
    body = client.get(f"/api/v1/schools/{world.home.school.id}/students").get_json()
    ids = {s["id"] for s in body["items"]}
    assert ids == {world.home.student.id, world.home.classmate.id}
    one = client.get(f"/api/v1/students/{world.home.student.id}").get_json()
    assert one["student_number"] == world.home.student.student_number
    assert "gender" not in one


def test_another_schools_students_are_not_there(api, world):
    client = api(world.home.counsellor)
    assert_problem(client.get(f"/api/v1/students/{world.away.student.id}"), 404)
    assert_problem(client.get(f"/api/v1/students/{world.home.other_school_student.id}"), 404)
    assert_problem(client.get(f"/api/v1/schools/{world.away.school.id}/students"), 404)
    assert_problem(client.put(f"/api/v1/schools/{world.away.school.id}/students/999", json=NEW),
                   404)


def test_a_coordinator_sees_the_school_but_not_its_students(api, world):
    client = api(world.home.coordinator)
    assert_problem(client.get(f"/api/v1/schools/{world.home.school.id}/students"), 403)
    assert_problem(client.get(f"/api/v1/students/{world.home.student.id}"), 404)


def test_put_creates_then_changes_nothing_then_updates(api, session, world):
    client = api(world.home.counsellor)
    url = f"/api/v1/schools/{world.home.school.id}/students/900001"
    created = client.put(url, json=NEW)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["last_name"], body["level"], body["postcode"], body["themes"]) == \
        ("van Dijk", "vmbo_kb", "6901", ["lassen", "robotica"])
    again = client.put(url, json=NEW)
    assert again.status_code == 200 and again.get_json() == body
    moved = client.put(url, json={**NEW, "class_name": "4B", "year": 4}).get_json()
    assert (moved["id"], moved["class_name"], moved["year"]) == (body["id"], "4B", 4)
    students = session.exec(select(StudentProfile).where(
        StudentProfile.student_number == "900001")).all()
    assert len(students) == 1
    gender = session.get(StudentGender, students[0].id)
    assert gender is not None and gender.gender.value == "girl"


def test_invalid_rows_get_the_imports_messages_per_field(api, world):
    client = api(world.home.counsellor)
    url = f"/api/v1/schools/{world.home.school.id}/students/900002"
    body = assert_problem(client.put(url, json={**NEW, "birth_year": "twintig",
                                                "postcode": "12", "last_name": None}), 422)
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"birth_year", "postcode", "last_name"}
    last_name = next(e for e in body["errors"] if e["field"] == "last_name")
    assert "achternaam (last_name)" in last_name["message"]
    assert_problem(client.put(url, json={**NEW, "unknown": 1}), 422)
    assert_problem(client.put(url, data="not json", content_type="application/json"), 400)


def test_a_read_scope_does_not_write(api, world):
    client = api(world.home.counsellor, ["students:read"])
    url = f"/api/v1/schools/{world.home.school.id}/students/900003"
    assert_problem(client.put(url, json=NEW), 403)
    assert client.get(f"/api/v1/schools/{world.home.school.id}/students").status_code == 200


def test_the_list_filters_and_pages_in_a_fixed_number_of_queries(api, session, world, engine):
    from tests.web.query_count import Recorder

    client = api(world.home.counsellor)
    for n in range(6):
        response = client.put(f"/api/v1/schools/{world.home.school.id}/students/91000{n}",
                              json={**NEW, "class_name": "2A" if n % 2 else "3B"})
        assert response.status_code == 201
    url = f"/api/v1/schools/{world.home.school.id}/students"
    assert {s["class_name"] for s in client.get(url + "?class_name=2A").get_json()["items"]} \
        == {"2A"}
    counts = []
    for limit in (2, 8):
        with Recorder(engine) as sent:
            body = client.get(f"{url}?limit={limit}").get_json()
        assert len(body["items"]) == limit
        counts.append(sent.queries)
    assert counts[0] == counts[1]
