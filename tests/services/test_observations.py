"""Talent observations: recording, correcting by the author, and the history kept."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import ObservationRevision, ObservationTheme, TalentObservation
from app.services import observations as service
from app.services.observations import ObservationError
from tests.web.activities.builders import make_observer, make_themes, world_observation


@pytest.fixture
def themes(session):
    themes = make_themes(session)
    session.commit()
    return themes


def record(session, world, observer, **changes):
    values = {"activity": world.home.activity, "student": world.home.student,
              "observer": observer, "skills": "leidt de robotchallenge", "strength": 5,
              "note": "Vraag naar de techniekklas."}
    values.update(changes)
    return service.record_observation(session=session, **values)


def theme_slugs(session, observation) -> list[str]:
    return [t.slug for t in service.observation_themes(session=session, observation=observation)]


def test_an_observer_records_what_a_participant_showed(session, world, themes, password_hash):
    scout = make_observer(session, world.home.activity, password_hash=password_hash)
    session.commit()
    observation = record(session, world, scout,
                         theme_ids=[themes["robotica"].id, themes["elektrotechniek"].id])

    stored = session.get(TalentObservation, observation.id)
    assert stored.observer_id == scout.id
    assert stored.student_id == world.home.student.id
    assert stored.activity_id == world.home.activity.id
    assert stored.observed_on == world.home.activity.starts_on
    assert (stored.strength, stored.skills, stored.note) == (
        5, "leidt de robotchallenge", "Vraag naar de techniekklas.")
    assert sorted(theme_slugs(session, stored)) == ["elektrotechniek", "robotica"]


def test_only_participants_can_be_observed(session, world):
    with pytest.raises(ObservationError, match="did not take part in this activity"):
        record(session, world, world.home.counsellor, student=world.home.classmate)
    assert session.exec(select(TalentObservation)
                        .where(TalentObservation.student_id == world.home.classmate.id)
                        ).first() is None


@pytest.mark.parametrize("strength", [0, 6, -1, None, "veel"])
def test_the_strength_is_from_one_to_five(session, world, strength):
    with pytest.raises(ObservationError, match="strength from 1 to 5") as error:
        record(session, world, world.home.counsellor, strength=strength)
    assert error.value.field == "strength"


@pytest.mark.parametrize("strength", [1, 5, "3"])
def test_every_strength_from_one_to_five_is_accepted(session, world, strength):
    assert record(session, world, world.home.counsellor, strength=strength).strength == int(
        strength)


def test_an_observation_names_a_theme_or_a_skill(session, world, themes):
    with pytest.raises(ObservationError, match="at least one theme or skill") as error:
        record(session, world, world.home.counsellor, skills="   ")
    assert error.value.field == "skills"
    only_theme = record(session, world, world.home.counsellor, skills="",
                        theme_ids=[themes["lassen"].id])
    assert theme_slugs(session, only_theme) == ["lassen"]


def test_too_long_texts_are_refused_with_the_limit(session, world):
    with pytest.raises(ObservationError, match="300 characters"):
        record(session, world, world.home.counsellor, skills="x" * 301)
    with pytest.raises(ObservationError, match="1000 characters"):
        record(session, world, world.home.counsellor, note="x" * 1001)


def test_unknown_themes_are_refused(session, world):
    with pytest.raises(ObservationError, match="themes"):
        record(session, world, world.home.counsellor, theme_ids=[424242])


def test_two_corrections_keep_two_revisions_with_the_values_before_each(session, world,
                                                                         themes):
    author = world.home.counsellor
    observation = record(session, world, author, strength=2, skills="soldeert netjes",
                         note="eerste indruk", theme_ids=[themes["elektrotechniek"].id])
    created_at = observation.updated_at

    first = service.correct_observation(
        session=session, observation=observation, editor=author, strength=3,
        skills="soldeert heel precies", note="eerste indruk",
        theme_ids=[themes["elektrotechniek"].id, themes["robotica"].id])
    second = service.correct_observation(
        session=session, observation=observation, editor=author, strength=4,
        skills="soldeert heel precies", note="tweede dag nog beter",
        theme_ids=[themes["robotica"].id])

    assert first.previous == {"strength": 2, "skills": "soldeert netjes",
                              "note": "eerste indruk", "themes": ["elektrotechniek"],
                              "shared_with_companies": False}
    assert second.previous == {"strength": 3, "skills": "soldeert heel precies",
                               "note": "eerste indruk",
                               "themes": ["elektrotechniek", "robotica"],
                               "shared_with_companies": False}
    assert {first.changed_by_id, second.changed_by_id} == {author.id}

    session.expire_all()
    current = session.get(TalentObservation, observation.id)
    assert (current.strength, current.note) == (4, "tweede dag nog beter")
    assert theme_slugs(session, current) == ["robotica"]
    assert current.updated_at.replace(tzinfo=None) > created_at.replace(tzinfo=None)
    history = service.observation_history(session=session, observation=current)
    assert [r.id for r in history] == [second.id, first.id]  # newest first


def test_a_correction_that_changes_nothing_stores_no_revision(session, world):
    observation = world_observation(session, world.home)
    revision = service.correct_observation(
        session=session, observation=observation, editor=world.home.counsellor,
        strength=observation.strength, skills=observation.skills, note=observation.note)
    assert revision is None
    assert service.observation_history(session=session, observation=observation) == []


@pytest.mark.parametrize("who", ["coordinator", "admin", "other counsellor"])
def test_only_the_author_corrects_and_nothing_changes_otherwise(session, world, who):
    observation = world_observation(session, world.home)
    editor = {"coordinator": world.home.coordinator, "admin": world.admin,
              "other counsellor": world.away.counsellor}[who]
    with pytest.raises(ObservationError, match="Only the observer who wrote"):
        service.correct_observation(session=session, observation=observation, editor=editor,
                                    strength=1, skills="anders")
    session.expire_all()
    assert session.get(TalentObservation, observation.id).strength == 4
    assert session.exec(select(ObservationRevision)).all() == []


def test_a_correction_with_bad_input_keeps_the_observation_and_stores_no_revision(session,
                                                                                   world):
    observation = world_observation(session, world.home)
    with pytest.raises(ObservationError, match="strength from 1 to 5"):
        service.correct_observation(session=session, observation=observation,
                                    editor=world.home.counsellor, strength=9, skills="x")
    assert session.exec(select(ObservationRevision)).all() == []


def test_observations_at_an_activity_come_with_student_observer_and_themes(session, world,
                                                                          themes):
    observation = record(session, world, world.home.counsellor,
                         theme_ids=[themes["lassen"].id])
    rows = service.observations_at(session=session, activity=world.home.activity)
    assert len(rows) == 2
    row = next(r for r in rows if r.observation.id == observation.id)
    assert row.student.id == world.home.student.id
    assert row.school.id == world.home.school.id
    assert row.observer.id == world.home.counsellor.id
    assert [t.slug for t in row.themes] == ["lassen"]
    assert session.exec(select(ObservationTheme)).all()
    assert service.observations_at(session=session, activity=world.away.other_activity) == []
