"""Odd input gets a clear answer, never a 500 (issue 17)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from app.db import get_session
from app.models import Activity, Placement, Region, StudentProfile, TalentObservation
from tests.conftest import PASSWORD
from tests.web.activities.builders import in_english, make_observer, make_themes
from tests.web.activities.test_activities import form_data as activity_form
from tests.web.placements.test_placements import placement_form
from tests.web.profile.test_profile import valid_form as profile_form


def test_a_500_after_a_failed_flush_still_renders_the_error_page(app, world, login):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, not raise

    def broken():
        session = get_session()
        session.add(Region(id=world.home.region.id, slug="dubbel", name="Dubbel"))
        with pytest.raises(IntegrityError):
            session.flush()
        raise RuntimeError("a bug after a failed statement")

    app.add_url_rule("/test-broken", "test_broken", broken)
    client = login(world.home.counsellor)
    response = client.get("/test-broken")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Er ging bij ons iets mis. Probeer het later opnieuw." in page
    # The layout rendered around it, with the logged-in user read after the rollback.
    assert 'data-testid="who"' in page and world.home.counsellor.display_name in page


# --- control characters, huge numbers and far dates in forms -----------------------------

CONTROL = "This text contains invisible control characters"


@pytest.fixture
def themes(session):
    made = make_themes(session)
    session.commit()
    return made


@pytest.fixture
def scout(session, world, password_hash):
    user = make_observer(session, world.home.activity, password_hash=password_hash)
    session.commit()
    return user


def _refused(response, message: str = CONTROL) -> None:
    assert response.status_code in (200, 400)
    assert message in response.get_data(as_text=True)


def test_a_nul_byte_in_the_login_form_is_refused_with_a_message(client, counsellor_user):
    response = in_english(client).post("/login", data={
        "email": counsellor_user.email + "\x00", "password": PASSWORD})
    _refused(response)
    assert client.get("/home").status_code == 302  # not logged in


def test_a_nul_byte_in_the_profile_is_refused_and_nothing_is_saved(world, login, session):
    client = in_english(login(world.home.student_user))
    response = client.post("/me/profile", data=profile_form(world, class_name="2\x00A"))
    _refused(response)
    session.expire_all()
    assert session.get(StudentProfile, world.home.student.id).class_name != "2\x00A"


def test_a_multi_line_field_keeps_newlines_and_tabs_but_a_one_line_field_refuses_a_tab(
        world, login, session):
    client = in_english(login(world.home.student_user))
    text = "robots bouwen\r\n\tsolderen"
    assert client.post("/me/profile", data=profile_form(
        world, interests_text=text, themes=[])).status_code == 302
    session.expire_all()
    assert session.get(StudentProfile, world.home.student.id).interests_text == text
    _refused(client.post("/me/profile", data=profile_form(world, class_name="2\tA")))


def test_a_nul_byte_in_the_placement_form_is_refused(world, login, session):
    client = in_english(login(world.home.company_user))
    before = len(session.exec(select(Placement)).all())
    response = client.post(f"/placements/new?company={world.home.company.id}",
                           data=placement_form(title="Stage\x00", description="a\x00b"))
    _refused(response)
    assert len(session.exec(select(Placement)).all()) == before


def test_a_nul_byte_in_the_observation_form_is_refused(world, login, session, scout, themes):
    client = in_english(login(scout))
    response = client.post(
        f"/observations/new?activity={world.home.activity.id}&student={world.home.student.id}",
        data={"themes": [str(themes["robotica"].id)], "skills": "solderen\x00",
              "strength": "5", "note": ""})
    _refused(response)
    assert session.exec(select(TalentObservation)
                        .where(TalentObservation.observer_id == scout.id)).all() == []


@pytest.mark.parametrize("capacity", ["2147483648", "99999999999999999999"])
def test_a_capacity_beyond_the_column_is_refused_with_a_message(world, login, capacity):
    client = in_english(login(world.home.company_user))
    response = client.post(f"/placements/new?company={world.home.company.id}",
                           data=placement_form(capacity=capacity))
    _refused(response, "This number is too large; give a smaller one.")


def test_a_travel_distance_far_below_the_column_is_refused(world, login):
    client = in_english(login(world.home.student_user))
    response = client.post("/me/profile", data=profile_form(world, travel_km="-9999999999"))
    _refused(response, "This number is too small; give a larger one.")


def test_an_activity_in_the_year_9999_is_refused_with_a_message(world, login, session):
    client = in_english(login(world.home.counsellor))
    response = client.post("/activities/new", data=activity_form(starts_on="9999-03-12"))
    _refused(response, "Give a date with a year from 1900 to 2999.")
    assert session.exec(select(Activity).where(Activity.school_year.startswith("9999"))
                        ).all() == []


# --- query parameters --------------------------------------------------------------------

def test_an_unknown_status_in_the_review_queue_is_a_400_that_names_the_filter(world, login):
    client = in_english(login(world.home.counsellor))
    response = client.get("/review/?status=bogus")
    assert response.status_code == 400
    assert "The address asks for an unknown “status”" in response.get_data(as_text=True)
    assert client.get("/review/?status=offered").status_code == 200


def test_an_unknown_activity_kind_is_a_400(world, login):
    client = in_english(login(world.home.counsellor))
    assert client.get("/activities/?kind=bogus").status_code == 400
    assert client.get("/activities/?kind=girlsday").status_code == 200


@pytest.mark.parametrize("value", ["2147483648", "-" + "9" * 40])
@pytest.mark.parametrize(("role", "path"), [
    ("admin", "/companies/?region={}"), ("admin", "/activities/?region={}"),
    ("admin", "/fairness/?round={}"), ("admin", "/placements/new?company={}"),
    ("admin", "/talent/?school={}"), ("counsellor", "/home?page={}"),
])
def test_an_id_beyond_the_column_is_not_found(world, login, role, path, value):
    client = login(world.admin if role == "admin" else world.home.counsellor)
    assert client.get(path.format(value)).status_code == 404


def test_a_number_that_is_no_number_is_ignored_as_before(world, login):
    client = login(world.admin)
    assert client.get("/companies/?region=abc").status_code == 200


def test_control_characters_in_a_search_are_dropped(world, login):
    client = login(world.home.counsellor)
    response = client.get("/themes/search?q=robo%00tica")
    assert response.status_code == 200 and response.get_json()["query"] == "robotica"
    assert client.get(f"/activities/{world.home.activity.id}?q=%00").status_code == 200


def test_a_school_year_beyond_the_calendar_in_the_monitor_is_a_400_with_the_rule(world, login):
    client = in_english(login(world.admin))
    for year in ("9999-10000", "9999-9999", "%00"):
        response = client.get(f"/monitor/?year={year}")
        assert response.status_code in (200, 400)
    response = client.get("/monitor/?year=9999-10000")
    assert response.status_code == 400
    assert "Choose a school year like 2025-2026." in response.get_data(as_text=True)


# --- ids beyond an INTEGER column in paths and posted forms --------------------------------

HUGE = "99999999999"


@pytest.mark.parametrize("path", ["/review/", "/placements/", "/students/", "/activities/",
                                  "/companies/", "/observations/"])
def test_a_path_id_beyond_the_column_is_not_found(app, world, login, path):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert login(world.home.counsellor).get(path + HUGE).status_code == 404


def test_huge_ids_ticked_in_the_review_queue_or_offered_as_replacement_are_not_a_500(
        app, world, login, session):
    from app.models import MatchProposal, ProposalStatus

    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = login(world.home.counsellor)
    decided = client.post("/review/decide", data={"ids": [HUGE], "approve": "1"})
    assert decided.status_code in (302, 400, 404)
    proposal = session.exec(select(MatchProposal)).first()
    if proposal is None:
        proposal = MatchProposal(student_id=world.home.student.id,
                                 placement_id=world.home.placement.id,
                                 status=ProposalStatus.proposed, score=0.5, rank=1)
        session.add(proposal)
        session.commit()
    replaced = client.post(f"/review/{proposal.id}/replace",
                           data={"placement_id": HUGE, "reason": "beter"})
    assert replaced.status_code in (302, 400, 404)


def test_a_matching_scope_beyond_the_column_is_refused_with_a_message(session):
    from app.services.matching import MatchingError
    from app.services.matching_pages import scope_of

    with pytest.raises(MatchingError):
        scope_of(session=session, key="school:" + HUGE)
