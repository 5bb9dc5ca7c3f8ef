"""Participations: who took part in which activity, keyed by activity and student.

Importing only adds: a participation missing from the file is not removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import update
from sqlmodel import select

from ...models import Activity, Participation, StudentProfile
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
from .values import shown


@dataclass
class NewParticipation:
    line: int
    activity: Activity
    student: StudentProfile


def find_activities(ctx: Context, rows: list[Row]) -> dict[str, Activity]:
    """The activities the rows name that this importer can see, by code."""
    codes = (RowReader(ctx, row).raw("activity_code") for row in rows)
    query = select(Activity)
    if not ctx.scope.full:
        query = query.where(Activity.region_id == ctx.scope.region_id)
    return {a.code: a for a in fetch_in(ctx.session, (c for c in codes if c),
                                        lambda chunk: query.where(Activity.code.in_(chunk)))}


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
        ctx.session.execute(update(Activity).where(Activity.id.in_(chunk))
                            .values(capacity=Activity.capacity)
                            .execution_options(synchronize_session=False))
        capacities.update(ctx.session.execute(
            select(Activity.id, Activity.capacity).where(Activity.id.in_(chunk))).all())
    return capacities


def parse(ctx: Context, rows: list[Row]) -> Plan:
    plan = Plan()
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
        wanted.append(NewParticipation(row.line, activity, student))
    if not wanted:
        return plan

    capacities = _lock(ctx, {p.activity.id for p in wanted if p.activity.capacity is not None})
    registered: dict[int, set[int]] = {}
    for activity_id, student_id in fetch_in(
            ctx.session, {p.activity.id for p in wanted},
            lambda chunk: select(Participation.activity_id, Participation.student_id)
            .where(Participation.activity_id.in_(chunk))):
        registered.setdefault(activity_id, set()).add(student_id)
    counts = {activity_id: len(ids) for activity_id, ids in registered.items()}
    for item in wanted:
        activity = item.activity
        if item.student.id in registered.get(activity.id, ()):
            plan.keep()
            continue
        counts[activity.id] = counts.get(activity.id, 0) + 1
        capacity = capacities.get(activity.id)
        if capacity is not None and counts[activity.id] > capacity:
            ctx.problem(item.line, "activity_code", _(
                "Activity %(code)s is full: it has room for %(capacity)s students. Remove this "
                "line, or raise the capacity of the activity first.",
                code=activity.code, capacity=capacity))
            continue
        plan.create(item.line, f"{activity.code} {student_key(ctx, item.student)}", item)
    return plan


def write(ctx: Context, plan: Plan) -> None:
    insert_rows(ctx.session, Participation, [
        {"activity_id": item.activity.id, "student_id": item.student.id,
         "registered_by_id": ctx.scope.user_id}
        for item in plan.items])
