"""A student keeps their own profile; each question says why it is asked."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import Gender, Level, StudentGender, StudentProfile, StudentTheme, Theme


def valid_form(world, **changes):
    data = {
        "school_id": world.home.school.id, "level": Level.mbo_2.value, "pathway": "bbl",
        "school_year": 2, "class_name": "2A", "postcode": "6901 AB", "travel_km": 25,
        "available_from": "2026-02-01", "available_until": "2026-06-30", "days_per_week": 3,
        "wanted_kinds": ["bbl_apprenticeship"], "interests_text": "robots bouwen",
        "themes": ["robotica", "elektrotechniek"], "gender": "girl",
    }
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def themes(session):
    for slug, label in (("robotica", "Robotica"), ("elektrotechniek", "Elektrotechniek")):
        session.add(Theme(slug=slug, label_nl=label, label_en=label))
    session.commit()


def test_a_student_saves_their_profile_and_gender_is_kept_apart(world, session, login):
    client = login(world.home.student_user)
    response = client.post("/me/profile", data=valid_form(world))
    assert response.status_code == 302
    session.expire_all()
    profile = session.get(StudentProfile, world.home.student.id)
    assert profile.level is Level.mbo_2 and profile.pathway.value == "bbl"
    assert profile.postcode == "6901" and profile.travel_km == 25
    assert profile.wanted_kinds == ["bbl_apprenticeship"]
    slugs = set(session.exec(select(Theme.slug).join(StudentTheme)
                             .where(StudentTheme.student_id == profile.id)).all())
    assert slugs == {"robotica", "elektrotechniek"}
    assert session.get(StudentGender, profile.id).gender is Gender.girl
    assert not hasattr(profile, "gender")


def test_the_form_explains_why_each_item_is_asked(world, login):
    page = login(world.home.student_user).get("/me/profile").get_data(as_text=True)
    assert "Alleen de 4 cijfers" in page  # postcode
    assert "nooit" in page  # gender never influences the proposals


def test_an_unknown_postcode_is_refused_with_what_to_fix(world, session, login):
    client = login(world.home.student_user)
    response = client.post("/me/profile", data=valid_form(world, postcode="0000"))
    assert response.status_code == 200
    assert "4 cijfers van een Nederlandse postcode" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(StudentProfile, world.home.student.id).postcode == "6901"
    assert session.get(StudentProfile, world.home.student.id).level is Level.vmbo_kb


def test_bol_or_bbl_is_refused_outside_mbo(world, login):
    client = login(world.home.student_user)
    response = client.post("/me/profile", data=valid_form(world, level="vmbo_kb"))
    assert "alleen bij mbo" in response.get_data(as_text=True)


def test_an_end_date_before_the_start_date_is_refused(world, login):
    client = login(world.home.student_user)
    response = client.post("/me/profile", data=valid_form(
        world, available_from="2026-06-01", available_until="2026-01-01"))
    assert "einddatum ligt voor de begindatum" in response.get_data(as_text=True)


def test_a_school_in_another_region_is_not_offered_and_not_accepted(world, session, login):
    client = login(world.home.student_user)
    form = client.get("/me/profile").get_data(as_text=True)
    assert world.away.school.name not in form
    response = client.post("/me/profile", data=valid_form(world, school_id=world.away.school.id))
    assert response.status_code == 200
    assert 'class="field has-error"' in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(StudentProfile, world.home.student.id).school_id == world.home.school.id


def test_only_students_have_a_profile_form(world, login):
    assert login(world.home.counsellor).get("/me/profile").status_code == 403


def test_theme_search_forgives_misspelling(world, login):
    client = login(world.home.student_user)
    found = client.get("/themes/search?q=robotika").get_json()["themes"]
    assert found[0]["slug"] == "robotica"
    english = client.get("/themes/search?q=welding").get_json()["themes"]
    assert english[0]["slug"] == "lassen"


def test_theme_search_needs_a_login(client):
    assert client.get("/themes/search?q=robo").status_code == 302
