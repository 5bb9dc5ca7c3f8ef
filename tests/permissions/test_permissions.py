"""Each role against each object route: own objects open, anyone else's answer 404."""

from __future__ import annotations

import pytest

ROLES = ("student", "counsellor", "company", "coordinator", "admin")


def user_for(world, role):
    side = world.home
    return {"student": side.student_user, "counsellor": side.counsellor,
            "company": side.company_user, "coordinator": side.coordinator,
            "admin": world.admin}[role]


# object -> expected status per role (student, counsellor, company, coordinator, admin).
# "home" is the user's own region; "away" is another region with the same set of objects.
TABLE = {
    ("students", "home.student"):              (200, 200, 404, 404, 200),
    ("students", "home.classmate"):            (404, 200, 404, 404, 200),
    ("students", "home.other_school_student"): (404, 404, 404, 404, 200),
    ("students", "away.student"):              (404, 404, 404, 404, 200),
    ("schools", "home.school"):                (200, 200, 404, 200, 200),
    ("schools", "home.other_school"):          (404, 404, 404, 200, 200),
    ("schools", "away.school"):                (404, 404, 404, 404, 200),
    ("companies", "home.company"):             (200, 200, 200, 200, 200),
    ("companies", "away.company"):             (404, 404, 404, 404, 200),
    ("placements", "home.placement"):          (200, 200, 200, 200, 200),
    ("placements", "home.draft_placement"):    (404, 404, 200, 404, 200),
    ("placements", "away.placement"):          (404, 404, 404, 404, 200),
    ("placements", "away.draft_placement"):    (404, 404, 404, 404, 200),
    ("activities", "home.activity"):           (200, 200, 200, 200, 200),
    ("activities", "home.other_activity"):     (404, 200, 404, 200, 200),
    ("activities", "away.activity"):           (404, 404, 404, 404, 200),
}

CASES = [
    pytest.param(route, path, role, expected[i], id=f"{role}-{route}-{path}")
    for (route, path), expected in TABLE.items()
    for i, role in enumerate(ROLES)
]


def resolve(world, path):
    side, attr = path.split(".")
    return getattr(getattr(world, side), attr)


@pytest.mark.parametrize(("route", "path", "role", "expected"), CASES)
def test_object_routes_follow_the_permission_table(world, login, route, path, role, expected):
    client = login(user_for(world, role))
    obj = resolve(world, path)
    response = client.get(f"/{route}/{obj.id}")
    assert response.status_code == expected


@pytest.mark.parametrize("route", sorted({route for route, _ in TABLE}))
@pytest.mark.parametrize("role", ROLES)
def test_an_object_that_does_not_exist_answers_404(world, login, route, role):
    client = login(user_for(world, role))
    assert client.get(f"/{route}/999999").status_code == 404


@pytest.mark.parametrize("route", sorted({route for route, _ in TABLE}))
def test_anonymous_visitors_are_sent_to_the_login(world, client, route):
    response = client.get(f"/{route}/{world.home.student.id}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_404_for_someone_elses_object_looks_like_a_missing_one(world, login):
    client = login(world.home.student_user)
    foreign_id = world.away.student.id
    foreign = client.get(f"/students/{foreign_id}")
    missing = client.get("/students/999999")
    assert foreign.status_code == missing.status_code == 404
    # The pages differ only where they repeat their own address (the language link).
    assert (foreign.get_data(as_text=True).replace(f"/students/{foreign_id}", "")
            == missing.get_data(as_text=True).replace("/students/999999", ""))
