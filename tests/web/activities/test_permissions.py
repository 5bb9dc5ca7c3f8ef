"""Each role against each activity and observation route, as tests/permissions does.

Pages a role never uses answer 403; another user's object answers 404, exactly like one
that does not exist. The observer is a talent scout assigned to ``home.activity`` only.
"""

from __future__ import annotations

import re

import pytest

from tests.web.activities.builders import make_observer, world_observation

ROLES = ("student", "counsellor", "company", "coordinator", "admin", "observer")

# path (with {side.object} placeholders) -> expected status per role, in ROLES order.
GET_TABLE = {
    "/activities/":                                   (403, 200, 403, 200, 200, 403),
    "/activities/new":                                (403, 200, 403, 200, 200, 403),
    "/activities/{home.activity}":                    (200, 200, 200, 200, 200, 200),
    "/activities/{home.other_activity}":              (404, 200, 404, 200, 200, 404),
    "/activities/{away.activity}":                    (404, 404, 404, 404, 200, 404),
    "/activities/{home.activity}/edit":               (404, 200, 404, 200, 200, 404),
    "/activities/{home.other_activity}/edit":         (404, 404, 404, 200, 200, 404),
    "/activities/{away.activity}/edit":               (404, 404, 404, 404, 200, 404),
    "/observations/new?activity={home.activity}&student={home.student}":
                                                      (404, 200, 404, 200, 200, 200),
    "/observations/new?activity={home.other_activity}&student={home.student}":
                                                      (404, 404, 404, 404, 404, 404),
    "/observations/new?activity={away.activity}&student={away.student}":
                                                      (404, 404, 404, 404, 200, 404),
    "/observations/{home.observation}":               (404, 200, 404, 404, 200, 404),
    "/observations/{away.observation}":               (404, 404, 404, 404, 200, 404),
    "/observations/{home.observation}/edit":          (404, 200, 404, 404, 404, 404),
    "/observations/{away.observation}/edit":          (404, 404, 404, 404, 404, 404),
}

# path -> (form data, expected status per role); 302 is success (POST/redirect/GET).
POST_TABLE = {
    "/activities/{home.activity}/edit": (
        {"kind": "girlsday", "title": "Girlsday", "starts_on": "2026-03-12", "postcode": "6901"},
        (404, 302, 404, 302, 302, 404)),
    "/activities/{away.activity}/edit": (
        {"kind": "girlsday", "title": "Girlsday", "starts_on": "2026-03-12", "postcode": "6901"},
        (404, 404, 404, 404, 302, 404)),
    "/activities/{home.activity}/participants": (
        {"student": "{home.classmate}"}, (404, 302, 404, 302, 302, 404)),
    "/activities/{away.activity}/participants": (
        {"student": "{away.classmate}"}, (404, 404, 404, 404, 302, 404)),
    "/activities/{home.activity}/participants/class": (
        {"class_ref": "{home.school}:3B"}, (404, 302, 404, 302, 302, 404)),
    # Attendance: the organiser, or the student's own counsellor (here of other_activity,
    # which another school organises).
    "/activities/{home.activity}/attendance/{home.student}": (
        {"attendance": "attended"}, (404, 302, 404, 302, 302, 404)),
    "/activities/{home.other_activity}/attendance/{home.student}": (
        {"attendance": "attended"}, (404, 302, 404, 302, 302, 404)),
    "/activities/{home.other_activity}/attendance/{home.other_school_student}": (
        {"attendance": "attended"}, (404, 404, 404, 302, 302, 404)),
    "/activities/{away.activity}/attendance/{away.student}": (
        {"attendance": "attended"}, (404, 404, 404, 404, 302, 404)),
    "/activities/{home.activity}/attendance": (
        {"group": ""}, (404, 302, 404, 302, 302, 404)),
    "/activities/{away.activity}/attendance": (
        {"group": ""}, (404, 404, 404, 404, 302, 404)),
    "/activities/{home.activity}/observers": (
        {"email": "new.scout@honk1.example", "display_name": "Nieuwe Scout",
         "password": "handed-over-1"}, (404, 302, 404, 302, 302, 404)),
    "/observations/new?activity={home.activity}&student={home.student}": (
        {"skills": "zeer precies", "strength": "4"}, (404, 302, 404, 302, 302, 302)),
    "/observations/new?activity={away.activity}&student={away.student}": (
        {"skills": "zeer precies", "strength": "4"}, (404, 404, 404, 404, 302, 404)),
    "/observations/{home.observation}/edit": (
        {"skills": "nog preciezer", "strength": "5"}, (404, 302, 404, 404, 404, 404)),
}


@pytest.fixture
def actors(world, session, password_hash):
    scout = make_observer(session, world.home.activity, password_hash=password_hash)
    session.commit()
    side = world.home
    return {"student": side.student_user, "counsellor": side.counsellor,
            "company": side.company_user, "coordinator": side.coordinator,
            "admin": world.admin, "observer": scout}


def resolve(text: str, world, session) -> str:
    def value(match: re.Match) -> str:
        side = getattr(world, match[1])
        if match[2] == "observation":
            return str(world_observation(session, side).id)
        return str(getattr(side, match[2]).id)

    return re.sub(r"\{(\w+)\.(\w+)\}", value, text)


GET_CASES = [pytest.param(path, role, expected[i], id=f"{role}-GET-{path}")
             for path, expected in GET_TABLE.items() for i, role in enumerate(ROLES)]
POST_CASES = [pytest.param(path, data, role, expected[i], id=f"{role}-POST-{path}")
              for path, (data, expected) in POST_TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("path", "role", "expected"), GET_CASES)
def test_pages_follow_the_permission_table(world, session, login, actors, path, role,
                                           expected):
    response = login(actors[role]).get(resolve(path, world, session))
    assert response.status_code == expected


@pytest.mark.parametrize(("path", "data", "role", "expected"), POST_CASES)
def test_changes_follow_the_permission_table(world, session, login, actors, path, data, role,
                                             expected):
    form = {name: resolve(value, world, session) for name, value in data.items()}
    response = login(actors[role]).post(resolve(path, world, session), data=form)
    assert response.status_code == expected


def test_the_tables_cover_every_new_route(app):
    covered = {re.sub(r"\{[^}]+\}", "<id>", path.split("?")[0])
               for path in [*GET_TABLE, *POST_TABLE]}
    routes = {re.sub(r"<[^>]+>", "<id>", rule.rule) for rule in app.url_map.iter_rules()
              if rule.endpoint.split(".")[0] in ("activities", "observations")}
    # Removing a participant or an observer is checked in test_activities.py.
    assert routes - covered == {"/activities/<id>/participants/<id>/remove",
                                "/activities/<id>/observers/<id>/remove"}


@pytest.mark.parametrize("path", [
    "/activities/", "/activities/new", "/activities/{home.activity}",
    "/activities/{home.activity}/edit", "/observations/{home.observation}",
    "/observations/new?activity={home.activity}&student={home.student}",
])
def test_anonymous_visitors_are_sent_to_the_login(world, session, client, path):
    response = client.get(resolve(path, world, session))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", [
    "/activities/999999", "/activities/999999/edit", "/observations/999999",
    "/observations/999999/edit", "/observations/new?activity=999999&student=1",
])
@pytest.mark.parametrize("role", ROLES)
def test_a_missing_object_answers_404(world, login, actors, path, role):
    assert login(actors[role]).get(path).status_code == 404


def test_someone_elses_observation_looks_like_a_missing_one(world, session, login):
    client = login(world.home.coordinator)
    foreign_id = world_observation(session, world.home).id
    foreign = client.get(f"/observations/{foreign_id}/edit")
    missing = client.get("/observations/999999/edit")
    assert foreign.status_code == missing.status_code == 404
    assert (foreign.get_data(as_text=True).replace(f"/observations/{foreign_id}/edit", "")
            == missing.get_data(as_text=True).replace("/observations/999999/edit", ""))
