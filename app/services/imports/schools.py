"""Schools: one row per school, keyed by its BRIN code.

The rules for each value are those of :mod:`app.services.reference`. An empty levels cell
gives a new school every level of its kind and keeps an existing school's levels (unless its
kind changes); an empty place is the place of the postcode, and an existing school keeps its
place unless its postcode changes. A coordinator imports the schools of their own region; an
import does not move a school to another region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask_babel import gettext as _

from ...models import Region, School
from ..reference import (
    PLACE_MAX,
    SCHOOL_NAME_MAX,
    KindRead,
    ReferenceDataError,
    clean_brin,
    clean_school_levels,
    parse_school_kind,
)
from .common import (
    Context,
    FirstLines,
    Plan,
    RowReader,
    insert_rows,
    load_regions,
    needs_region_column,
    pick_region,
    region_name,
    text_cell,
)
from .reading import Row
from .values import Invalid, parse_levels, parse_postcode

T = TypeVar("T")
# Which column to name when a school field changes.
FIELD_COLUMN = {"name": "name", "kind": "kind", "levels": "levels", "postcode": "postcode",
                "place": "place"}


@dataclass
class SchoolRow:
    line: int
    code: str
    region: Region
    name: str
    kind: KindRead
    levels: list[str] | None  # None: not given
    postcode: str
    place: str | None  # None: not given
    postcode_place: str  # the place of the postcode


@dataclass
class SchoolOp:
    row: SchoolRow
    school: School | None = None  # None: a new school
    changes: dict[str, Any] = field(default_factory=dict)


def _rule(check: Callable[[str], T]) -> Callable[[str], T]:
    """A rule of the reference service as a cell parser: its error is the cell's problem."""
    def parse(text: str) -> T:
        try:
            return check(text)
        except ReferenceDataError as error:
            raise Invalid(str(error)) from None
    return parse


def _read(ctx: Context, row: Row, regions: dict[str, Region], codes: FirstLines
          ) -> SchoolRow | None:
    r = RowReader(ctx, row)
    code = r.get("brin", _rule(clean_brin))
    name = r.get("name", text_cell(SCHOOL_NAME_MAX))
    kind = r.get("kind", _rule(parse_school_kind))
    given = r.get("levels", parse_levels, required=False)
    postcode_place = r.get("postcode", parse_postcode)
    place = r.get("place", text_cell(PLACE_MAX), required=False)
    region = pick_region(r, regions, lambda own: _(
        "You can only import schools of your own region, %(region)s. Write that region or "
        "leave the cell empty.", region=own.name))
    if code and (earlier := codes.first(code, row.line)):
        r.problem("brin", _("The BRIN code %(code)s is already on line %(line)s. Each school "
                            "may be in the file once: remove one of the two lines.",
                            code=code, line=earlier))
    levels: list[str] | None = None
    if kind is not None and given:
        try:
            levels = clean_school_levels(kind.kind, [lv.value for lv in given])
        except ReferenceDataError as error:
            r.problem("levels", str(error))
    if (r.failed or code is None or name is None or kind is None or region is None
            or postcode_place is None):
        return None
    return SchoolRow(row.line, code, region, name, kind, levels, postcode_place[0],
                     place or None, postcode_place[1])


def parse(ctx: Context, rows: list[Row]) -> Plan:
    plan = Plan()
    if needs_region_column(ctx, _(
            "Add a column %(column)s: on the command line and as administrator you give the "
            "region of each school (e.g. liemers).", column=ctx.label("region"))):
        return plan
    regions = load_regions(ctx.session)
    codes = FirstLines()
    existing = ctx.schools()
    for row in rows:
        found = _read(ctx, row, regions, codes)
        if found is None:
            continue
        school = existing.get(found.code)
        if school is not None and not _may_change(ctx, found, school, regions):
            continue
        _plan_row(ctx, plan, SchoolOp(found, school))
    return plan


def _may_change(ctx: Context, row: SchoolRow, school: School,
                regions: dict[str, Region]) -> bool:
    if not (ctx.scope.full or ctx.scope.region_id == school.region_id):
        ctx.problem(row.line, "brin", _(
            "BRIN code %(code)s belongs to a school in another region; you can only import "
            "schools of your own region. Ask the administrator if the school moved.",
            code=row.code))
        return False
    if row.region.id != school.region_id:
        ctx.problem(row.line, "region", _(
            "%(school)s is in the region %(region)s; an import does not move it to another "
            "region.", school=school.name, region=region_name(regions, school.region_id)))
        return False
    return True


def _values(row: SchoolRow, school: School | None) -> dict[str, Any]:
    """What the school should hold after this row."""
    kind = row.kind.kind
    if row.levels is not None:
        levels = row.levels
    elif school is None or school.kind is not kind or not school.levels:
        levels = clean_school_levels(kind, row.kind.levels)
    else:
        levels = list(school.levels)
    if row.place is not None:
        place = row.place
    elif school is None or school.postcode != row.postcode:
        place = row.postcode_place
    else:
        place = school.place
    return {"name": row.name, "kind": kind, "levels": levels, "postcode": row.postcode,
            "place": place}


def _plan_row(ctx: Context, plan: Plan, op: SchoolOp) -> None:
    row, school = op.row, op.school
    values = _values(row, school)
    if school is None:
        op.changes = values
        plan.create(row.line, f"{row.code} {row.name}", op)
        return
    op.changes = {key: value for key, value in values.items() if getattr(school, key) != value}
    if op.changes:
        plan.update(row.line, f"{school.code} {school.name}",
                    [ctx.header(FIELD_COLUMN[key]) for key in op.changes], op)
    else:
        plan.keep()


def write(ctx: Context, plan: Plan) -> None:
    ops: list[SchoolOp] = plan.items
    insert_rows(ctx.session, School, [
        {**op.changes, "code": op.row.code, "region_id": op.row.region.id}
        for op in ops if op.school is None])
    for op in ops:
        if op.school is not None:
            for key, value in op.changes.items():
                setattr(op.school, key, value)
            ctx.session.add(op.school)
