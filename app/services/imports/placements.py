"""Placements: one row per placement, keyed by the company's KvK number and the code.

The company must be in Talentmatch already (import the companies first). A new placement is a
draft unless the file gives another status; every status an import sets or changes is written
down as a ``PlacementEvent`` (action "import"), as the placement's history shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, update
from sqlmodel import col, select

from ...models import (
    Company,
    Level,
    Placement,
    PlacementEvent,
    PlacementKind,
    PlacementStatus,
    PlacementTheme,
    Theme,
    utcnow,
)
from ..occupations import best_occupation
from ..rows import id_of, table_of
from .common import Context, FirstLines, Plan, RowReader, chunks, fetch_in, insert_rows, text_cell
from .placement_cells import (
    check_deadline,
    check_hours,
    check_kind_levels,
    hours_problem,
    occupation_cell,
    set_occupation,
)
from .reading import Row
from .values import (
    max_length,
    parse_date,
    parse_kvk,
    parse_levels,
    parse_placement_kind,
    parse_placement_status,
    parse_postcode,
    shown,
    whole_number,
)

LIMITS = {name: max_length(Placement, name)
          for name in ("code", "title", "description", "learn_and_do", "allowance")}
MAX_CAPACITY = 1000
DAYS_PER_WEEK = 5
HOURS_PER_WEEK = 40
# Which column to name when a placement field changes.
FIELD_COLUMN = {
    "title": "title", "description": "description", "kind": "kind", "levels": "levels",
    "postcode": "postcode", "place": "postcode", "capacity": "capacity", "starts_on": "start",
    "ends_on": "end", "status": "status", "days_per_week": "days_per_week",
    "hours_per_week": "hours_per_week",
    "allowance": "allowance", "application_deadline": "deadline",
    "learn_and_do": "learn_and_do", "occupation_code": "occupation",
    "occupation_label": "occupation", "occupation_chosen_for": "occupation",
}


@dataclass
class PlacementRow:
    line: int
    kvk: str
    code: str
    values: dict[str, Any]  # what the row sets; an absent optional column: keep
    status: PlacementStatus | None  # None: the cell was empty or the column absent
    themes: list[Theme]
    postcode_given: bool
    company: Company | None = None


@dataclass
class PlacementOp:
    row: PlacementRow
    placement: Placement | None = None  # None: a new placement
    changes: dict[str, Any] = field(default_factory=dict)
    add_themes: list[int] = field(default_factory=list)
    remove_themes: list[int] = field(default_factory=list)
    event: tuple[str | None, str] | None = None  # (from, to) status
    occupation: tuple[str, str] | None = None  # (code, label) found anew in a new title


def _read(ctx: Context, row: Row, keys: FirstLines) -> PlacementRow | None:
    r = RowReader(ctx, row)
    kvk = r.get("company_kvk", parse_kvk)
    code = r.get("code", text_cell(LIMITS["code"]))
    title = r.get("title", text_cell(LIMITS["title"]))
    description = r.get("description", text_cell(LIMITS["description"], single_line=False),
                        required=False)
    kind: PlacementKind | None = r.get("kind", parse_placement_kind)
    levels: list[Level] | None = r.get("levels", parse_levels)
    check_kind_levels(r, kind, levels)
    postcode_place = r.get("postcode", parse_postcode, required=False)
    capacity = r.get("capacity", whole_number, low=1, high=MAX_CAPACITY)
    starts_on: date | None = r.get("start", parse_date, required=False)
    ends_on: date | None = r.get("end", parse_date, required=False)
    if starts_on and ends_on and ends_on < starts_on:
        r.problem("end", _("The last day is before the first day (%(column)s).",
                           column=ctx.header("start")))
    themes = r.themes(required=True)
    status = r.get("status", parse_placement_status, required=False)
    days = r.get("days_per_week", whole_number, required=False, low=1, high=DAYS_PER_WEEK)
    hours = r.get("hours_per_week", whole_number, required=False, low=1, high=HOURS_PER_WEEK,
                  unit="uur")
    check_hours(r, hours, days)
    allowance = r.get("allowance", text_cell(LIMITS["allowance"]), required=False)
    deadline: date | None = r.get("deadline", parse_date, required=False)
    check_deadline(ctx, r, deadline, ends_on)
    learn_and_do = r.get("learn_and_do", text_cell(LIMITS["learn_and_do"], single_line=False),
                         required=False)
    # As the company's choice on the placement page: kept when the title changes later.
    occupation: tuple[str, str] | str | None = r.get("occupation", occupation_cell,
                                                     required=False)
    if kvk and code and (earlier := keys.first((kvk, code), row.line)):
        r.problem("code", _("Placement %(code)s of KvK number %(kvk)s is already on line "
                            "%(line)s. Each placement may be in the file once: remove one of "
                            "the two lines.", code=shown(code), kvk=kvk, line=earlier))
    if (r.failed or kvk is None or code is None or title is None or levels is None
            or themes is None):
        return None
    values: dict[str, Any] = {
        "title": title, "description": description or "", "kind": kind,
        "levels": [level.value for level in levels], "capacity": capacity,
        "starts_on": starts_on, "ends_on": ends_on,
    }
    if postcode_place:
        values["postcode"], values["place"] = postcode_place
    optional = {"days_per_week": ("days_per_week", days),
                "hours_per_week": ("hours_per_week", hours),
                "allowance": ("allowance", allowance or ""),
                "deadline": ("application_deadline", deadline),
                "learn_and_do": ("learn_and_do", learn_and_do or "")}
    values.update({name: value for column, (name, value) in optional.items() if r.has(column)})
    set_occupation(values, occupation, title)
    return PlacementRow(row.line, kvk, code, values, status, themes,
                        postcode_given=postcode_place is not None)


def parse(ctx: Context, rows: list[Row]) -> Plan:
    plan = Plan()
    keys = FirstLines()
    parsed = [found for row in rows if (found := _read(ctx, row, keys)) is not None]
    usable = _of_known_companies(ctx, parsed)
    if not usable:
        return plan
    existing, reserved, themes_of = _known(ctx, usable)
    for row in usable:
        company = _company(row)
        key = f"{company.kvk} {row.code}"
        placement = existing.get((id_of(company), row.code))
        if placement is None:
            plan.create(row.line, key, _new_op(row))
            continue
        op = _plan_update(ctx, row, placement, reserved.get(id_of(placement), 0),
                          themes_of.get(id_of(placement), set()))
        if op is not None:
            _plan_changes(ctx, plan, key, op)
    return plan


def _company(row: PlacementRow) -> Company:
    """The company of a row that passed :func:`_of_known_companies`."""
    if row.company is None:
        raise LookupError(f"line {row.line}: the company was not looked up")
    return row.company


def _of_known_companies(ctx: Context, parsed: list[PlacementRow]) -> list[PlacementRow]:
    """The rows whose company exists and is the importer's to manage (set on the row)."""
    companies = {c.kvk: c for c in fetch_in(
        ctx.session, (row.kvk for row in parsed),
        lambda chunk: select(Company).where(col(Company.kvk).in_(chunk)))}
    usable: list[PlacementRow] = []
    for row in parsed:
        company = companies.get(row.kvk)
        if company is None:
            ctx.problem(row.line, "company_kvk", _(
                "There is no company with KvK number %(kvk)s in Talentmatch. Check the number, "
                "or import the companies first.", kvk=row.kvk))
        elif not ctx.scope.may_manage_company_in(company.region_id):
            ctx.problem(row.line, "company_kvk", _(
                "The company with KvK number %(kvk)s is not in your region; you can only import "
                "placements of companies in your region.", kvk=row.kvk))
        else:
            row.company = company
            usable.append(row)
    return usable


def _known(ctx: Context, usable: list[PlacementRow]):
    """The placements the file names (held until the import ends), their reserved places
    and their themes, read in bulk."""
    session = ctx.session
    existing: dict[tuple[int, str], Placement] = {}
    company_ids = list({id_of(_company(row)) for row in usable})
    for placement in fetch_in(session, (row.code for row in usable), lambda chunk: select(
            Placement).where(col(Placement.company_id).in_(company_ids),
                             col(Placement.code).in_(chunk))):
        existing[(placement.company_id, placement.code)] = placement
    reserved = _lock(ctx, [id_of(p) for p in existing.values()])
    ids = [p.id for p in existing.values()]
    themes_of: dict[int, set[int]] = {}
    for placement_id, theme_id in fetch_in(session, ids, lambda chunk: select(
            PlacementTheme.placement_id, PlacementTheme.theme_id).where(
            col(PlacementTheme.placement_id).in_(chunk))):
        themes_of.setdefault(placement_id, set()).add(theme_id)
    return existing, reserved, themes_of


def _new_op(row: PlacementRow) -> PlacementOp:
    """A new placement: the company's postcode unless the row gives one, a draft unless it
    gives a status, the occupation found in the title unless it names one."""
    company = _company(row)
    values = dict(row.values)
    if not row.postcode_given:
        values["postcode"], values["place"] = company.postcode, company.place
    status = row.status or PlacementStatus.draft
    values["status"] = status
    if "occupation_code" not in values:
        values["occupation_code"], values["occupation_label"] = best_occupation(
            values["title"])
    row.values = values
    return PlacementOp(row, event=(None, status.value))


def _plan_changes(ctx: Context, plan: Plan, key: str, op: PlacementOp) -> None:
    changed = list(dict.fromkeys(ctx.header(FIELD_COLUMN[name]) for name in op.changes
                                 if not _bookkeeping(name, op)))
    if op.add_themes or op.remove_themes:
        changed.append(ctx.header("themes"))
    if changed:
        plan.update(op.row.line, key, changed, op)
    else:
        plan.keep()


def _bookkeeping(name: str, op: PlacementOp) -> bool:
    """Only the title an occupation the company chose before was chosen for changes: the file
    names the same occupation for a new title, which is no change to report. (Back to the
    occupation found in the title is one, even when the title finds the same.)"""
    return (name == "occupation_chosen_for" and op.placement is not None
            and op.placement.occupation_chosen
            and bool(op.changes[name])
            and not {"occupation_code", "occupation_label"} & set(op.changes))


def _lock(ctx: Context, ids: list[int]) -> dict[int, int]:
    """Hold the placements this file changes until the import ends; their reserved places.

    As services.places does for one reservation: a no-op UPDATE locks the rows on PostgreSQL
    and takes the write lock on SQLite, so a place cannot be reserved between the check of
    the new capacity and the write.
    """
    reserved: dict[int, int] = {}
    for chunk in chunks(sorted(ids)):
        ctx.session.execute(update(Placement).where(col(Placement.id).in_(chunk))
                            .values(capacity=Placement.capacity)
                            .execution_options(synchronize_session=False))
        reserved.update(ctx.session.execute(
            select(Placement.id, Placement.places_taken).where(col(Placement.id).in_(chunk))).all())
    return reserved


def _plan_update(ctx: Context, row: PlacementRow, placement: Placement, reserved: int,
                 theme_ids: set[int]) -> PlacementOp | None:
    values = dict(row.values)
    if row.values["capacity"] < reserved:
        ctx.problem(row.line, "capacity", _(
            "%(reserved)s places of this placement are reserved already; the capacity cannot "
            "be less than that.", reserved=reserved))
        return None
    if ctx.columns.has("postcode") and not row.postcode_given:
        company = _company(row)
        values["postcode"], values["place"] = company.postcode, company.place
    if row.status is not None and row.status is not placement.status:
        if row.status is PlacementStatus.draft:
            ctx.problem(row.line, "status", _(
                "Placement %(code)s has been published: it cannot become a draft again. Write "
                "gepauzeerd (paused) or gesloten (closed) to take it offline.",
                code=shown(row.code)))
            return None
        values["status"] = row.status
    # A file without one of the two columns keeps the placement's value of it.
    if (too_many := hours_problem(values, placement)) is not None:
        ctx.problem(row.line, "hours_per_week", too_many)
        return None
    op = PlacementOp(row, placement)
    op.changes = {name: value for name, value in values.items()
                  if not _same(name, getattr(placement, name), value)}
    if "status" in op.changes:
        op.event = (placement.status.value, op.changes["status"].value)
    if "title" in op.changes and not placement.occupation_chosen and \
            "occupation_code" not in values:
        # As on the form: a new title names its occupation anew, unless the company chose one.
        op.occupation = best_occupation(op.changes["title"])
    wanted = {id_of(theme) for theme in row.themes}
    op.add_themes = sorted(wanted - theme_ids)
    op.remove_themes = sorted(theme_ids - wanted)
    return op


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "levels":
        return set(old or ()) == set(new or ())
    return old == new


def write(ctx: Context, plan: Plan) -> None:
    session = ctx.session
    ops: list[PlacementOp] = plan.items
    new = [op for op in ops if op.placement is None]
    ids = insert_rows(session, Placement, [
        {"days_per_week": None, "hours_per_week": None, "allowance": "",
         "application_deadline": None, "learn_and_do": "", "occupation_chosen_for": "",
         **op.row.values,
         "company_id": id_of(_company(op.row)), "code": op.row.code, "places_taken": 0}
        for op in new], returning_ids=True)
    placement_ids = {id(op): placement_id for op, placement_id in zip(new, ids, strict=True)}
    new_links = [{"placement_id": placement_ids[id(op)], "theme_id": theme.id}
                 for op in new for theme in op.row.themes]
    old_links: list[dict] = []
    now = utcnow()
    for op in ops:
        placement = op.placement
        if placement is None:
            continue
        if op.changes or op.add_themes or op.remove_themes:
            for name, value in op.changes.items():
                setattr(placement, name, value)
            if op.occupation is not None:
                placement.occupation_code, placement.occupation_label = op.occupation
            placement.updated_at = now
            session.add(placement)
        new_links.extend({"placement_id": placement.id, "theme_id": theme_id}
                         for theme_id in op.add_themes)
        old_links.extend({"pid": placement.id, "tid": theme_id} for theme_id in op.remove_themes)
    session.flush()
    links = table_of(PlacementTheme)
    if old_links:
        session.execute(delete(links).where(links.c.placement_id == bindparam("pid"),
                                            links.c.theme_id == bindparam("tid")), old_links)
    insert_rows(session, PlacementTheme, new_links)
    insert_rows(session, PlacementEvent, [
        {"placement_id": op.placement.id if op.placement else placement_ids[id(op)],
         "actor_id": ctx.scope.user_id, "action": "import", "from_status": op.event[0],
         "to_status": op.event[1], "reason": ""}
        for op in ops if op.event is not None])
