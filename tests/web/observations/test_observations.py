"""The observation pages: record, read with history, correct by the author only."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import ActivityTheme, ObservationRevision, ObservationTheme, Role, TalentObservation
from tests import factories
from tests.web.activities.builders import (
    in_english,
    make_observer,
    make_themes,
    world_observation,
)


def new_url(activity, student) -> str:
    return f"/observations/new?activity={activity.id}&student={student.id}"


def observations_by(session, user) -> list[TalentObservation]:
    session.expire_all()
    return list(session.exec(select(TalentObservation)
                             .where(TalentObservation.observer_id == user.id)).all())


@pytest.fixture
def scout(session, world, password_hash):
    user = make_observer(session, world.home.activity, password_hash=password_hash)
    session.commit()
    return user


@pytest.fixture
def themes(session):
    themes = make_themes(session)
    session.commit()
    return themes


# --- recording --------------------------------------------------------------------------

def test_the_form_offers_themes_and_labelled_strengths_with_help(world, login, scout, themes):
    page = in_english(login(scout)).get(new_url(world.home.activity, world.home.student)
                                        ).get_data(as_text=True)
    assert 'data-testid="observation-form"' in page
    assert "Robotics" in page and 'name="themes" type="checkbox"' in page
    assert page.count('name="strength" required type="radio"') == 5
    assert "5 – outstanding" in page and "1 – a first sign" in page
    assert page.count('class="help muted"') == 4
    # A scout sees the first name, school and class, not the full name.
    assert world.home.student.first_name in page
    assert world.home.student.last_name not in page
    assert world.home.school.name in page and "class 3B" in page


def test_the_themes_of_the_activity_come_first(world, login, session, scout, themes):
    session.add(ActivityTheme(activity_id=world.home.activity.id,
                              theme_id=themes["lassen"].id))
    session.commit()
    page = login(scout).get(new_url(world.home.activity, world.home.student)
                            ).get_data(as_text=True)
    assert page.index(f'name="themes" type="checkbox" value="{themes["lassen"].id}"') < min(
        page.index(f'name="themes" type="checkbox" value="{themes[slug].id}"')
        for slug in ("robotica", "elektrotechniek"))


def test_an_observer_records_an_observation_and_returns_to_the_activity(world, login, session,
                                                                        scout, themes):
    client = in_english(login(scout))
    response = client.post(new_url(world.home.activity, world.home.student), data={
        "themes": [str(themes["robotica"].id)], "skills": "leidt de robotchallenge",
        "strength": "5", "note": "Vraag naar de techniekklas."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/activities/{world.home.activity.id}#observations")
    [observation] = observations_by(session, scout)
    assert (observation.strength, observation.skills, observation.student_id) == (
        5, "leidt de robotchallenge", world.home.student.id)
    assert observation.observed_on == world.home.activity.starts_on
    assert session.exec(select(ObservationTheme.theme_id).where(
        ObservationTheme.observation_id == observation.id)).all() == [themes["robotica"].id]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your observation of Sanne is saved." in page
    assert "leidt de robotchallenge" in page  # their own observation is listed
    assert "heel precies bij het solderen" not in page  # the counsellor's is not


@pytest.mark.parametrize(("strength", "message"), [
    ("", "Choose a strength from 1 to 5."),
    ("0", "Choose a strength from 1 to 5."),
    ("6", "Choose a strength from 1 to 5."),
    ("veel", "Choose a strength from 1 to 5."),
])
def test_the_strength_must_be_one_to_five(world, login, session, strength, message):
    client = in_english(login(world.home.counsellor))
    response = client.post(new_url(world.home.activity, world.home.student),
                           data={"skills": "Wat ik typte", "strength": strength})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="strength-errors"' in page and message in page
    assert 'value="Wat ik typte"' in page
    assert len(observations_by(session, world.home.counsellor)) == 1  # only the world's


def test_an_observation_without_theme_or_skill_is_refused(world, login, session):
    page = in_english(login(world.home.counsellor)).post(
        new_url(world.home.activity, world.home.student),
        data={"strength": "3", "note": "Mijn notitie"}).get_data(as_text=True)
    assert "Name at least one theme or skill the student showed." in page
    assert 'id="skills-errors"' in page and "Mijn notitie" in page


def test_a_student_who_did_not_take_part_cannot_be_observed(world, login, session, scout):
    for user in (scout, world.home.counsellor):
        client = login(user)
        url = new_url(world.home.activity, world.home.classmate)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"skills": "x", "strength": "3"}).status_code == 404
    assert session.exec(select(TalentObservation).where(
        TalentObservation.student_id == world.home.classmate.id)).all() == []


def test_an_observer_cannot_record_at_an_activity_they_are_not_assigned_to(world, login,
                                                                           session, scout):
    client = login(scout)
    for activity, student in ((world.home.other_activity, world.home.student),
                              (world.away.activity, world.away.student)):
        assert client.get(new_url(activity, student)).status_code == 404
        assert client.post(new_url(activity, student),
                           data={"skills": "x", "strength": "3"}).status_code == 404
    assert observations_by(session, scout) == []


def test_hosts_and_students_cannot_record_and_the_form_needs_both_ids(world, login):
    for user in (world.home.company_user, world.home.student_user):
        assert login(user).get(new_url(world.home.activity, world.home.student)
                               ).status_code == 404
    client = login(world.home.counsellor)
    assert client.get("/observations/new").status_code == 404
    assert client.get(f"/observations/new?activity={world.home.activity.id}").status_code == 404


# --- reading ----------------------------------------------------------------------------

def test_the_author_and_the_students_counsellor_read_an_observation(world, login, session,
                                                                    scout):
    in_english(login(scout)).post(new_url(world.home.activity, world.home.student),
                                  data={"skills": "meet heel nauwkeurig", "strength": "4"})
    [observation] = observations_by(session, scout)
    url = f"/observations/{observation.id}"

    page = login(scout).get(url).get_data(as_text=True)
    assert "meet heel nauwkeurig" in page and world.home.student.last_name not in page
    assert f"/observations/{observation.id}/edit" in page

    page = in_english(login(world.home.counsellor)).get(url).get_data(as_text=True)
    assert "meet heel nauwkeurig" in page and world.home.student.display_name in page
    assert f"/observations/{observation.id}/edit" not in page  # not theirs to correct
    counsellor_view = login(world.home.counsellor).get(
        f"/activities/{world.home.activity.id}").get_data(as_text=True)
    assert "meet heel nauwkeurig" in counsellor_view

    assert login(world.admin).get(url).status_code == 200
    for other in (world.home.coordinator, world.away.counsellor, world.home.company_user,
                  world.home.student_user):
        assert login(other).get(url).status_code == 404


def test_another_schools_counsellor_does_not_read_the_observations_at_an_activity(
        world, login, session, password_hash):
    # A counsellor of the other school in the region may observe there, but does not read
    # what was written about a student of this school.
    other = factories.make_user(session, Role.counsellor, password_hash=password_hash,
                                school=world.home.other_school)
    session.commit()
    page = login(other).get(f"/activities/{world.home.activity.id}").get_data(as_text=True)
    assert 'data-testid="participants"' in page  # may observe
    assert "heel precies bij het solderen" not in page


# --- correcting -------------------------------------------------------------------------

def test_two_corrections_by_the_author_keep_both_earlier_versions(world, login, session,
                                                                 themes):
    observation = world_observation(session, world.home)
    client = in_english(login(world.home.counsellor))
    url = f"/observations/{observation.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="heel precies bij het solderen"' in page
    assert 'checked id="strength-3"' in page  # the current strength, 4

    response = client.post(url, data={"skills": "soldeert foutloos", "strength": "5",
                                      "themes": [str(themes["elektrotechniek"].id)]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/observations/{observation.id}")
    client.post(url, data={"skills": "soldeert foutloos", "strength": "3",
                           "note": "Toch wat onzeker bij meten."})

    session.expire_all()
    revisions = session.exec(select(ObservationRevision)
                             .where(ObservationRevision.observation_id == observation.id)
                             .order_by(ObservationRevision.id)).all()
    assert [r.previous for r in revisions] == [
        {"strength": 4, "skills": "heel precies bij het solderen", "note": "", "themes": [],
         "shared_with_companies": False},
        {"strength": 5, "skills": "soldeert foutloos", "note": "",
         "themes": ["elektrotechniek"], "shared_with_companies": False},
    ]
    assert {r.changed_by_id for r in revisions} == {world.home.counsellor.id}
    current = session.get(TalentObservation, observation.id)
    assert (current.strength, current.note) == (3, "Toch wat onzeker bij meten.")

    page = client.get(f"/observations/{observation.id}").get_data(as_text=True)
    assert "Your correction is saved" in page
    history = page[page.index('data-testid="observation-history"'):]
    # Newest first: the version with strength 5 before the original with strength 4.
    assert history.index("Strength 5 of 5") < history.index("Strength 4 of 5")
    assert "heel precies bij het solderen" in history and "Electrical engineering" in history


def test_an_unchanged_correction_adds_nothing_to_the_history(world, login, session):
    observation = world_observation(session, world.home)
    client = in_english(login(world.home.counsellor))
    client.post(f"/observations/{observation.id}/edit",
                data={"skills": observation.skills, "strength": str(observation.strength)})
    assert session.exec(select(ObservationRevision)).all() == []
    assert "Nothing was changed." in client.get(
        f"/observations/{observation.id}").get_data(as_text=True)


def test_bad_input_in_a_correction_keeps_the_observation(world, login, session):
    observation = world_observation(session, world.home)
    page = in_english(login(world.home.counsellor)).post(
        f"/observations/{observation.id}/edit",
        data={"skills": "anders", "strength": "9"}).get_data(as_text=True)
    assert 'id="strength-errors"' in page and 'value="anders"' in page
    session.expire_all()
    assert session.get(TalentObservation, observation.id).skills == (
        "heel precies bij het solderen")
    assert session.exec(select(ObservationRevision)).all() == []


@pytest.mark.parametrize("who", ["coordinator", "admin", "away_counsellor", "scout"])
def test_someone_elses_correction_answers_404_and_changes_nothing(world, login, session, scout,
                                                                 who):
    observation = world_observation(session, world.home)
    user = {"coordinator": world.home.coordinator, "admin": world.admin,
            "away_counsellor": world.away.counsellor, "scout": scout}[who]
    client = login(user)
    url = f"/observations/{observation.id}/edit"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"skills": "overschreven", "strength": "1"}
                       ).status_code == 404
    session.expire_all()
    assert session.get(TalentObservation, observation.id).strength == 4
    assert session.exec(select(ObservationRevision)).all() == []


def test_a_missing_observation_answers_404(world, login):
    client = login(world.admin)
    assert client.get("/observations/999999").status_code == 404
    assert client.get("/observations/999999/edit").status_code == 404
