"""Talent observations, keyed by activity, student and observer.

A changed observation keeps its history: the values before the change are stored in an
``ObservationRevision`` first. A talent scout the file names who is not assigned to the
activity yet is assigned by the import (as the organiser would on the activity's page) when the
importer may assign observers there, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlmodel import col, select

from ...models import (
    Activity,
    ActivityObserver,
    ObservationRevision,
    ObservationTheme,
    Participation,
    Role,
    StudentProfile,
    TalentObservation,
    Theme,
    User,
    utcnow,
)
from ...models.base import local_today
from ..observations import observation_refusal
from ..rows import id_of
from .common import (
    Context,
    FirstLines,
    Plan,
    RowReader,
    fetch_in,
    find_students,
    insert_rows,
    pick_student,
    student_key,
    text_cell,
)
from .participations import find_activities, pick_activity
from .reading import Row
from .values import max_length, parse_date, parse_email, shown, whole_number

FIELD_COLUMN = {"strength": "strength", "note": "note", "skills": "skills",
                "observed_on": "date"}
OBSERVING_ROLES = (Role.admin, Role.counsellor, Role.coordinator, Role.observer, Role.company)


@dataclass
class ObservationRow:
    line: int
    activity: Activity
    student: StudentProfile
    observer: User
    values: dict[str, Any]
    themes: list[Theme]
    assign: bool = False  # the observer is a scout this import assigns to the activity


@dataclass
class ObservationOp:
    row: ObservationRow
    observation: TalentObservation | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    links: dict[int, ObservationTheme] = field(default_factory=dict)  # theme id: link, before
    themes_changed: bool = False


def snapshot(observation: TalentObservation, theme_slugs: list[str]) -> dict:
    """An observation's values as a revision keeps them: as services.observations.snapshot,
    plus the day, which only an import can change."""
    return {
        "strength": observation.strength,
        "skills": observation.skills,
        "note": observation.note,
        "themes": sorted(theme_slugs),
        "shared_with_companies": observation.shared_with_companies,
        "observed_on": observation.observed_on.isoformat(),
    }


class Observers:
    """The observers the file names, and whether each may observe at an activity."""

    def __init__(self, ctx: Context, emails: list[str], activity_ids: list[int]):
        self.ctx = ctx
        self.by_email = {u.email: u for u in fetch_in(
            ctx.session, emails, lambda chunk: select(User).where(col(User.email).in_(chunk)))}
        self.assigned = set(fetch_in(
            ctx.session, activity_ids,
            lambda chunk: select(ActivityObserver.activity_id, ActivityObserver.user_id)
            .where(col(ActivityObserver.activity_id).in_(chunk))))

    def region_of(self, user: User) -> int | None:
        if user.region_id is not None:
            return user.region_id
        school = self.ctx.school_by_id().get(user.school_id) if user.school_id else None
        return school.region_id if school else None

    def may_observe(self, user: User, activity: Activity) -> bool:
        """As permissions.can_observe, for the user the row names."""
        if user.role is Role.admin:
            return True
        if user.role in (Role.counsellor, Role.coordinator):
            return activity.region_id == self.region_of(user)
        if user.role in (Role.observer, Role.company):
            return (activity.id, user.id) in self.assigned
        return False


def _observer(ctx: Context, r: RowReader, observers: Observers, email: str | None,
              activity: Activity | None) -> tuple[User | None, bool]:
    """(the observer the row names, whether the import assigns them to the activity)."""
    if not email:
        return None, False
    observer = observers.by_email.get(email)
    if observer is None or not observer.is_active:
        r.problem("observer_email", _(
            "There is no account with the e-mail address %(email)s. The observer needs an "
            "account in Talentmatch first.", email=shown(email)))
        return None, False
    if observer.role not in OBSERVING_ROLES:
        r.problem("observer_email", _(
            "%(email)s is not an observer's account; write the e-mail address of who "
            "observed.", email=shown(email)))
        return None, False
    if activity is None or observers.may_observe(observer, activity):
        return observer, False
    if observer.role is Role.observer:
        # A scout the file names observed there: the importer assigns them, if they may.
        if ctx.scope.may_manage_activity(activity):
            return observer, True
        r.problem("observer_email", _(
            "%(email)s is not an observer at activity %(code)s yet, and you cannot "
            "assign observers there. Ask whoever organises the activity to assign "
            "them first.", email=shown(email), code=activity.code))
        return None, False
    r.problem("observer_email", _(
        "%(email)s may not record observations at activity %(code)s. Assign them as "
        "observer of the activity first.", email=shown(email), code=activity.code))
    return None, False


def _check_pair(ctx: Context, r: RowReader, activity: Activity, student: StudentProfile,
                observer: User | None, keys: FirstLines) -> None:
    """The importer may record at this activity for this student, once per file."""
    school = ctx.school_by_id()[student.school_id]
    if not ctx.scope.may_observe(activity, school):
        r.problem("activity_code", _(
            "You cannot record observations at activity %(code)s.", code=activity.code))
    elif observer is not None and (
            earlier := keys.first((activity.id, student.id, observer.id), r.line)):
        r.problem("student_number", _(
            "The observation of student %(number)s at %(code)s by %(email)s is already on "
            "line %(line)s: remove one of the two lines.", number=student.student_number,
            code=activity.code, email=observer.email, line=earlier))


def _check_what_and_when(r: RowReader, activity: Activity | None, observed_on: date | None,
                         themes: list[Theme] | None, skills: str | None) -> None:
    """What the student showed is named, and nothing is claimed before it happened."""
    if themes == [] and not skills:
        # The rule of services.observations: an observation names what the student showed.
        r.problem("themes", _("Name at least one theme or skill the student showed."))
    # Nothing is claimed before it happened (as services.observations).
    if activity is not None and activity.starts_on > local_today():
        r.problem("activity_code", _(
            "Activity %(code)s starts on %(date)s: observations can be imported from that day "
            "on.", code=activity.code, date=activity.starts_on.isoformat()))
    if observed_on is not None and observed_on > local_today():
        r.problem("date", _("%(date)s is in the future: an observation is dated on or before "
                            "today.", date=observed_on.isoformat()))


def _read(ctx: Context, row: Row, activities, students, observers: Observers,
          keys: FirstLines) -> ObservationRow | None:
    r = RowReader(ctx, row)
    activity = pick_activity(r, activities)
    student = pick_student(r, students)
    themes = r.themes()
    strength = r.get("strength", whole_number, low=1, high=5)
    note = r.get("note", text_cell(max_length(TalentObservation, "note"), single_line=False),
                 required=False)
    skills = r.get("skills", text_cell(max_length(TalentObservation, "skills")), required=False)
    observed_on: date | None = r.get("date", parse_date, required=False)
    email = r.get("observer_email", parse_email, limit=max_length(User, "email"))
    observer, assign = _observer(ctx, r, observers, email, activity)
    if activity is not None and student is not None:
        _check_pair(ctx, r, activity, student, observer, keys)
    _check_what_and_when(r, activity, observed_on, themes, skills)
    if (r.failed or activity is None or student is None or observer is None
            or themes is None):
        return None
    values: dict[str, Any] = {"strength": strength, "note": note or ""}
    if r.has("skills"):
        values["skills"] = skills or ""
    if observed_on is not None:
        values["observed_on"] = observed_on
    return ObservationRow(row.line, activity, student, observer, values, themes, assign)


def parse(ctx: Context, rows: list[Row]) -> Plan:
    plan = Plan()
    activities = find_activities(ctx, rows)
    students = find_students(ctx, (RowReader(ctx, row).raw("student_number") for row in rows))
    emails = [RowReader(ctx, row).raw("observer_email").lower() for row in rows]
    observers = Observers(ctx, [e for e in emails if e], [id_of(a) for a in activities.values()])
    keys = FirstLines()
    parsed = [found for row in rows
              if (found := _read(ctx, row, activities, students, observers, keys)) is not None]
    if not parsed:
        return plan

    attendance, existing, links = _known(ctx, parsed)
    for row in parsed:
        marked = attendance.get((row.activity.id, row.student.id))
        if _may_record(ctx, row, marked):
            _plan_row(ctx, plan, row, existing, links)
    return plan


def _known(ctx: Context, parsed: list[ObservationRow]):
    """The attendance at the activities of the file, the observations there (the latest per
    observer) and their themes, read in bulk."""
    session = ctx.session
    activity_ids = list({row.activity.id for row in parsed})
    attendance = {(activity_id, student_id): marked for activity_id, student_id, marked
                  in fetch_in(session, activity_ids, lambda chunk: select(
                      Participation.activity_id, Participation.student_id,
                      Participation.attendance).where(col(Participation.activity_id).in_(chunk)))}
    existing: dict[tuple[int, int, int | None], TalentObservation] = {}
    for observation in fetch_in(session, activity_ids, lambda chunk: select(
            TalentObservation).where(col(TalentObservation.activity_id).in_(chunk))
            .order_by(col(TalentObservation.id))):
        # Several by the same observer: the latest one is the one a file corrects.
        existing[(observation.activity_id, observation.student_id,
                  observation.observer_id)] = observation
    links: dict[int, dict[int, ObservationTheme]] = {}
    for link in fetch_in(session, [o.id for o in existing.values()], lambda chunk: select(
            ObservationTheme).where(col(ObservationTheme.observation_id).in_(chunk))):
        links.setdefault(link.observation_id, {})[link.theme_id] = link
    return attendance, existing, links


def _may_record(ctx: Context, row: ObservationRow, marked) -> bool:
    """The student took part and was not marked absent; if not, the problem is recorded."""
    if marked is None:
        ctx.problem(row.line, "student_number", _(
            "Student %(number)s did not take part in activity %(code)s: register the "
            "participation first (import participations).",
            number=row.student.student_number, code=row.activity.code))
        return False
    # The rest of the website's rule: nobody marked absent is observed there.
    refused = observation_refusal(activity=row.activity, student=row.student,
                                  attendance=marked)
    if refused is not None:
        ctx.problem(row.line, "student_number", str(refused))
        return False
    return True


def _plan_row(ctx: Context, plan: Plan, row: ObservationRow, existing, links) -> None:
    key = f"{row.activity.code} {student_key(ctx, row.student)} {row.observer.email}"
    observation = existing.get((row.activity.id, row.student.id, row.observer.id))
    if observation is None:
        plan.create(row.line, key, ObservationOp(row))
        return
    op = ObservationOp(row, observation)
    op.changes = {name: value for name, value in row.values.items()
                  if getattr(observation, name) != value}
    op.links = links.get(observation.id, {})
    op.themes_changed = op.links.keys() != {theme.id for theme in row.themes}
    changed = [ctx.header(FIELD_COLUMN[name]) for name in op.changes]
    if op.themes_changed:
        changed.append(ctx.header("themes"))
    if changed:
        plan.update(row.line, key, changed, op)
    else:
        plan.keep()


def write(ctx: Context, plan: Plan) -> None:
    session = ctx.session
    slugs = {theme.id: theme.slug for theme in ctx.themes().by_slug.values()}
    new = [op for op in plan.items if op.observation is None]
    ids = insert_rows(session, TalentObservation, [
        {"observed_on": op.row.activity.starts_on, **op.row.values,
         "activity_id": op.row.activity.id, "student_id": op.row.student.id,
         "observer_id": op.row.observer.id} for op in new], returning_ids=True)
    links = [{"observation_id": observation_id, "theme_id": theme.id}
             for op, observation_id in zip(new, ids, strict=True) for theme in op.row.themes]
    revisions = []
    now = utcnow()
    for op in plan.items:
        observation = op.observation
        if observation is None:
            continue
        revisions.append({
            "observation_id": observation.id, "changed_by_id": ctx.scope.user_id,
            "previous": snapshot(observation, [slugs[i] for i in op.links if i in slugs])})
        for name, value in op.changes.items():
            setattr(observation, name, value)
        observation.updated_at = now
        session.add(observation)
        if op.themes_changed:
            wanted = {theme.id for theme in op.row.themes}
            for theme_id, link in op.links.items():
                if theme_id not in wanted:
                    session.delete(link)
            links.extend({"observation_id": observation.id, "theme_id": theme_id}
                         for theme_id in sorted(wanted - op.links.keys()))
    session.flush()
    insert_rows(session, ObservationRevision, revisions)
    insert_rows(session, ObservationTheme, links)
    # Only rows that write an observation assign their scout; an unchanged row changes nothing.
    insert_rows(session, ActivityObserver, [
        {"activity_id": activity_id, "user_id": user_id}
        for activity_id, user_id in sorted({(op.row.activity.id, op.row.observer.id)
                                            for op in plan.items if op.row.assign})])
