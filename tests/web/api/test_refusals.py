"""What the token's account may not do: a 403 whose words fit the request (a read or a
write), and rows of a kind the account may not write refused before the import sees them."""

from __future__ import annotations

from sqlmodel import select

from app.models import Activity, Participation, TalentObservation
from app.permissions import can_import

from .conftest import assert_problem

STUDENT = {"first_name": "Sanne", "last_name": "Dijk", "level": "vmbo-kb", "year": 3,
           "class_name": "3B", "postcode": "6901 AB", "travel_km": 20}
ACTIVITY = {"kind": "girlsday", "pillar": "kiezen", "date": "2026-04-23",
            "title": "Girlsday Duiven", "postcode": "6921", "capacity": 30}


def test_a_refused_read_says_the_account_may_not_read_it(api, world):
    client = api(world.home.coordinator)
    body = assert_problem(client.get(f"/api/v1/schools/{world.home.school.id}/students"), 403)
    assert body["detail"] == "Het account van dit token mag dit niet lezen."


def test_a_refused_write_says_the_account_may_not_change_it(api, world):
    client = api(world.home.coordinator)
    url = f"/api/v1/schools/{world.home.school.id}/students/900001"
    body = assert_problem(client.put(url, json=STUDENT), 403)
    assert body["detail"] == "Het account van dit token mag dit niet wijzigen."


def test_a_company_contact_may_not_write_activities(api, session, world):
    assert not can_import(world.home.company_user, "activities")  # the import's own rule
    client = api(world.home.company_user)
    body = assert_problem(client.put("/api/v1/activities/by-code/TM-X-1", json=ACTIVITY), 403)
    assert body["detail"] == \
        "Het account van dit token mag dit soort rijen (activities) niet schrijven."
    assert "importeren" not in body["detail"]
    assert session.exec(select(Activity).where(Activity.code == "TM-X-1")).first() is None


def test_a_company_contact_may_not_register_or_observe(api, session, world):
    client = api(world.home.company_user)
    activity = world.home.activity  # the company hosts it, so its contact reads it
    assert client.get(f"/api/v1/activities/{activity.id}").status_code == 200
    registrations = session.exec(select(Participation)).all()
    observations = session.exec(select(TalentObservation)).all()
    # Even an empty registration is refused for the account, not for its content.
    for body in ({}, {"students": [{"student_number": world.home.classmate.student_number,
                                    "school_code": world.home.school.code}]}):
        refused = client.post(f"/api/v1/activities/{activity.id}/participations", json=body)
        assert "participations" in assert_problem(refused, 403)["detail"]
    observation = {"student_number": world.home.student.student_number,
                   "school_code": world.home.school.code, "strength": 4,
                   "themes": ["robotica"]}
    refused = client.post(f"/api/v1/activities/{activity.id}/observations",
                          json={"observations": [observation]})
    assert "observations" in assert_problem(refused, 403)["detail"]
    assert len(session.exec(select(Participation)).all()) == len(registrations)
    assert len(session.exec(select(TalentObservation)).all()) == len(observations)



def test_an_account_the_rule_allows_still_writes_the_same_row(api, world):
    assert can_import(world.home.coordinator, "activities")
    client = api(world.home.coordinator)
    assert client.put("/api/v1/activities/by-code/TM-X-1", json=ACTIVITY).status_code == 201
