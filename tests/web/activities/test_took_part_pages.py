"""Pages that say a student took part show only what they attended; a registration for
something ahead is listed apart ("Registered for"), and never as taking part."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.models import Activity, ActivityKind, Attendance, Participation, TalentObservation
from app.models.base import local_today
from app.services import dashboards, monitor
from app.services.students import talent_record
from tests import factories
from tests.web.activities.builders import in_english


def activity(session, world, title: str, day: date,
             kind: ActivityKind = ActivityKind.company_visit) -> Activity:
    made = factories.make_activity(session, world.home.region, kind=kind)
    made.title, made.starts_on = title, day
    session.add(made)
    session.commit()
    return made


def take_part(session, made, student, attendance: Attendance) -> None:
    session.add(Participation(activity_id=made.id, student_id=student.id,
                              attendance=attendance))
    session.commit()


@pytest.fixture
def lives(session, world):
    """The world's student: attended the tech week (observed there), is registered for a
    company visit ahead, was absent at a guest lesson, and was never marked at a fieldlab."""
    student = world.home.student
    today = local_today()
    made = {
        "ahead": activity(session, world, "Bedrijfsbezoek Voltwerk", today + timedelta(days=40)),
        "absent": activity(session, world, "Gastles lassen", today - timedelta(days=20),
                           ActivityKind.guest_lesson),
        "unmarked": activity(session, world, "Fieldlab robotica", today - timedelta(days=5),
                             ActivityKind.fieldlab),
    }
    take_part(session, made["ahead"], student, Attendance.registered)
    take_part(session, made["absent"], student, Attendance.absent)
    take_part(session, made["unmarked"], student, Attendance.registered)
    return made


def section(page: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</section>', page, re.S)
    return found[1] if found else ""


def test_the_home_page_lists_what_the_student_attended_and_apart_what_lies_ahead(
        world, login, lives):
    page = in_english(login(world.home.student_user)).get("/home").get_data(as_text=True)
    took_part = section(page, "took-part")
    assert "Activities you took part in" in took_part
    assert world.home.activity.title in took_part
    for made in lives.values():
        assert made.title not in took_part
    registered = section(page, "registered-for")
    assert "Registered for" in registered
    assert lives["ahead"].title in registered
    assert lives["absent"].title not in registered and lives["unmarked"].title not in registered
    assert "1 observation about you." in took_part


def test_the_home_page_counts_no_observation_dated_ahead(session, world, lives):
    session.add(TalentObservation(activity_id=world.home.activity.id,
                                  student_id=world.home.student.id,
                                  observer_id=world.home.counsellor.id, strength=3,
                                  skills="later", observed_on=local_today() + timedelta(days=3)))
    session.commit()
    home = dashboards.student_home(session=session, user=world.home.student_user)
    assert home.observation_count == 1
    assert [a.title for a in home.activities] == [world.home.activity.title]
    assert [a.title for a in home.registered] == [lives["ahead"].title]


def test_the_talent_record_holds_only_what_happened(session, world, lives):
    record = talent_record(session=session, student=world.home.student)
    titles = [entry.activity.title for year in record for entry in year.entries]
    assert titles == [world.home.activity.title]
    # On the day of the tech week itself it was there; the day before, nothing was.
    day = world.home.activity.starts_on
    assert talent_record(session=session, student=world.home.student,
                         today=day - timedelta(days=1)) == []
    assert talent_record(session=session, student=world.home.student, today=day)


def test_the_talent_record_page_shows_no_registration(world, login, lives):
    page = in_english(login(world.home.counsellor)).get(
        f"/students/{world.home.student.id}").get_data(as_text=True)
    record = section(page, "talent-record")
    assert world.home.activity.title in record
    for made in lives.values():
        assert made.title not in record


def test_the_data_export_says_the_attendance_of_every_participation(world, login, lives):
    exported = login(world.home.student_user).get("/me/export.json").get_json()
    attendance = {a["title"]: a["attendance"] for a in exported["activities"]}
    assert attendance == {world.home.activity.title: "attended",
                          lives["ahead"].title: "registered", lives["absent"].title: "absent",
                          lives["unmarked"].title: "registered"}


def test_the_counsellors_list_counts_attended_activities(session, world, lives):
    home = dashboards.counsellor_home(session=session, user=world.home.counsellor)
    row = next(r for r in home.students if r.id == world.home.student.id)
    assert row.activities == 1


def test_the_monitor_counts_as_taking_part_only_who_attended(session, world, lives):
    """Students who took part, per kind: the company visit ahead, the guest lesson missed and
    the unmarked fieldlab count nobody."""
    rows = monitor.participants(session=session, scope=monitor.Scope(), by="kind")
    took_part = {(r.school_year, r.key): r.counts.total for r in rows}
    assert took_part == {("2025-2026", ActivityKind.tech_week.value): 2}  # both regions
    funnel = monitor.funnel(session=session, scope=monitor.Scope())
    assert sum(r.took_part for r in funnel) == 2
