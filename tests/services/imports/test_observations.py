"""Importing talent observations: who saw what, and a history of every change."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import (
    ActivityObserver,
    Attendance,
    ObservationRevision,
    ObservationTheme,
    Participation,
    Role,
    TalentObservation,
    Theme,
)
from app.services.observations import observation_detail, observation_refused
from tests import factories

from .test_support import (
    OBSERVATION_HEADER,
    count,
    csv_bytes,
    do_import,
    make_observer,
    messages,
    register,
    scope_of,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")


def observations_file(*rows, header=OBSERVATION_HEADER) -> bytes:
    return csv_bytes([header, *rows])


def observation_row(activity, student, observer, **overrides) -> list[object]:
    values = {"activity_code": activity.code, "student_number": student.student_number,
              "themes": "robotica", "strength": 4, "note": "Bouwde de snelste robot.",
              "observer_email": observer.email}
    values.update(overrides)
    return [values[name] for name in OBSERVATION_HEADER]


def observations_of(session, student) -> list[TalentObservation]:
    return list(session.exec(select(TalentObservation).where(
        TalentObservation.student_id == student.id).order_by(TalentObservation.id)).all())


def theme_slugs(session, observation) -> set[str]:
    return set(session.exec(select(Theme.slug).join(ObservationTheme).where(
        ObservationTheme.observation_id == observation.id)).all())


@pytest.fixture
def scout(session, world, password_hash):
    """A talent scout assigned to the home activity, where the classmate took part too."""
    register(session, world.home.activity, world.home.classmate)
    return make_observer(session, world.home.activity, password_hash)


def test_an_observation_is_recorded_with_its_themes_on_the_activitys_date(
        session, world, scout):
    home = world.home
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, scout, themes="robotica|elektro")))
    assert report.created == 1, messages(report)
    (observation,) = observations_of(session, home.classmate)
    assert (observation.strength, observation.note, observation.observer_id) == (
        4, "Bouwde de snelste robot.", scout.id)
    assert observation.observed_on == home.activity.starts_on
    assert theme_slugs(session, observation) == {"robotica", "elektrotechniek"}


def test_optional_skills_and_date_columns(session, world, scout):
    home = world.home
    header = [*OBSERVATION_HEADER, "vaardigheden", "datum"]
    report = do_import(session, "observations", observations_file(
        [*observation_row(home.activity, home.classmate, scout), "solderen", "8-10-2025"],
        header=header))
    assert report.ok, messages(report)
    (observation,) = observations_of(session, home.classmate)
    assert (observation.skills, observation.observed_on) == ("solderen", date(2025, 10, 8))


@pytest.mark.parametrize(("column", "value", "message"), [
    ("strength", "6", "6 is not between 1 and 5"),
    ("strength", "0", "0 is not between 1 and 5"),
    ("strength", "", "Fill in sterkte (strength)"),
    ("note", "n" * 1001, "at most 1000 fit"),
    ("observer_email", "niemand@nergens.example", "no account with the e-mail address"),
    ("observer_email", "geen-adres", "is not an e-mail address"),
    ("themes", "zwemmen", "Unknown theme"),
    ("activity_code", "NOPE", "Unknown activity code 'NOPE'"),
])
def test_each_bad_value_is_a_problem_on_its_line_and_column(
        session, world, scout, column, value, message):
    home = world.home
    before = count(session, TalentObservation)
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, scout),
        observation_row(home.activity, home.student, scout, **{column: value})))
    assert [(p.line, p.column) for p in report.problems] == [(3, column)]
    assert message in report.problems[0].message
    assert count(session, TalentObservation) == before


def test_an_observation_names_at_least_one_theme_or_skill(session, world, scout):
    home = world.home
    header = [*OBSERVATION_HEADER, "skills"]
    report = do_import(session, "observations", observations_file(
        [*observation_row(home.activity, home.classmate, scout, themes=""), ""],
        [*observation_row(home.activity, home.student, scout, themes=""), "solderen"],
        header=header))
    assert [(p.line, p.column) for p in report.problems] == [(2, "themes")]
    assert "Name at least one theme or skill" in report.problems[0].message


def test_a_revision_is_read_by_the_observation_history(session, world):
    home = world.home
    (observation,) = observations_of(session, home.student)
    do_import(session, "observations", observations_file(observation_row(
        home.activity, home.student, home.counsellor, strength=2)))
    detail = observation_detail(session=session, observation=observation)
    assert [entry.revision.previous["strength"] for entry in detail.history] == [4]


def test_a_student_who_did_not_take_part_cannot_be_observed(session, world, scout):
    home = world.home
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.other_school_student, scout)))
    assert [(p.line, p.column) for p in report.problems] == [(2, "student_number")]
    assert "register the participation first" in report.problems[0].message


def test_a_student_marked_absent_cannot_be_observed(session, world, scout):
    home = world.home
    participation = session.exec(select(Participation).where(
        Participation.activity_id == home.activity.id,
        Participation.student_id == home.classmate.id)).one()
    participation.attendance = Attendance.absent
    session.add(participation)
    session.commit()
    before = count(session, TalentObservation)
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.student, scout),
        observation_row(home.activity, home.classmate, scout)))
    assert [(p.line, p.column) for p in report.problems] == [(3, "student_number")]
    # The website's words: the import and the observation form refuse by the same rule.
    web = observation_refused(session=session, activity=home.activity, student=home.classmate)
    assert report.problems[0].message == str(web)
    assert "Daan is marked absent at this activity" in report.problems[0].message
    assert count(session, TalentObservation) == before


def test_the_observer_must_be_allowed_at_the_activity(session, world, scout):
    home = world.home
    student = world.home.student_user
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, home.company_user),
        observation_row(home.activity, home.classmate, world.away.counsellor),
        observation_row(home.activity, home.classmate, student),
        observation_row(home.activity, home.classmate, home.coordinator),
        observation_row(home.activity, home.classmate, world.admin)))
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "observer_email"), (3, "observer_email"), (4, "observer_email")]
    assert "Assign them as observer of the activity first" in report.problems[0].message
    assert "may not record observations" in report.problems[1].message
    assert "is not an observer's account" in report.problems[2].message


def test_the_same_observation_twice_is_a_problem_on_the_second_line(session, world, scout):
    home = world.home
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, scout),
        observation_row(home.activity, home.classmate, home.counsellor),
        observation_row(home.activity, home.classmate, scout, strength=5)))
    assert [(p.line, p.column) for p in report.problems] == [(4, "student_number")]
    assert "already on line 2" in report.problems[0].message


def test_re_importing_the_same_observations_changes_nothing(session, world, scout):
    home = world.home
    data = observations_file(observation_row(home.activity, home.classmate, scout))
    do_import(session, "observations", data)
    before = count(session, TalentObservation), count(session, ObservationRevision)
    report = do_import(session, "observations", data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert (count(session, TalentObservation), count(session, ObservationRevision)) == before


def test_a_changed_observation_is_updated_and_its_old_values_kept_in_a_revision(
        session, world):
    home = world.home  # the fixture's observation: strength 4 by the counsellor
    (observation,) = observations_of(session, home.student)
    scope = scope_of(session, home.counsellor)
    report = do_import(session, "observations", observations_file(observation_row(
        home.activity, home.student, home.counsellor, strength=5, note="Nog beter.",
        themes="elektrotechniek|robotica")), scope)
    assert (report.created, report.updated) == (0, 1), messages(report)
    assert set(report.changes[0].columns) == {"strength", "note", "themes"}
    session.refresh(observation)
    assert (observation.strength, observation.note) == (5, "Nog beter.")
    assert observation.skills == "heel precies bij het solderen"  # no skills column: kept
    assert theme_slugs(session, observation) == {"elektrotechniek", "robotica"}
    (revision,) = session.exec(select(ObservationRevision)).all()
    assert revision.observation_id == observation.id
    assert revision.changed_by_id == home.counsellor.id
    assert revision.previous == {
        "strength": 4, "skills": "heel precies bij het solderen", "note": "", "themes": [],
        "shared_with_companies": False, "observed_on": home.activity.starts_on.isoformat()}


def test_every_change_adds_a_revision(session, world):
    home = world.home
    for strength in (2, 3, 5):
        do_import(session, "observations", observations_file(observation_row(
            home.activity, home.student, home.counsellor, strength=strength)))
    revisions = session.exec(select(ObservationRevision).order_by(ObservationRevision.id)).all()
    assert [r.previous["strength"] for r in revisions] == [4, 2, 3]
    assert count(session, TalentObservation) == 2


def test_a_dry_run_records_nothing(session, world, scout):
    home = world.home
    before = count(session, TalentObservation), count(session, ObservationRevision)
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, scout),
        observation_row(home.activity, home.student, home.counsellor, strength=1)),
        dry_run=True)
    assert (report.created, report.updated) == (1, 1)
    assert (count(session, TalentObservation), count(session, ObservationRevision)) == before


# --- who may import which observations ------------------------------------------------

def test_a_counsellor_imports_observations_of_their_own_students(session, world, scout):
    home = world.home
    scope = scope_of(session, home.counsellor)
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, scout)), scope)
    assert report.created == 1, messages(report)


def test_a_counsellor_cannot_import_observations_of_another_schools_students(
        session, world, scout):
    home = world.home
    register(session, home.activity, home.other_school_student)
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.other_school_student, scout)),
        scope_of(session, home.counsellor))
    assert [(p.line, p.column) for p in report.problems] == [(2, "student_number")]
    assert "at your school" in report.problems[0].message


def test_a_coordinator_imports_observations_in_their_region_only(session, world, scout):
    home, away = world.home, world.away
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, scout),
        observation_row(away.activity, away.student, away.counsellor)),
        scope_of(session, home.coordinator))
    assert [(p.line, p.column) for p in report.problems] == [(3, "activity_code"),
                                                            (3, "student_number")]


# --- a scout the file names is assigned to the activity --------------------------------

@pytest.fixture
def stranger(session, world, password_hash):
    """A talent scout who is not assigned to the home activity (yet)."""
    register(session, world.home.activity, world.home.classmate)
    user = factories.make_user(session, Role.observer, password_hash=password_hash)
    session.commit()
    return user


def assignments(session, activity) -> set[int]:
    return set(session.exec(select(ActivityObserver.user_id).where(
        ActivityObserver.activity_id == activity.id)).all())


def test_a_scout_not_assigned_yet_is_assigned_with_their_observations(
        session, world, stranger):
    home = world.home
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, stranger),
        observation_row(home.activity, home.student, stranger, strength=3)))
    assert report.created == 2, messages(report)
    assert assignments(session, home.activity) == {stranger.id}
    assert {o.observer_id for o in observations_of(session, home.classmate)} == {stranger.id}
    again = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, stranger, strength=5)))
    assert again.updated == 1, messages(again)
    assert count(session, ActivityObserver) == 1


def test_a_counsellor_assigns_a_scout_at_an_activity_of_their_school(session, world, stranger):
    home = world.home
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, stranger)),
        scope_of(session, home.counsellor))
    assert report.created == 1, messages(report)
    assert assignments(session, home.activity) == {stranger.id}


def test_a_scout_is_a_problem_where_the_importer_cannot_assign_observers(
        session, world, stranger):
    home = world.home  # the other activity is organised by the other school of the region
    register(session, home.other_activity, home.classmate)
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, stranger),
        observation_row(home.other_activity, home.classmate, stranger)),
        scope_of(session, home.counsellor))
    assert [(p.line, p.column) for p in report.problems] == [(3, "observer_email")]
    assert report.problems[0].message == (
        f"{stranger.email} is not an observer at activity {home.other_activity.code} yet, and "
        "you cannot assign observers there. Ask whoever organises the activity to assign "
        "them first.")
    assert count(session, ActivityObserver) == 0
    assert count(session, TalentObservation) == 2  # the fixture's, one per region


def test_a_file_with_a_problem_assigns_nobody(session, world, stranger):
    home = world.home
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, stranger),
        observation_row(home.activity, home.student, stranger, strength=9)))
    assert [(p.line, p.column) for p in report.problems] == [(3, "strength")]
    assert assignments(session, home.activity) == set()


def test_a_dry_run_assigns_nobody(session, world, stranger):
    home = world.home
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, stranger)), dry_run=True)
    assert report.ok and report.created == 1, messages(report)
    assert assignments(session, home.activity) == set()
    assert observations_of(session, home.classmate) == []


def test_an_unassigned_company_contact_or_a_student_is_never_assigned(session, world, scout):
    home = world.home
    report = do_import(session, "observations", observations_file(
        observation_row(home.activity, home.classmate, home.company_user),
        observation_row(home.activity, home.classmate, home.student_user)))
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "observer_email"), (3, "observer_email")]
    assert assignments(session, home.activity) == {scout.id}
