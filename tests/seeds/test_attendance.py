"""Demo data made for a day: what happened was attended (a few absent), what lies ahead is
only registered, and nobody is observed where they were not."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlmodel import select

from app.models import Activity, Attendance, Participation, TalentObservation, metadata
from seeds import generate

TODAY = date(2026, 12, 6)


def test_demo_data_made_today_registers_what_lies_ahead_and_observes_only_who_came(
        session, password_hash):
    generate(session, students=150, placements=40, seed=3, password_hash=password_hash,
             as_of=TODAY)
    rows = session.exec(select(Participation, Activity.starts_on)
                        .join(Activity, Activity.id == Participation.activity_id)).all()
    past = Counter(p.attendance for p, day in rows if day <= TODAY)
    ahead = Counter(p.attendance for p, day in rows if day > TODAY)
    assert set(ahead) == {Attendance.registered} and ahead[Attendance.registered] > 50
    assert set(past) == {Attendance.attended, Attendance.absent}
    assert 0 < past[Attendance.absent] < 0.1 * sum(past.values())
    marked = [p for p, day in rows if p.attendance is not Attendance.registered]
    assert all(p.attendance_set_by_id and p.attendance_set_at for p in marked)
    attended = {(p.activity_id, p.student_id) for p, _day in rows
                if p.attendance is Attendance.attended}
    observations = session.exec(select(TalentObservation)).all()
    assert observations and all(o.observed_on <= TODAY for o in observations)
    assert all((o.activity_id, o.student_id) in attended for o in observations)


def test_the_day_changes_attendance_and_observations_but_not_who_takes_part(
        session, password_hash):
    """The same seed gives the same activities and participants, whatever the day."""
    found = []
    for day in (date(2026, 10, 1), date(2027, 3, 1)):
        generate(session, students=120, placements=20, seed=5, password_hash=password_hash,
                 as_of=day)
        found.append((
            sorted(session.exec(select(Participation.activity_id,
                                       Participation.student_id)).all()),
            session.exec(select(Participation.attendance)).all().count(Attendance.registered)))
        for table in reversed(metadata.sorted_tables):  # empty again for the next day
            session.execute(table.delete())
        session.commit()
    (pairs_october, registered_october), (pairs_march, registered_march) = found
    assert pairs_october == pairs_march
    assert registered_october > registered_march > 0
