"""Attendance on the activity page: per student, or everyone (or a class) at once."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.models import Attendance, Participation
from app.models.base import local_today
from tests.web.activities.builders import in_english, make_class, make_observer


def attendance_of(session, activity, student) -> Attendance:
    session.expire_all()
    return session.exec(select(Participation.attendance).where(
        Participation.activity_id == activity.id,
        Participation.student_id == student.id)).one()


def register(session, activity, *students):
    for student in students:
        session.add(Participation(activity_id=activity.id, student_id=student.id))
    session.commit()


def starting(session, activity, day: date):
    activity.starts_on = day
    session.add(activity)
    session.commit()
    return activity


def page_of(client, activity) -> str:
    return client.get(f"/activities/{activity.id}").get_data(as_text=True)


def cell(page: str, student) -> str:
    """The attendance cell of a participant's row."""
    found = re.search(rf'data-testid="attendance-{student.id}">(.*?)</td>', page, re.S)
    assert found, f"no attendance cell for student {student.id}"
    return found[1]


def test_the_organiser_marks_a_student_attended_and_sees_who_marked_it(world, login,
                                                                       session):
    home = world.home
    register(session, home.activity, home.classmate)
    client = in_english(login(home.counsellor))
    page = page_of(client, home.activity)
    assert "Registered" in cell(page, home.classmate)
    assert 'name="attendance" value="attended"' in cell(page, home.classmate)
    response = client.post(f"/activities/{home.activity.id}/attendance/{home.classmate.id}",
                           data={"attendance": "attended"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/activities/{home.activity.id}#participant-{home.classmate.id}")
    assert attendance_of(session, home.activity, home.classmate) is Attendance.attended
    page = page_of(client, home.activity)
    assert f"{home.classmate.display_name} is marked as attended." in page
    marked = cell(page, home.classmate)
    assert "status-attended" in marked and f"by {home.counsellor.display_name}" in marked
    # Only the other choice is offered now: a correction.
    assert 'value="absent"' in marked and 'value="attended"' not in marked
    assert "Attended: 2 · Absent: 0 · Registered: 0" in page


def test_an_observed_student_cannot_be_marked_absent_and_the_page_says_why(world, login,
                                                                          session):
    client = in_english(login(world.home.coordinator))
    client.post(f"/activities/{world.home.activity.id}/attendance/{world.home.student.id}",
                data={"attendance": "absent"})
    assert "was observed at this activity" in page_of(client, world.home.activity)
    assert attendance_of(session, world.home.activity, world.home.student) \
        is Attendance.attended


def test_before_the_activity_begins_there_is_nothing_to_mark(world, login, session):
    home = world.home
    later = starting(session, home.activity, local_today() + timedelta(days=10))
    register(session, later, home.classmate)
    client = in_english(login(home.counsellor))
    page = page_of(client, later)
    assert 'data-testid="attendance-later"' in page
    assert "Attendance can be recorded from" in page
    assert 'data-testid="everyone-attended"' not in page
    assert 'name="attendance"' not in page
    # Nothing to observe yet either.
    assert "/observations/new?" not in page
    client.post(f"/activities/{later.id}/attendance/{home.classmate.id}",
                data={"attendance": "attended"})
    client.post(f"/activities/{later.id}/attendance", data={"group": ""})
    page = page_of(client, later)
    assert "attendance can be recorded from that day on" in page
    assert attendance_of(session, later, home.classmate) is Attendance.registered


def test_everyone_still_registered_is_marked_attended_at_once(world, login, session,
                                                              password_hash):
    home = world.home
    kims = make_class(session, home.school, 3, password_hash=password_hash)
    session.commit()
    register(session, home.activity, *kims)
    client = in_english(login(home.coordinator))
    client.post(f"/activities/{home.activity.id}/attendance/{kims[0].id}",
                data={"attendance": "absent"})
    page = page_of(client, home.activity)
    assert "Everyone still registered" in page
    response = client.post(f"/activities/{home.activity.id}/attendance", data={"group": ""})
    assert response.status_code == 302
    assert [attendance_of(session, home.activity, s) for s in kims] == [
        Attendance.absent, Attendance.attended, Attendance.attended]
    assert "2 students marked as attended." in page_of(client, home.activity)


def test_one_class_is_marked_attended(world, login, session, password_hash):
    home = world.home
    three_b = make_class(session, home.school, 2, password_hash=password_hash)
    four_a = make_class(session, home.school, 2, password_hash=password_hash,
                        class_name="4A")
    session.commit()
    register(session, home.activity, *three_b, *four_a)
    client = in_english(login(home.counsellor))
    page = page_of(client, home.activity)
    value = f"{home.school.id}:4A"
    assert f'<option value="{value}">Class 4A</option>' in page
    client.post(f"/activities/{home.activity.id}/attendance", data={"group": value})
    assert [attendance_of(session, home.activity, s) for s in (*three_b, *four_a)] == [
        Attendance.registered, Attendance.registered, Attendance.attended, Attendance.attended]
    # A class that is not among the choices is refused at the field, nothing changes.
    response = client.post(f"/activities/{home.activity.id}/attendance",
                           data={"group": f"{world.away.school.id}:3B"})
    assert response.status_code == 200
    assert attendance_of(session, home.activity, three_b[0]) is Attendance.registered


def test_a_students_counsellor_marks_their_own_students_at_an_activity_of_another_school(
        world, login, session):
    home = world.home
    register(session, home.other_activity, home.classmate, home.other_school_student)
    client = in_english(login(home.counsellor))  # other_activity is the other school's
    page = page_of(client, home.other_activity)
    assert 'name="attendance"' in cell(page, home.classmate)
    assert 'name="attendance"' not in cell(page, home.other_school_student)
    assert "Everyone of your school still registered" in page
    client.post(f"/activities/{home.other_activity.id}/attendance", data={"group": ""})
    assert attendance_of(session, home.other_activity, home.classmate) is Attendance.attended
    assert attendance_of(session, home.other_activity, home.other_school_student) \
        is Attendance.registered
    response = client.post(f"/activities/{home.other_activity.id}/attendance/"
                           f"{home.other_school_student.id}", data={"attendance": "attended"})
    assert response.status_code == 404


def test_an_observer_marks_nothing_and_observes_no_one_marked_absent(world, login, session,
                                                                    password_hash):
    home = world.home
    register(session, home.activity, home.classmate)
    scout = make_observer(session, home.activity, password_hash=password_hash)
    session.commit()
    in_english(login(home.coordinator)).post(
        f"/activities/{home.activity.id}/attendance/{home.classmate.id}",
        data={"attendance": "absent"})
    page = page_of(in_english(login(scout)), home.activity)
    assert 'name="attendance"' not in page and 'data-testid="everyone-attended"' not in page
    assert "Absent" in cell(page, home.classmate)
    assert f"student={home.classmate.id}" not in page
    assert f"student={home.student.id}" in page


@pytest.mark.parametrize("value", ["", "registered", "maybe"])
def test_only_attended_or_absent_is_accepted(world, login, session, value):
    home = world.home
    register(session, home.activity, home.classmate)
    client = in_english(login(home.counsellor))
    client.post(f"/activities/{home.activity.id}/attendance/{home.classmate.id}",
                data={"attendance": value})
    assert "Choose attended or absent." in page_of(client, home.activity)
    assert attendance_of(session, home.activity, home.classmate) is Attendance.registered


def test_on_a_phone_each_row_says_what_its_cells_are(world, login):
    """The table stacks on a narrow screen: every cell carries its label, the buttons are
    full-size buttons (not links) in a wrapping row."""
    page = page_of(in_english(login(world.home.counsellor)), world.home.activity)
    assert '<table class="stack">' in page
    assert 'data-label="Attendance"' in page
    assert 'class="choices"' in page
    name = world.home.student.first_name
    assert re.search(r'<button type="submit" name="attendance" value="absent"[^>]*aria-label='
                     rf'"Mark {name} as absent"', page)


def test_the_observation_form_of_an_activity_ahead_says_why_before_it_is_filled_in(
        world, login, session):
    home = world.home
    later = starting(session, home.activity, local_today() + timedelta(days=10))
    register(session, later, home.classmate)
    client = in_english(login(home.counsellor))
    response = client.get(f"/observations/new?activity={later.id}&student={home.classmate.id}",
                          follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'name="strength"' not in page
    assert "observations can be recorded from that day on" in page
