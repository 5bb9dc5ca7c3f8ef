"""Attendance: registered until the activity begins, then attended or absent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlmodel import select

from app.models import Attendance, Participation
from app.models.base import local_today
from app.services import activities, attendance
from app.services.attendance import AttendanceError
from app.services.observations import ObservationError, record_observation
from tests.web.activities.builders import make_class

TODAY = date(2026, 3, 12)


@pytest.fixture(autouse=True)
def request_context(app):
    """Messages in English, so assertions do not depend on the Dutch catalogue."""
    with app.test_request_context(), force_locale("en"):
        yield


def on(session, activity, day: date):
    activity.starts_on = day
    session.add(activity)
    session.commit()
    return activity


def attendance_of(session, activity, student) -> Attendance:
    session.expire_all()
    return session.exec(select(Participation.attendance).where(
        Participation.activity_id == activity.id,
        Participation.student_id == student.id)).one()


def register(session, activity, *students):
    activities.register_students(session=session, activity=activity, students=students)


# --- one student ------------------------------------------------------------------------

def test_registering_is_not_attending_even_for_an_activity_that_began(session, world):
    activity = on(session, world.home.activity, TODAY - timedelta(days=3))
    register(session, activity, world.home.classmate)
    assert attendance_of(session, activity, world.home.classmate) is Attendance.registered


def test_attendance_cannot_be_set_before_the_activity_begins(session, world):
    activity = on(session, world.home.activity, TODAY + timedelta(days=1))
    register(session, activity, world.home.classmate)
    with pytest.raises(AttendanceError, match="starts on March 13, 2026: attendance can be "
                                              "recorded from that day on"):
        attendance.set_attendance(session=session, activity=activity,
                                  student=world.home.classmate, attendance="attended",
                                  by=world.home.counsellor, today=TODAY)
    with pytest.raises(AttendanceError, match="from that day on"):
        attendance.everyone_attended(session=session, activity=activity,
                                     by=world.home.counsellor, today=TODAY)
    assert attendance_of(session, activity, world.home.classmate) is Attendance.registered


def test_on_its_first_day_attendance_is_set_with_who_and_when(session, world):
    activity = on(session, world.home.activity, TODAY)
    register(session, activity, world.home.classmate)
    participation = attendance.set_attendance(
        session=session, activity=activity, student=world.home.classmate,
        attendance=Attendance.absent, by=world.home.counsellor, today=TODAY)
    assert participation.attendance is Attendance.absent
    assert participation.attendance_set_by_id == world.home.counsellor.id
    assert participation.attendance_set_at is not None
    # A correction either way.
    attendance.set_attendance(session=session, activity=activity,
                              student=world.home.classmate, attendance="attended",
                              by=world.home.coordinator, today=TODAY)
    session.expire_all()
    participation = session.get(Participation, participation.id)
    assert participation.attendance is Attendance.attended
    assert participation.attendance_set_by_id == world.home.coordinator.id


@pytest.mark.parametrize("value", ["registered", "maybe", ""])
def test_only_attended_or_absent_can_be_set(session, world, value):
    with pytest.raises(AttendanceError, match="Choose attended or absent") as error:
        attendance.set_attendance(session=session, activity=world.home.activity,
                                  student=world.home.student, attendance=value,
                                  by=world.home.counsellor)
    assert error.value.field == "attendance"


def test_a_student_who_is_not_registered_gets_no_attendance(session, world):
    with pytest.raises(AttendanceError, match="Daan is not registered for this activity"):
        attendance.set_attendance(session=session, activity=world.home.activity,
                                  student=world.home.classmate, attendance="attended",
                                  by=world.home.counsellor)
    assert session.exec(select(Participation).where(
        Participation.student_id == world.home.classmate.id)).first() is None


def test_an_observed_student_cannot_be_marked_absent(session, world):
    with pytest.raises(AttendanceError, match="was observed at this activity"):
        attendance.set_attendance(session=session, activity=world.home.activity,
                                  student=world.home.student, attendance="absent",
                                  by=world.home.counsellor)
    assert attendance_of(session, world.home.activity, world.home.student) \
        is Attendance.attended


# --- everyone at once -------------------------------------------------------------------

def test_everyone_attended_marks_those_still_registered_and_leaves_the_absent(
        session, world, password_hash):
    activity = on(session, world.home.activity, TODAY)
    kims = make_class(session, world.home.school, 3, password_hash=password_hash)
    session.commit()
    register(session, activity, *kims)
    attendance.set_attendance(session=session, activity=activity, student=kims[0],
                              attendance="absent", by=world.home.counsellor, today=TODAY)
    result = attendance.everyone_attended(session=session, activity=activity,
                                          by=world.home.coordinator, today=TODAY)
    assert (result.marked, result.already, result.absent) == (2, 1, 1)
    assert result.message == ("2 students marked as attended. 1 was already marked as "
                              "attended. 1 marked absent stays absent: change that one by one.")
    assert [attendance_of(session, activity, s) for s in kims] == [
        Attendance.absent, Attendance.attended, Attendance.attended]
    marked = session.exec(select(Participation).where(
        Participation.student_id == kims[1].id)).one()
    assert marked.attendance_set_by_id == world.home.coordinator.id


def test_a_class_is_marked_attended_and_the_rest_stays_registered(session, world,
                                                                  password_hash):
    activity = on(session, world.home.activity, TODAY)
    three_b = make_class(session, world.home.school, 2, password_hash=password_hash)
    four_a = make_class(session, world.home.school, 2, password_hash=password_hash,
                        class_name="4A")
    session.commit()
    register(session, activity, *three_b, *four_a)
    result = attendance.everyone_attended(session=session, activity=activity,
                                          by=world.home.counsellor, school=world.home.school,
                                          class_name="4A", today=TODAY)
    assert result.marked == 2
    assert [attendance_of(session, activity, s) for s in (*three_b, *four_a)] == [
        Attendance.registered, Attendance.registered, Attendance.attended, Attendance.attended]
    with pytest.raises(AttendanceError, match="Nobody of class 5C is registered"):
        attendance.everyone_attended(session=session, activity=activity,
                                     by=world.home.counsellor, school=world.home.school,
                                     class_name="5C", today=TODAY)


def test_a_counsellor_marks_only_the_students_of_their_own_school(session, world):
    activity = on(session, world.home.activity, TODAY)
    register(session, activity, world.home.classmate, world.home.other_school_student)
    result = attendance.everyone_attended(session=session, activity=activity,
                                          by=world.home.counsellor,
                                          school_ids=[world.home.school.id], today=TODAY)
    assert result.marked == 1
    assert attendance_of(session, activity, world.home.classmate) is Attendance.attended
    assert attendance_of(session, activity, world.home.other_school_student) \
        is Attendance.registered
    with pytest.raises(AttendanceError, match="your own school's students only"):
        attendance.everyone_attended(session=session, activity=activity,
                                     by=world.home.counsellor,
                                     school_ids=[world.home.school.id],
                                     school=world.home.other_school, class_name="",
                                     today=TODAY)


def test_everyone_attended_needs_someone_registered(session, world):
    with pytest.raises(AttendanceError, match="Nobody is registered for this activity yet"):
        attendance.everyone_attended(session=session, activity=world.home.other_activity,
                                     by=world.home.coordinator)


# --- observations -----------------------------------------------------------------------

def test_no_observation_is_recorded_before_the_activity_begins(session, world):
    activity = on(session, world.home.activity, TODAY + timedelta(days=30))
    register(session, activity, world.home.classmate)
    with pytest.raises(ObservationError, match="starts on April 11, 2026: observations can "
                                               "be recorded from that day on"):
        record_observation(session=session, activity=activity, student=world.home.classmate,
                           observer=world.home.counsellor, skills="precies", strength=4,
                           today=TODAY)
    observation = record_observation(
        session=session, activity=activity, student=world.home.classmate,
        observer=world.home.counsellor, skills="precies", strength=4,
        today=TODAY + timedelta(days=30))
    assert observation.observed_on == activity.starts_on


def test_a_student_marked_absent_is_not_observed(session, world):
    activity = on(session, world.home.activity, TODAY)
    register(session, activity, world.home.classmate)
    attendance.set_attendance(session=session, activity=activity,
                              student=world.home.classmate, attendance="absent",
                              by=world.home.counsellor, today=TODAY)
    with pytest.raises(ObservationError, match="Daan is marked absent"):
        record_observation(session=session, activity=activity, student=world.home.classmate,
                           observer=world.home.counsellor, skills="precies", strength=4,
                           today=TODAY)


def test_an_observation_of_an_activity_that_began_today_is_dated_today(session, world):
    activity = on(session, world.home.activity, local_today())
    observation = record_observation(session=session, activity=activity,
                                     student=world.home.student,
                                     observer=world.home.counsellor, skills="netjes",
                                     strength=3)
    assert observation.observed_on == local_today()


# --- moving an activity -----------------------------------------------------------------

def _move(session, activity, day: date):
    return activities.update_activity(
        session=session, activity=activity, kind=activity.kind, title=activity.title,
        starts_on=day, postcode=activity.postcode, pillar=activity.pillar)


def test_an_activity_that_took_place_cannot_move_to_after_today(session, world):
    ahead = local_today() + timedelta(days=30)
    with pytest.raises(activities.ActivityError, match="it has taken place") as error:
        _move(session, world.home.activity, ahead)  # attended and observed there
    assert error.value.field == "starts_on"
    session.refresh(world.home.activity)
    assert world.home.activity.starts_on < local_today()


def test_an_activity_with_registrations_only_may_move_to_after_today(session, world):
    other = world.home.other_activity
    register(session, other, world.home.classmate)
    ahead = local_today() + timedelta(days=30)
    assert _move(session, other, ahead).starts_on == ahead
