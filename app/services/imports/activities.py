"""Activities: one row per activity, keyed by its code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlmodel import col, func, select

from ...models import (
    Activity,
    ActivityTheme,
    Company,
    Participation,
    Region,
    School,
    Theme,
    school_year_of,
)
from ..activities import moves_refused
from ..rows import id_of
from .common import (
    Context,
    FirstLines,
    Plan,
    RowReader,
    chunks,
    fetch_in,
    insert_rows,
    load_regions,
    needs_region_column,
    pick_region,
    region_name,
    text_cell,
)
from .reading import Row
from .values import (
    max_length,
    parse_date,
    parse_kind,
    parse_kvk,
    parse_pillar,
    parse_postcode,
    shown,
    whole_number,
)

FIELD_COLUMN = {
    "kind": "kind", "pillar": "pillar", "title": "title", "description": "description",
    "starts_on": "date", "ends_on": "end_date", "school_year": "date", "postcode": "postcode",
    "place": "postcode", "region_id": "region", "school_id": "school_code",
    "host_company_id": "host_company_kvk", "capacity": "capacity",
}


@dataclass
class ActivityRow:
    line: int
    code: str
    values: dict[str, Any]
    themes: list[Theme]
    kvk: str | None


@dataclass
class ActivityOp:
    row: ActivityRow
    activity: Activity | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    add_themes: list[int] = field(default_factory=list)
    remove_themes: list[ActivityTheme] = field(default_factory=list)


def _school(ctx: Context, r: RowReader, region: Region | None) -> tuple[bool, School | None]:
    """(given?, school): the organising school from the optional school_code column."""
    code = r.raw("school_code")
    scope = ctx.scope
    if not code:
        return False, None
    school = ctx.schools().get(code.upper())
    if school is None:
        r.problem("school_code", ctx.unknown_school(code))
        return True, None
    if not scope.may_place_activity_at(school):
        r.problem("school_code", _(
            "You can only import activities of your own school (%(own)s), not of school "
            "%(code)s.", own=scope.school_code, code=shown(code)))
        return True, None
    if region is not None and school.region_id != region.id:
        r.problem("school_code", _("School %(code)s is not in the region %(region)s of this "
                                   "activity.", code=school.code, region=region.name))
        return True, None
    return True, school


def _read(ctx: Context, row: Row, regions: dict[str, Region], codes: FirstLines
          ) -> ActivityRow | None:
    r = RowReader(ctx, row)
    code = r.get("code", text_cell(max_length(Activity, "code")))
    kind = r.get("kind", parse_kind)
    pillar = r.get("pillar", parse_pillar)
    starts_on: date | None = r.get("date", parse_date)
    ends_on: date | None = r.get("end_date", parse_date, required=False)
    if starts_on and ends_on and ends_on < starts_on:
        r.problem("end_date", _("The end date is before the date the activity starts."))
    title = r.get("title", text_cell(max_length(Activity, "title")))
    description = r.get("description", text_cell(max_length(Activity, "description"),
                                                 single_line=False), required=False)
    postcode_place = r.get("postcode", parse_postcode)
    kvk = r.get("host_company_kvk", parse_kvk, required=False)
    themes = r.themes()
    capacity = r.get("capacity", whole_number, required=False, low=1)
    region = pick_region(r, regions, lambda own: _(
        "You can only import activities in your own region, %(region)s. Write that region or "
        "leave the cell empty.", region=own.name))
    school_given, school = _school(ctx, r, region)
    if code and (earlier := codes.first(code, row.line)):
        r.problem("code", _("The code %(code)s is already on line %(line)s. Each activity may "
                            "be in the file once: remove one of the two lines.",
                            code=shown(code), line=earlier))
    if (r.failed or code is None or starts_on is None or postcode_place is None
            or region is None or themes is None):
        return None
    values: dict[str, Any] = {
        "kind": kind, "pillar": pillar, "title": title, "starts_on": starts_on,
        "school_year": school_year_of(starts_on), "postcode": postcode_place[0],
        "place": postcode_place[1], "region_id": region.id, "capacity": capacity,
    }
    if r.has("end_date"):
        values["ends_on"] = ends_on
    if r.has("description"):
        values["description"] = description or ""
    if school_given:
        values["school_id"] = school.id if school else None
    return ActivityRow(row.line, code, values, themes, kvk)


def parse(ctx: Context, rows: list[Row]) -> Plan:
    plan = Plan()
    session = ctx.session
    if needs_region_column(ctx, _(
            "Add a column %(column)s: on the command line and as administrator you give the "
            "region of each activity (e.g. liemers).", column=ctx.label("region"))):
        return plan
    regions = load_regions(session)
    codes = FirstLines()
    parsed = [found for row in rows if (found := _read(ctx, row, regions, codes)) is not None]
    _set_hosts(ctx, parsed)
    if not parsed:
        return plan
    known = _Known.load(ctx, parsed)
    for row in parsed:
        activity = known.existing.get(row.code)
        if activity is None:
            if "school_id" not in row.values and not ctx.scope.full:
                row.values["school_id"] = ctx.scope.school_id  # a counsellor's own school
            plan.create(row.line, row.code, ActivityOp(row))
        elif _may_update(ctx, row, activity, known, regions):
            _plan_update(ctx, plan, row, activity, known.links.get(id_of(activity), {}))
    return plan


def _set_hosts(ctx: Context, parsed: list[ActivityRow]) -> None:
    """The host company of each row by its KvK number, as services.activities checks it."""
    companies = {c.kvk: c for c in fetch_in(
        ctx.session, (row.kvk for row in parsed if row.kvk),
        lambda chunk: select(Company).where(col(Company.kvk).in_(chunk)))}
    for row in parsed:
        if not row.kvk:
            row.values["host_company_id"] = None
            continue
        company = companies.get(row.kvk)
        if company is None:
            ctx.problem(row.line, "host_company_kvk", _(
                "There is no company with KvK number %(kvk)s in Talentmatch. Check the "
                "number, or leave the cell empty.", kvk=row.kvk))
        elif company.region_id != row.values["region_id"]:  # as services.activities
            ctx.problem(row.line, "host_company_kvk", _(
                "%(company)s is in another region. Choose a host company from the region "
                "of the activity.", company=company.name))
        else:
            row.values["host_company_id"] = company.id


@dataclass
class _Known:
    """What the database holds about the activities a file names, read in bulk."""

    existing: dict[str, Activity]
    links: dict[int, dict[int, ActivityTheme]]
    taken: dict[int, int]
    refused: dict[int, Any]

    @classmethod
    def load(cls, ctx: Context, parsed: list[ActivityRow]) -> _Known:
        session = ctx.session
        existing = {a.code: a for a in fetch_in(
            session, (row.code for row in parsed),
            lambda chunk: select(Activity).where(col(Activity.code).in_(chunk)))}
        ids = [a.id for a in existing.values()]
        links: dict[int, dict[int, ActivityTheme]] = {}
        for link in fetch_in(session, ids, lambda chunk: select(ActivityTheme).where(
                col(ActivityTheme.activity_id).in_(chunk))):
            links.setdefault(link.activity_id, {})[link.theme_id] = link
        taken = dict(fetch_in(session, ids, lambda chunk: select(
            Participation.activity_id, func.count()).where(
            col(Participation.activity_id).in_(chunk)).group_by(col(Participation.activity_id))))
        # The rule of editing an activity: one that took place does not move to after today.
        refused = {}
        for chunk in chunks((existing[row.code].id, row.values["starts_on"])
                            for row in parsed if row.code in existing):
            refused.update(moves_refused(session=session, moves=dict(chunk)))
        return cls(existing, links, taken, refused)


def _may_update(ctx: Context, row: ActivityRow, activity: Activity, known: _Known,
                regions: dict[str, Region]) -> bool:
    """Whether the row may change this existing activity; if not, the problem is recorded."""
    if not ctx.scope.may_manage_activity(activity):
        ctx.problem(row.line, "code", _(
            "The code %(code)s is already used by an activity you cannot change. Choose "
            "another code.", code=shown(row.code)))
        return False
    if not _stays(ctx, row, activity, regions):
        return False
    if activity.id in known.refused:
        ctx.problem(row.line, "date", str(known.refused[activity.id]))
        return False
    capacity = row.values["capacity"]
    registered = known.taken.get(id_of(activity), 0)
    if capacity is not None and registered > capacity:
        ctx.problem(row.line, "capacity", _(
            "%(registered)s students are registered for this activity already; the "
            "capacity cannot be less than that.", registered=registered))
        return False
    return True


def _plan_update(ctx: Context, plan: Plan, row: ActivityRow, activity: Activity,
                 current: dict[int, ActivityTheme]) -> None:
    op = ActivityOp(row, activity)
    op.changes = {name: value for name, value in row.values.items()
                  if getattr(activity, name) != value}
    wanted = {id_of(theme) for theme in row.themes}
    op.add_themes = sorted(wanted - current.keys())
    op.remove_themes = [link for theme_id, link in current.items() if theme_id not in wanted]
    changed = [ctx.header(FIELD_COLUMN[name]) for name in op.changes]
    if op.add_themes or op.remove_themes:
        changed.append(ctx.header("themes"))
    if changed:
        plan.update(row.line, row.code, changed, op)
    else:
        plan.keep()


def _stays(ctx: Context, row: ActivityRow, activity: Activity,
           regions: dict[str, Region]) -> bool:
    """An update keeps the activity's region and school, as services.activities does."""
    if row.values["region_id"] != activity.region_id:
        ctx.problem(row.line, "region", _(
            "Activity %(code)s is in the region %(region)s; an import does not move it to "
            "another region.", code=activity.code,
            region=region_name(regions, activity.region_id)))
        return False
    if "school_id" in row.values and row.values["school_id"] != activity.school_id:
        school = ctx.school_by_id().get(activity.school_id) if activity.school_id else None
        ctx.problem(row.line, "school_code", _(
            "Activity %(code)s belongs to %(school)s; an import does not move it to another "
            "school.", code=activity.code,
            school=school.code if school else _("the region")))
        return False
    return True


def write(ctx: Context, plan: Plan) -> None:
    session = ctx.session
    new = [op for op in plan.items if op.activity is None]
    ids = insert_rows(session, Activity, [
        {"school_id": None, **op.row.values, "code": op.row.code,
         "created_by_id": ctx.scope.user_id} for op in new], returning_ids=True)
    links = [{"activity_id": activity_id, "theme_id": theme.id}
             for op, activity_id in zip(new, ids, strict=True) for theme in op.row.themes]
    for op in plan.items:
        if op.activity is None:
            continue
        for name, value in op.changes.items():
            setattr(op.activity, name, value)
        session.add(op.activity)
        for link in op.remove_themes:
            session.delete(link)
        links.extend({"activity_id": op.activity.id, "theme_id": theme_id}
                     for theme_id in op.add_themes)
    session.flush()
    insert_rows(session, ActivityTheme, links)
