"""The activity pages: list, create and edit, participants, observers."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select
from werkzeug.security import check_password_hash

from app.models import Activity, ActivityObserver, ActivityTheme, Participation, Role, User
from tests.web.activities.builders import in_english, make_class, make_observer, make_themes


def form_data(**changes):
    data = {"kind": "girlsday", "pillar": "", "title": "Girlsday bij Voltwerk",
            "description": "Meiden bouwen een robotarm.", "starts_on": "2026-03-12",
            "ends_on": "", "postcode": "6901", "host_company_id": "", "capacity": ""}
    data.update(changes)
    return data


def newest_activity(session) -> Activity:
    session.expire_all()
    return session.exec(select(Activity).order_by(Activity.id.desc())).first()


def participants(session, activity) -> set[int]:
    session.expire_all()
    return set(session.exec(select(Participation.student_id)
                            .where(Participation.activity_id == activity.id)).all())


# --- the list ---------------------------------------------------------------------------

def test_the_list_shows_the_activities_of_the_users_region_only(world, login):
    page = in_english(login(world.home.coordinator)).get("/activities/").get_data(as_text=True)
    assert 'data-testid="activity-list"' in page
    assert f'/activities/{world.home.activity.id}"' in page
    assert f'/activities/{world.home.other_activity.id}"' in page
    assert f'/activities/{world.away.activity.id}"' not in page
    assert "2 activities" in page


def test_the_list_filters_by_kind_and_school_year(world, login):
    client = in_english(login(world.home.counsellor))
    page = client.get("/activities/?kind=girlsday").get_data(as_text=True)
    assert f'/activities/{world.home.other_activity.id}"' in page
    assert f'/activities/{world.home.activity.id}"' not in page
    page = client.get("/activities/?year=2025-2026").get_data(as_text=True)
    assert "2 activities" in page
    # An unknown school year shows everything rather than an error.
    assert "2 activities" in client.get("/activities/?year=1999").get_data(as_text=True)


def test_the_list_pages_through_many_activities(world, login, session):
    client = in_english(login(world.home.coordinator))
    for n in range(30):
        client.post("/activities/new", data=form_data(title=f"PET {n:02d}", kind="pet_event",
                                                      starts_on=f"2026-01-{n % 28 + 1:02d}"))
    first = client.get("/activities/").get_data(as_text=True)
    assert "Page 1 of 2" in first and "32 activities" in first
    second = client.get("/activities/?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second
    assert f'/activities/{world.home.activity.id}"' in second  # the oldest come last


def test_an_admin_sees_every_region_and_can_filter_one(world, login):
    client = in_english(login(world.admin))
    page = client.get("/activities/").get_data(as_text=True)
    assert world.home.region.name in page and world.away.region.name in page
    assert "4 activities" in page
    page = client.get(f"/activities/?region={world.away.region.id}").get_data(as_text=True)
    assert f'/activities/{world.away.activity.id}"' in page
    assert f'/activities/{world.home.activity.id}"' not in page


# --- creating and editing ---------------------------------------------------------------

def test_the_new_activity_form_has_help_texts_and_the_regions_companies(world, login, session):
    make_themes(session)
    session.commit()
    page = in_english(login(world.home.counsellor)).get("/activities/new").get_data(
        as_text=True)
    assert world.home.company.name in page
    assert world.away.company.name not in page
    assert "Electrical engineering" in page  # theme labels in the page's language
    assert page.count('class="help muted"') >= 10
    assert 'name="region_id"' not in page  # only an admin chooses the region


def test_a_counsellor_creates_an_activity_and_lands_on_it(world, login, session):
    themes = make_themes(session)
    session.commit()
    client = in_english(login(world.home.counsellor))
    response = client.post("/activities/new", data=form_data(
        host_company_id=str(world.home.company.id), capacity="25",
        themes=[str(themes["robotica"].id), str(themes["lassen"].id)]))
    activity = newest_activity(session)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/activities/{activity.id}")
    assert (activity.title, activity.region_id, activity.school_id) == (
        "Girlsday bij Voltwerk", world.home.region.id, world.home.school.id)
    assert activity.pillar.value == "kiezen" and activity.capacity == 25
    assert activity.host_company_id == world.home.company.id
    assert len(session.exec(select(ActivityTheme)
                            .where(ActivityTheme.activity_id == activity.id)).all()) == 2
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is created" in page and "Zevenaar" in page


def test_a_coordinator_creates_an_activity_in_their_region(world, login, session):
    response = login(world.home.coordinator).post(
        "/activities/new", data=form_data(kind="fieldlab", title="Fieldlab cobots"))
    assert response.status_code == 302
    activity = newest_activity(session)
    assert activity.region_id == world.home.region.id and activity.school_id is None
    assert activity.pillar.value == "innoveren"


def test_an_admin_creates_an_activity_in_a_chosen_region(world, login, session):
    client = in_english(login(world.admin))
    page = client.post("/activities/new", data=form_data()).get_data(as_text=True)
    assert "Choose the region of the activity." in page
    response = client.post("/activities/new", data=form_data(
        region_id=str(world.away.region.id), host_company_id=str(world.away.company.id)))
    assert response.status_code == 302
    assert newest_activity(session).region_id == world.away.region.id


@pytest.mark.parametrize("who", ["student_user", "company_user"])
def test_students_and_companies_may_not_create_activities(world, login, session, who):
    client = login(getattr(world.home, who))
    assert client.get("/activities/new").status_code == 403
    assert client.post("/activities/new", data=form_data()).status_code == 403
    assert client.get("/activities/").status_code == 403
    assert len(session.exec(select(Activity)).all()) == 4


def test_an_observer_may_not_create_or_list_activities(world, login, session, password_hash):
    scout = make_observer(session, world.home.activity, password_hash=password_hash)
    session.commit()
    client = login(scout)
    assert client.get("/activities/new").status_code == 403
    assert client.get("/activities/").status_code == 403
    assert client.get(f"/activities/{world.home.activity.id}/edit").status_code == 404


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"postcode": "12"}, "postcode", "Enter the 4 digits of a Dutch postcode, e.g. 6901."),
    ({"postcode": "1000"}, "postcode", "1000 is not a known Dutch postcode. Check the digits."),
    ({"postcode": ""}, "postcode", "Enter the 4 digits of a Dutch postcode, e.g. 6901."),
    ({"capacity": "0"}, "capacity", "The capacity must be at least 1, or empty for no limit."),
    ({"title": ""}, "title", "Give the activity a title."),
    ({"starts_on": ""}, "starts_on", "Give the date of the activity."),
    ({"ends_on": "2026-03-01"}, "ends_on", "The end date cannot be before the start date."),
    ({"kind": "other"}, "pillar", "Choose a pillar: this kind of activity has no usual one."),
])
def test_bad_input_shows_the_message_at_the_field_and_keeps_what_was_typed(
        world, login, session, changes, field, message):
    client = in_english(login(world.home.coordinator))
    response = client.post("/activities/new", data=form_data(
        description="Wat ik net typte", **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-errors"' in page
    assert message in page
    assert "Wat ik net typte" in page
    assert len(session.exec(select(Activity)).all()) == 4


def test_a_host_company_of_another_region_is_refused(world, login, session):
    # An admin can pick any company; the activity's region decides.
    client = in_english(login(world.admin))
    page = client.post("/activities/new", data=form_data(
        region_id=str(world.home.region.id), host_company_id=str(world.away.company.id))
    ).get_data(as_text=True)
    assert f"{world.away.company.name} is in another region" in page
    assert 'id="host_company_id-errors"' in page
    # A counsellor cannot even choose it.
    page = in_english(login(world.home.counsellor)).post("/activities/new", data=form_data(
        host_company_id=str(world.away.company.id))).get_data(as_text=True)
    assert 'id="host_company_id-errors"' in page
    assert len(session.exec(select(Activity)).all()) == 4


def test_the_edit_form_starts_from_the_activity_and_saves_changes(world, login, session):
    themes = make_themes(session)
    session.add(ActivityTheme(activity_id=world.home.activity.id,
                              theme_id=themes["lassen"].id))
    session.commit()
    client = in_english(login(world.home.counsellor))
    url = f"/activities/{world.home.activity.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Week van de Techniek"' in page
    checked = re.findall(r'<input checked id="themes-\d+" name="themes" type="checkbox" '
                         r'value="(\d+)"', page)
    assert checked == [str(themes["lassen"].id)]
    response = client.post(url, data=form_data(title="Techniekweek 2026",
                                               kind="week_van_de_techniek",
                                               themes=[str(themes["robotica"].id)],
                                               capacity="30"))
    assert response.status_code == 302
    session.expire_all()
    activity = session.get(Activity, world.home.activity.id)
    assert (activity.title, activity.capacity) == ("Techniekweek 2026", 30)
    assert session.exec(select(ActivityTheme.theme_id).where(
        ActivityTheme.activity_id == activity.id)).all() == [themes["robotica"].id]
    assert "The changes are saved." in client.get(response.headers["Location"]).get_data(
        as_text=True)


def test_the_capacity_cannot_be_set_below_the_participants(world, login, session):
    client = in_english(login(world.home.coordinator))
    client.post(f"/activities/{world.home.activity.id}/participants",
                data={"student": world.home.classmate.id})
    page = client.post(f"/activities/{world.home.activity.id}/edit", data=form_data(
        capacity="1")).get_data(as_text=True)
    assert "2 students are already registered: the capacity cannot be lower than that." in page


@pytest.mark.parametrize(("who", "activity", "status"), [
    ("home.counsellor", "home.activity", 200),        # their school organises it
    ("home.counsellor", "home.other_activity", 404),  # another school in the region
    ("home.coordinator", "home.other_activity", 200),
    ("home.coordinator", "away.activity", 404),       # another region
    ("home.counsellor", "away.activity", 404),
    ("admin", "away.activity", 200),
])
def test_editing_follows_who_manages_the_activity(world, login, who, activity, status):
    user = world.admin if who == "admin" else getattr(world.home, who.split(".")[1])
    side, name = activity.split(".")
    target = getattr(getattr(world, side), name)
    client = login(user)
    assert client.get(f"/activities/{target.id}/edit").status_code == status
    response = client.post(f"/activities/{target.id}/edit", data=form_data())
    assert response.status_code == (302 if status == 200 else 404)


def test_a_counsellor_manages_an_activity_they_created_for_another_school(world, login,
                                                                          session):
    client = login(world.home.counsellor)
    client.post("/activities/new", data=form_data())
    activity = newest_activity(session)
    activity.school_id = world.home.other_school.id
    session.add(activity)
    session.commit()
    assert client.get(f"/activities/{activity.id}/edit").status_code == 200


# --- participants -----------------------------------------------------------------------

def test_managers_see_full_names_and_numbers_and_the_registration_forms(world, login):
    page = in_english(login(world.home.counsellor)).get(
        f"/activities/{world.home.activity.id}").get_data(as_text=True)
    assert world.home.student.display_name in page
    assert world.home.student.student_number in page
    assert 'data-testid="register-student"' in page
    assert 'data-testid="register-class"' in page
    assert 'data-testid="assign-observer"' in page
    # The select offers the classmate (not registered yet), not the registered student.
    assert f'<option value="{world.home.classmate.id}">' in page
    assert f'<option value="{world.home.student.id}">' not in page
    # A counsellor registers students of their own school only.
    assert f'<option value="{world.home.other_school_student.id}">' not in page


def test_a_coordinator_can_register_students_of_every_school_in_the_region(world, login):
    page = login(world.home.coordinator).get(
        f"/activities/{world.home.activity.id}").get_data(as_text=True)
    assert f'<option value="{world.home.other_school_student.id}">' in page
    assert f'<option value="{world.away.student.id}">' not in page


def test_the_student_list_can_be_searched_by_name_or_number(world, login):
    client = login(world.home.coordinator)
    url = f"/activities/{world.home.activity.id}"
    page = client.get(url, query_string={"q": "Fleur"}).get_data(as_text=True)
    assert f'<option value="{world.home.other_school_student.id}">' in page
    assert f'<option value="{world.home.classmate.id}">' not in page
    page = client.get(url, query_string={"q": world.home.classmate.student_number}
                      ).get_data(as_text=True)
    assert f'<option value="{world.home.classmate.id}">' in page


def test_a_single_student_is_registered(world, login, session):
    client = in_english(login(world.home.counsellor))
    response = client.post(f"/activities/{world.home.activity.id}/participants",
                           data={"student": world.home.classmate.id})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/activities/{world.home.activity.id}#participants")
    assert participants(session, world.home.activity) == {world.home.student.id,
                                                          world.home.classmate.id}
    page = client.get(f"/activities/{world.home.activity.id}").get_data(as_text=True)
    assert f"{world.home.classmate.display_name} is registered." in page


def test_registering_someone_already_there_says_so(world, login, session):
    client = in_english(login(world.home.counsellor))
    client.post(f"/activities/{world.home.activity.id}/participants",
                data={"student": world.home.student.id})
    page = client.get(f"/activities/{world.home.activity.id}").get_data(as_text=True)
    assert "was already registered" in page
    assert participants(session, world.home.activity) == {world.home.student.id}


def test_a_counsellor_cannot_register_a_student_of_another_school(world, login, session):
    client = in_english(login(world.home.counsellor))
    for student in (world.home.other_school_student, world.away.student):
        response = client.post(f"/activities/{world.home.activity.id}/participants",
                               data={"student": student.id})
        assert response.status_code == 200
        assert "Choose a student from the list." in response.get_data(as_text=True)
    page = client.post(f"/activities/{world.home.activity.id}/participants",
                       data={"student": ""}).get_data(as_text=True)
    assert "Choose a student." in page
    assert participants(session, world.home.activity) == {world.home.student.id}


def test_a_whole_class_is_registered_and_those_already_there_skipped(world, login, session,
                                                                     password_hash):
    extra = make_class(session, world.home.school, 2, password_hash=password_hash)
    session.commit()
    client = in_english(login(world.home.counsellor))
    page = client.get(f"/activities/{world.home.activity.id}").get_data(as_text=True)
    ref = f"{world.home.school.id}:3B"
    assert f'value="{ref}"' in page and "3B (4 students)" in page
    response = client.post(f"/activities/{world.home.activity.id}/participants/class",
                           data={"class_ref": ref})
    assert response.status_code == 302
    assert participants(session, world.home.activity) == {
        world.home.student.id, world.home.classmate.id, *(s.id for s in extra)}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 students registered. 1 was already registered and was skipped." in page


def test_a_counsellor_cannot_register_a_class_of_another_school(world, login, session):
    client = in_english(login(world.home.counsellor))
    response = client.post(f"/activities/{world.home.activity.id}/participants/class",
                           data={"class_ref": f"{world.home.other_school.id}:3B"})
    assert response.status_code == 200
    assert 'id="class_ref-errors"' in response.get_data(as_text=True)
    assert participants(session, world.home.activity) == {world.home.student.id}


def test_a_class_larger_than_the_free_places_is_refused_and_nobody_registered(
        world, login, session, password_hash):
    activity = world.home.activity
    activity.capacity = 3
    session.add(activity)
    make_class(session, world.home.school, 2, password_hash=password_hash)
    session.commit()
    client = in_english(login(world.home.counsellor))
    response = client.post(f"/activities/{activity.id}/participants/class",
                           data={"class_ref": f"{world.home.school.id}:3B"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Only 2 places are free, not enough for 3 students. Nobody was registered" in page
    assert "2 places free" in page
    assert participants(session, activity) == {world.home.student.id}


def test_a_full_activity_refuses_one_more_student(world, login, session):
    activity = world.home.activity
    activity.capacity = 1
    session.add(activity)
    session.commit()
    page = in_english(login(world.home.counsellor)).post(
        f"/activities/{activity.id}/participants", data={"student": world.home.classmate.id}
    ).get_data(as_text=True)
    assert "The activity is full (1 place)." in page
    assert participants(session, activity) == {world.home.student.id}


def test_unregistering_a_participant(world, login, session):
    client = in_english(login(world.home.counsellor))
    url = f"/activities/{world.home.activity.id}"
    client.post(f"{url}/participants", data={"student": world.home.classmate.id})
    response = client.post(f"{url}/participants/{world.home.classmate.id}/remove")
    assert response.status_code == 302
    assert participants(session, world.home.activity) == {world.home.student.id}
    # Someone who was observed there stays, with the reason.
    client.post(f"{url}/participants/{world.home.student.id}/remove")
    assert "cannot be unregistered" in client.get(url).get_data(as_text=True)
    assert participants(session, world.home.activity) == {world.home.student.id}
    # Another school's student is not this counsellor's to remove.
    assert client.post(f"{url}/participants/{world.home.other_school_student.id}/remove"
                       ).status_code == 404


# --- observers --------------------------------------------------------------------------

def test_an_organiser_makes_an_observer_account_and_hands_over_the_password(world, login,
                                                                            session):
    client = in_english(login(world.home.counsellor))
    response = client.post(f"/activities/{world.home.activity.id}/observers", data={
        "email": "ria@honk1.example", "display_name": "Ria Scout",
        "password": "handed-over-1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#observers")
    user = session.exec(select(User).where(User.email == "ria@honk1.example")).one()
    assert user.role is Role.observer
    assert check_password_hash(user.password_hash, "handed-over-1")
    page = client.get(f"/activities/{world.home.activity.id}").get_data(as_text=True)
    assert "Hand over the initial password yourself" in page
    assert "Ria Scout" in page and "handed-over-1" not in page


def test_an_existing_company_contact_is_assigned_by_email(world, login, session):
    client = in_english(login(world.home.coordinator))
    response = client.post(f"/activities/{world.home.activity.id}/observers",
                           data={"email": world.home.company_user.email})
    assert response.status_code == 302
    assert session.get(ActivityObserver, (world.home.activity.id,
                                          world.home.company_user.id)) is not None


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"email": "nieuw@honk1.example"}, "display_name", "Fill in a name and an initial password"),
    ({"email": "nieuw@honk1.example", "display_name": "Nieuw", "password": "kort"},
     "password", "Use at least 10 characters."),
    ({"email": ""}, "email", "Enter an e-mail address."),
    ({"email": "geen-adres"}, "email", "Enter an e-mail address, e.g. name@company.nl."),
])
def test_bad_observer_input_is_shown_at_the_field(world, login, session, data, field, message):
    client = in_english(login(world.home.counsellor))
    response = client.post(f"/activities/{world.home.activity.id}/observers", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-errors"' in page and message in page
    assert f'value="{data["email"]}"' in page  # what was typed stays
    assert session.exec(select(ActivityObserver)).all() == []


def test_a_student_cannot_be_made_an_observer(world, login, session):
    page = in_english(login(world.home.counsellor)).post(
        f"/activities/{world.home.activity.id}/observers",
        data={"email": world.home.student_user.email}).get_data(as_text=True)
    assert "cannot be an observer" in page
    assert session.exec(select(ActivityObserver)).all() == []


def test_an_observer_is_removed(world, login, session, password_hash):
    scout = make_observer(session, world.home.activity, password_hash=password_hash)
    session.commit()
    client = login(world.home.counsellor)
    url = f"/activities/{world.home.activity.id}/observers/{scout.id}/remove"
    assert client.post(url).status_code == 302
    assert session.exec(select(ActivityObserver)).all() == []
    assert client.post(url).status_code == 404  # no longer there
    assert login(scout).get(f"/activities/{world.home.activity.id}").status_code == 404


# --- what an observer sees --------------------------------------------------------------

def test_an_observer_sees_first_name_school_and_class_only(world, login, session,
                                                          password_hash):
    scout = make_observer(session, world.home.activity, password_hash=password_hash)
    session.commit()
    client = in_english(login(scout))
    page = client.get(f"/activities/{world.home.activity.id}").get_data(as_text=True)
    student = world.home.student
    assert student.first_name in page
    assert world.home.school.name in page and student.class_name in page
    assert student.last_name not in page
    assert student.student_number not in page
    assert f"/students/{student.id}" not in page
    assert f"/observations/new?activity={world.home.activity.id}&amp;student={student.id}" in page
    # No management, and not the counsellor's observation.
    assert 'data-testid="register-student"' not in page
    assert 'data-testid="assign-observer"' not in page
    assert "heel precies bij het solderen" not in page


def test_an_observer_sees_only_the_activities_they_are_assigned_to(world, login, session,
                                                                   password_hash):
    scout = make_observer(session, world.home.activity, password_hash=password_hash)
    session.commit()
    client = login(scout)
    assert client.get(f"/activities/{world.home.activity.id}").status_code == 200
    assert client.get(f"/activities/{world.home.other_activity.id}").status_code == 404
    assert client.get(f"/activities/{world.away.activity.id}").status_code == 404
    for path in ("participants", "observers"):
        assert client.post(f"/activities/{world.home.activity.id}/{path}",
                           data={"student": world.home.classmate.id,
                                 "email": "x@y.nl"}).status_code == 404
    assert participants(session, world.home.activity) == {world.home.student.id}


def test_people_who_neither_manage_nor_observe_see_no_participants(world, login):
    # The host company's contact and a participating student see the activity, not who came.
    for user in (world.home.company_user, world.home.student_user):
        page = login(user).get(f"/activities/{world.home.activity.id}").get_data(as_text=True)
        assert 'data-testid="participants"' not in page
        assert world.home.student.student_number not in page
