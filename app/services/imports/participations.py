"""Participations: who is registered for which activity and whether they attended, keyed by
activity and student.

Importing adds participations and updates their attendance; a participation missing from the
file is not removed. Attendance follows the rule of services.attendance: nobody attends an
activity before it has begun, and a student observed there was not absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import update
from sqlmodel import col, select

from ...models import (
    Activity,
    Attendance,
    Participation,
    StudentProfile,
    TalentObservation,
    utcnow,
)
from ...models.base import local_today
from ..rows import id_of
from .common import (
    Context,
    FirstLines,
    Plan,
    RowReader,
    chunks,
    fetch_in,
    find_students,
    insert_rows,
    pick_student,
    student_key,
)
from .reading import Row
from .values import parse_yes_no, shown


@dataclass
class NewParticipation:
    line: int
    activity: Activity
    student: StudentProfile
    # What the file says (None: nothing); a new participation without it gets the default.
    attendance: Attendance | None = None
    existing_id: int | None = None  # set when an existing participation's attendance changes


def find_activities(ctx: Context, rows: list[Row]) -> dict[str, Activity]:
    """The activities the rows name that this importer can see, by code."""
    codes = (RowReader(ctx, row).raw("activity_code") for row in rows)
    query = select(Activity)
    if not ctx.scope.full:
        query = query.where(Activity.region_id == ctx.scope.region_id)
    return {a.code: a for a in fetch_in(ctx.session, (c for c in codes if c),
                                        lambda chunk: query.where(col(Activity.code).in_(chunk)))}


def pick_activity(reader: RowReader, activities: dict[str, Activity]) -> Activity | None:
    code = reader.raw("activity_code")
    if not code:
        reader.problem("activity_code", _("This cell is empty. Fill in %(column)s.",
                                          column=reader.ctx.label("activity_code")))
        return None
    activity = activities.get(code)
    if activity is None:
        reader.problem("activity_code", _(
            "Unknown activity code '%(code)s'. Check the code, or import the activity first.",
            code=shown(code)))
    return activity


def _lock(ctx: Context, activity_ids: set[int]) -> dict[int, int | None]:
    """Take the write lock of these activities until the import ends; their capacities.

    As services.activities does for one registration: a no-op UPDATE locks the rows on
    PostgreSQL and takes the write lock on SQLite, so a registration at the same time waits
    and cannot push an activity past its capacity.
    """
    capacities: dict[int, int | None] = {}
    for chunk in chunks(sorted(activity_ids)):
        ctx.session.execute(update(Activity).where(col(Activity.id).in_(chunk))
                            .values(capacity=Activity.capacity)
                            .execution_options(synchronize_session=False))
        capacities.update(ctx.session.execute(
            select(Activity.id, Activity.capacity).where(col(Activity.id).in_(chunk))).all())
    return capacities


def _attendance(r: RowReader, activity: Activity, today: date) -> Attendance | None:
    """The attendance a row asks for: None when its cell is empty or there is no column."""
    attended = r.get("attended", parse_yes_no, required=False)
    if attended is None:
        return None
    if activity.starts_on <= today:
        return Attendance.attended if attended else Attendance.absent
    if attended:
        r.problem("attended", _(
            "Activity %(code)s is on %(date)s, after today: nobody can have attended it yet. "
            "Leave %(column)s empty (registered) and record attendance once it has begun.",
            code=activity.code, date=activity.starts_on.isoformat(),
            column=r.ctx.label("attended")))
        return None
    return Attendance.registered  # not attended, for now: it has not happened


def _default(activity: Activity, today: date) -> Attendance:
    """A new participation without attendance: what began is taken as attended, as the
    importer records who took part; what lies ahead is a registration."""
    return Attendance.attended if activity.starts_on <= today else Attendance.registered


def _observed(ctx: Context, wanted: list[NewParticipation]) -> set[tuple[int, int]]:
    """(activity, student) pairs with an observation, of the rows that say absent."""
    absent = [p for p in wanted if p.attendance is Attendance.absent]
    if not absent:
        return set()
    students = {p.student.id for p in absent}
    return {pair for pair in fetch_in(
        ctx.session, {p.activity.id for p in absent},
        lambda chunk: select(TalentObservation.activity_id, TalentObservation.student_id)
        .where(col(TalentObservation.activity_id).in_(chunk))) if pair[1] in students}


def parse(ctx: Context, rows: list[Row]) -> Plan:
    plan = Plan()
    today = local_today()
    wanted = _wanted(ctx, rows, today)
    if not wanted:
        return plan

    capacities = _lock(ctx, {id_of(p.activity) for p in wanted if p.activity.capacity is not None})
    registered: dict[int, dict[int, tuple[int, Attendance]]] = {}
    for participation_id, activity_id, student_id, attendance in fetch_in(
            ctx.session, {p.activity.id for p in wanted},
            lambda chunk: select(Participation.id, Participation.activity_id,
                                 Participation.student_id, Participation.attendance)
            .where(col(Participation.activity_id).in_(chunk))):
        registered.setdefault(activity_id, {})[student_id] = (participation_id, attendance)
    counts = {activity_id: len(ids) for activity_id, ids in registered.items()}
    observed = _observed(ctx, wanted)
    for item in wanted:
        activity = item.activity
        key = f"{activity.code} {student_key(ctx, item.student)}"
        if (activity.id, item.student.id) in observed:
            ctx.problem(item.line, "attended", _(
                "Student %(number)s was observed at %(code)s, so they were there: they cannot "
                "be absent. Write ja, or leave %(column)s empty.",
                number=item.student.student_number, code=activity.code,
                column=ctx.label("attended")))
            continue
        existing = registered.get(id_of(activity), {}).get(id_of(item.student))
        if existing is not None:
            _plan_change(ctx, plan, item, key, existing)
            continue
        activity_id = id_of(activity)
        counts[activity_id] = counts.get(activity_id, 0) + 1
        capacity = capacities.get(activity_id)
        if capacity is not None and counts[activity_id] > capacity:
            ctx.problem(item.line, "activity_code", _(
                "Activity %(code)s is full: it has room for %(capacity)s students. Remove this "
                "line, or raise the capacity of the activity first.",
                code=activity.code, capacity=capacity))
            continue
        item.attendance = item.attendance or _default(activity, today)
        plan.create(item.line, key, item)
    return plan


def _wanted(ctx: Context, rows: list[Row], today: date) -> list[NewParticipation]:
    """The participations the rows ask for, each checked on its own and once per file."""
    activities = find_activities(ctx, rows)
    students = find_students(ctx, (RowReader(ctx, row).raw("student_number") for row in rows))
    schools = ctx.school_by_id()
    pairs = FirstLines()
    wanted: list[NewParticipation] = []
    for row in rows:
        r = RowReader(ctx, row)
        activity = pick_activity(r, activities)
        student = pick_student(r, students)
        if activity is None or student is None:
            continue
        attendance = _attendance(r, activity, today)
        if r.failed:
            continue
        if not ctx.scope.may_register(activity, schools[student.school_id]):
            r.problem("activity_code", _(
                "You cannot register students for activity %(code)s: another school organises "
                "it. Ask its organiser or the region's coordinator.", code=activity.code))
            continue
        if earlier := pairs.first((activity.id, student.id), row.line):
            r.problem("student_number", _(
                "Student %(number)s is already registered for %(code)s on line %(line)s: remove "
                "one of the two lines.", number=student.student_number, code=activity.code,
                line=earlier))
            continue
        wanted.append(NewParticipation(row.line, activity, student, attendance))
    return wanted


def _plan_change(ctx: Context, plan: Plan, item: NewParticipation, key: str,
                 existing: tuple[int, Attendance]) -> None:
    """A participation that is there already: its attendance changes, or nothing does."""
    if item.attendance is None or item.attendance is existing[1]:
        plan.keep()
    else:
        item.existing_id = existing[0]
        plan.update(item.line, key, [ctx.header("attended")], item)


def _marked(attendance: Attendance, ctx: Context, now) -> dict:
    """Attendance with who set it and when: nobody for a plain registration."""
    marked = attendance is not Attendance.registered
    return {"attendance": attendance,
            "attendance_set_by_id": ctx.scope.user_id if marked else None,
            "attendance_set_at": now if marked else None}


def write(ctx: Context, plan: Plan) -> None:
    now = utcnow()
    insert_rows(ctx.session, Participation, [
        {"activity_id": item.activity.id, "student_id": item.student.id,
         "registered_by_id": ctx.scope.user_id, **_marked(item.attendance, ctx, now)}
        for item in plan.items if item.existing_id is None])
    changed: dict[Attendance, list[int]] = {}
    for item in plan.items:
        if item.existing_id is not None:
            changed.setdefault(item.attendance, []).append(item.existing_id)
    for attendance, ids in changed.items():
        for chunk in chunks(ids):
            ctx.session.execute(update(Participation).where(col(Participation.id).in_(chunk))
                                .values(**_marked(attendance, ctx, now))
                                .execution_options(synchronize_session=False))
