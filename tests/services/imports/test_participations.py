"""Importing participations: who took part in which activity."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from app.models import Activity, Attendance, Participation
from app.models.base import local_today
from tests import factories

from .test_support import (
    count,
    csv_bytes,
    do_import,
    messages,
    scope_of,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")
HEADER = ["activity_code", "student_number"]


def participations_file(*rows, header=HEADER, delimiter=";") -> bytes:
    return csv_bytes([header, *rows], delimiter)


def registered(session, activity) -> set[int]:
    return set(session.exec(select(Participation.student_id).where(
        Participation.activity_id == activity.id)).all())


def test_participations_are_registered_by_activity_code_and_student_number(session, world):
    home = world.home
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number],
        [home.other_activity.code, home.student.student_number]))
    assert (report.created, report.unchanged) == (2, 0), messages(report)
    assert registered(session, home.activity) == {home.student.id, home.classmate.id}
    assert registered(session, home.other_activity) == {home.student.id}
    assert report.changes[0].key == (
        f"{home.activity.code} {home.school.code} {home.classmate.student_number}")


def test_dutch_headers_work(session, world):
    home = world.home
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number],
        header=["Activiteitcode", "Leerlingnummer"]))
    assert report.created == 1, messages(report)


def test_an_existing_participation_is_left_alone_and_a_re_import_adds_nothing(session, world):
    home = world.home
    data = participations_file([home.activity.code, home.student.student_number],
                               [home.activity.code, home.classmate.student_number])
    first = do_import(session, "participations", data)
    assert (first.created, first.unchanged) == (1, 1)
    before = count(session, Participation)
    again = do_import(session, "participations", data)
    assert (again.created, again.unchanged) == (0, 2)
    assert count(session, Participation) == before


def test_the_same_participation_twice_is_a_problem_on_the_second_line(session, world):
    home = world.home
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number],
        [home.other_activity.code, home.classmate.student_number],
        [home.activity.code, home.classmate.student_number]))
    assert [(p.line, p.column) for p in report.problems] == [(4, "student_number")]
    assert "already registered" in report.problems[0].message
    assert "on line 2" in report.problems[0].message


def test_unknown_activities_and_students_are_problems(session, world):
    before = count(session, Participation)
    report = do_import(session, "participations", participations_file(
        [world.home.activity.code, world.home.classmate.student_number],
        ["NOPE", world.home.classmate.student_number],
        [world.home.activity.code, "000000"]))
    assert [(p.line, p.column) for p in report.problems] == [(3, "activity_code"),
                                                            (4, "student_number")]
    assert "Unknown activity code 'NOPE'" in report.problems[0].message
    assert "no student with number 000000" in report.problems[1].message
    assert count(session, Participation) == before


def test_an_activity_cannot_take_more_students_than_its_capacity(session, world):
    home = world.home
    home.activity.capacity = 2  # one place taken by home.student already
    session.add(home.activity)
    session.commit()
    extra = factories.make_student(session, home.school, password_hash="x", first_name="Eva")
    session.commit()
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number],
        [home.activity.code, extra.student_number]))
    assert [(p.line, p.column) for p in report.problems] == [(3, "activity_code")]
    assert "is full: it has room for 2 students" in report.problems[0].message
    assert registered(session, home.activity) == {home.student.id}


def test_a_number_used_at_two_schools_needs_a_school_code_column(session, world, password_hash):
    home = world.home
    twin = factories.make_student(session, home.other_school, password_hash=password_hash)
    twin.student_number = home.classmate.student_number
    session.add(twin)
    session.commit()
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number]))
    assert [(p.line, p.column) for p in report.problems] == [(2, "student_number")]
    assert "is used at more than one school" in report.problems[0].message
    assert "Add a column school_code (schoolcode)" in report.problems[0].message
    fixed = do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number, home.school.code],
        header=[*HEADER, "schoolcode"]))
    assert fixed.created == 1, messages(fixed)
    assert home.classmate.id in registered(session, home.activity)


def test_a_dry_run_registers_no_one(session, world):
    before = count(session, Participation)
    report = do_import(session, "participations", participations_file(
        [world.home.activity.code, world.home.classmate.student_number]), dry_run=True)
    assert report.created == 1
    assert count(session, Participation) == before


# --- who may register whom ------------------------------------------------------------

def test_a_counsellor_registers_students_of_their_school_for_its_activities(session, world):
    counsellor = world.home.counsellor
    report = do_import(session, "participations", participations_file(
        [world.home.activity.code, world.home.classmate.student_number]),
        scope_of(session, counsellor))
    assert report.created == 1, messages(report)
    row = session.exec(select(Participation).where(
        Participation.student_id == world.home.classmate.id)).one()
    assert row.registered_by_id == counsellor.id


def test_a_counsellor_cannot_register_students_of_another_school(session, world):
    home = world.home
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.other_school_student.student_number],
        [home.activity.code, world.away.student.student_number]),
        scope_of(session, home.counsellor))
    assert [(p.line, p.column) for p in report.problems] == [(2, "student_number"),
                                                            (3, "student_number")]
    assert "no student with number" in report.problems[0].message
    assert "at your school" in report.problems[0].message


def test_a_counsellor_cannot_register_for_another_schools_activity(session, world):
    home = world.home
    report = do_import(session, "participations", participations_file(
        [home.other_activity.code, home.classmate.student_number],
        [world.away.activity.code, home.classmate.student_number]),
        scope_of(session, home.counsellor))
    assert [(p.line, p.column) for p in report.problems] == [(2, "activity_code"),
                                                            (3, "activity_code")]
    assert "another school organises it" in report.problems[0].message
    assert "Unknown activity code" in report.problems[1].message


def test_a_coordinator_registers_any_student_of_the_region(session, world):
    home = world.home
    report = do_import(session, "participations", participations_file(
        [home.other_activity.code, home.classmate.student_number],
        [home.other_activity.code, home.other_school_student.student_number],
        [home.other_activity.code, world.away.student.student_number]),
        scope_of(session, home.coordinator))
    assert [(p.line, p.column) for p in report.problems] == [(4, "student_number")]


def test_a_full_activity_is_reported_together_with_unknown_students(session, world):
    home = world.home
    home.activity.capacity = 1  # taken by home.student
    session.add(home.activity)
    session.commit()
    report = do_import(session, "participations", participations_file(
        [home.activity.code, "000000"], [home.activity.code, home.classmate.student_number]))
    assert [(p.line, p.column) for p in report.problems] == [(2, "student_number"),
                                                            (3, "activity_code")]


def test_an_import_waits_for_a_registration_in_progress_and_then_respects_the_capacity(
        engine, session, world):
    """Another registrar holds the activity; the import waits for it, then finds it full."""
    home = world.home
    home.activity.capacity = 2  # home.student is registered: one place left
    session.add(home.activity)
    session.commit()
    outcome = {}
    with Session(engine, expire_on_commit=False) as other, \
            Session(engine, expire_on_commit=False) as importer:
        other.exec(sa.update(Activity).where(Activity.id == home.activity.id)
                   .values(capacity=Activity.capacity))  # the lock a registration takes
        other.add(Participation(activity_id=home.activity.id, student_id=home.classmate.id))
        other.flush()

        def run():
            outcome["report"] = do_import(importer, "participations", participations_file(
                [home.activity.code, home.other_school_student.student_number]))

        worker = threading.Thread(target=run)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive(), "the import should wait for the registration in progress"
        other.commit()
        worker.join(20)
        assert not worker.is_alive()
    assert "is full: it has room for 2 students" in messages(outcome["report"])
    assert registered(session, home.activity) == {home.student.id, home.classmate.id}


# --- attendance -----------------------------------------------------------------------

ATTENDED = [*HEADER, "aanwezig"]


def attendance(session, activity, student) -> tuple[Attendance, int | None]:
    session.expire_all()
    row = session.exec(select(Participation).where(
        Participation.activity_id == activity.id,
        Participation.student_id == student.id)).one()
    return row.attendance, row.attendance_set_by_id


def ahead(session, activity, days: int = 60):
    activity.starts_on = local_today() + timedelta(days=days)
    session.add(activity)
    session.commit()
    return activity


def test_without_attendance_a_begun_activity_counts_as_attended_and_a_later_one_registered(
        session, world):
    home = world.home
    later = ahead(session, home.other_activity)
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number],
        [later.code, home.classmate.student_number]), scope_of(session, home.coordinator))
    assert report.created == 2, messages(report)
    assert attendance(session, home.activity, home.classmate) == (
        Attendance.attended, home.coordinator.id)
    assert attendance(session, later, home.classmate) == (Attendance.registered, None)


def test_ja_and_nee_mark_attended_and_absent(session, world, password_hash):
    home = world.home
    eva = factories.make_student(session, home.school, password_hash=password_hash,
                                 first_name="Eva")
    session.commit()
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number, "ja"],
        [home.activity.code, eva.student_number, "Nee"],
        header=ATTENDED), scope_of(session, home.counsellor))
    assert report.created == 2, messages(report)
    assert attendance(session, home.activity, home.classmate) == (
        Attendance.attended, home.counsellor.id)
    assert attendance(session, home.activity, eva) == (Attendance.absent, home.counsellor.id)


def test_ja_for_an_activity_after_today_is_a_problem_and_nee_leaves_a_registration(
        session, world):
    home = world.home
    later = ahead(session, home.activity)
    report = do_import(session, "participations", participations_file(
        [later.code, home.classmate.student_number, "yes"],
        header=["activity_code", "student_number", "attended"]))
    assert [(p.line, p.column) for p in report.problems] == [(2, "attended")]
    assert (f"Activity {later.code} is on {later.starts_on.isoformat()}, after today: nobody "
            "can have attended it yet. Leave aanwezig (attended) empty (registered)") \
        in report.problems[0].message
    assert home.classmate.id not in registered(session, later)
    report = do_import(session, "participations", participations_file(
        [later.code, home.classmate.student_number, "nee"], header=ATTENDED))
    assert report.created == 1, messages(report)
    assert attendance(session, later, home.classmate) == (Attendance.registered, None)


def test_a_re_import_changes_attendance_and_an_empty_cell_keeps_it(session, world,
                                                                   password_hash):
    home = world.home
    eva = factories.make_student(session, home.school, password_hash=password_hash,
                                 first_name="Eva")
    session.commit()
    do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number, "nee"],
        [home.activity.code, eva.student_number, "nee"], header=ATTENDED))
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.classmate.student_number, "ja"],
        [home.activity.code, eva.student_number, ""], header=ATTENDED),
        scope_of(session, home.coordinator))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1), messages(report)
    assert report.changes[0].columns == ("aanwezig",)
    assert attendance(session, home.activity, home.classmate) == (
        Attendance.attended, home.coordinator.id)
    assert attendance(session, home.activity, eva)[0] is Attendance.absent


def test_an_observed_student_cannot_be_imported_absent(session, world):
    home = world.home  # home.student was observed at home.activity
    report = do_import(session, "participations", participations_file(
        [home.activity.code, home.student.student_number, "nee"], header=ATTENDED))
    assert [(p.line, p.column) for p in report.problems] == [(2, "aanwezig")]
    assert "was observed at" in report.problems[0].message
    assert attendance(session, home.activity, home.student)[0] is Attendance.attended


def test_an_attendance_that_is_not_yes_or_no_says_what_to_write(session, world):
    report = do_import(session, "participations", participations_file(
        [world.home.activity.code, world.home.classmate.student_number, "misschien"],
        header=ATTENDED))
    assert [(p.line, p.column) for p in report.problems] == [(2, "aanwezig")]
    assert "Write ja or nee" in report.problems[0].message
