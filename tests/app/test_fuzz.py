"""Property-based: odd query values and form texts never get a 500 (issue 17).

For each role, generated values (text with control characters, numbers far beyond an
INTEGER column, unknown words, school years past 9999) go into the query parameters of the
pages that role uses and into the text fields of a few forms. Any 500 surfaces here as the
exception itself, since the test app propagates errors.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app.test_activities_builders import make_observer

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Any character but surrogates (a query string cannot carry those), control ones included.
odd_text = st.text(st.characters(max_codepoint=0x2FF, exclude_categories=("Cs",)), max_size=12)
odd_value = st.one_of(
    odd_text,
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(["bogus", "", "0", "-1", "2147483647", "2147483648", "9999-10000",
                     "9999", "\x00", "1e9", "all", "school:99999999999", "region:1"]),
)

# The pages each role reads, with their query parameters.
PAGES = {
    "student": [("/home", ["page"]), ("/me/proposals/", ["role_model"]),
                ("/themes/search", ["q"]), ("/observations/new", ["activity", "student"])],
    "counsellor": [("/review/", ["status", "level", "kind", "theme", "class_name", "max_km",
                                 "sort", "group"]),
                   ("/home", ["page"]), ("/activities/", ["region", "year", "kind", "page"]),
                   ("/activities/{activity}", ["q"]), ("/talent/", ["school"]),
                   ("/matching/", ["scope"]), ("/observations/new", ["activity", "student"])],
    "company": [("/placements/new", ["company", "q"]), ("/home", ["page"]),
                ("/companies/", ["region", "page"])],
    "coordinator": [("/monitor/", ["region", "year"]), ("/fairness/", ["round"]),
                    ("/activities/", ["region", "year", "kind", "page"]),
                    ("/companies/", ["region", "page"]), ("/talent/", ["school"])],
    "admin": [("/companies/", ["region", "page"]), ("/activities/", ["region", "year", "kind"]),
              ("/fairness/", ["round"]), ("/monitor/", ["region", "year"]),
              ("/placements/new", ["company"]), ("/talent/", ["school"]),
              ("/review/", ["status", "level", "kind", "sort"]), ("/matching/", ["scope"])],
}


def _user(world, role):
    side = world.home
    return {"student": side.student_user, "counsellor": side.counsellor,
            "company": side.company_user, "coordinator": side.coordinator,
            "admin": world.admin}[role]


@pytest.mark.parametrize("role", sorted(PAGES))
def test_no_page_answers_500_to_odd_query_values(world, login, role):
    client = login(_user(world, role))
    pages = [(path.format(activity=world.home.activity.id), names)
             for path, names in PAGES[role]]

    @FUZZ
    @given(values=st.lists(odd_value, min_size=8, max_size=8))
    def check(values):
        for path, names in pages:
            query = dict(zip(names, values, strict=False))
            response = client.get(path, query_string=query)
            assert response.status_code < 500, (path, query)

    check()


def test_no_form_answers_500_to_odd_text(world, login, session, password_hash, client):
    scout = make_observer(session, world.home.activity, password_hash=password_hash)
    session.commit()
    observation_url = (f"/observations/new?activity={world.home.activity.id}"
                       f"&student={world.home.student.id}")

    @FUZZ
    @given(text=odd_value, number=odd_value, day=st.sampled_from(
        ["9999-12-31", "0001-01-01", "2026-02-30", "2026-03-12", "\x00"]))
    def check(text, number, day):
        answers = [client.post("/login", data={"email": text, "password": text, "next": text})]
        login(world.home.student_user)
        answers.append(client.post("/me/profile", data={
            "school_id": number, "level": text, "school_year": number, "class_name": text,
            "postcode": text, "travel_km": number, "days_per_week": number,
            "available_from": day, "interests_text": text}))
        login(world.home.company_user)
        answers.append(client.post(f"/placements/new?company={world.home.company.id}", data={
            "title": text, "kind": "bol_internship", "levels": ["mbo_3"], "description": text,
            "postcode": "6902", "capacity": number, "starts_on": day, "days_per_week": number}))
        login(scout)
        answers.append(client.post(observation_url, data={
            "themes": [number], "skills": text, "strength": number, "note": text}))
        login(world.home.counsellor)
        answers.append(client.post("/activities/new", data={
            "kind": "girlsday", "title": text, "description": text, "starts_on": day,
            "postcode": "6901", "capacity": number}))
        client.post("/logout")
        assert [answer.status_code for answer in answers if answer.status_code >= 500] == []

    check()
