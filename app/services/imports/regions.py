"""Regions: one row per region, keyed by its slug when the file gives one, else by its name.

Only the operator and administrators import regions. The rules for each value are those of
:mod:`app.services.reference`; a slug is never changed by an import (it is the key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlmodel import select

from ...models import Region
from ..reference import (
    DEFAULT_ANSWER_DAYS,
    MAX_ANSWER_DAYS,
    REGION_NAME_MAX,
    ReferenceDataError,
    clean_slug,
    slug_for,
)
from .columns import HEADER_LINE, KIND_LABELS, other_kind
from .common import Context, FirstLines, Plan, RowReader, insert_rows, text_cell
from .reading import Row
from .values import Invalid, compact, whole_number

# Which column to name when a region field changes.
FIELD_COLUMN = {"name": "name", "answer_days": "answer_days"}


@dataclass
class RegionOp:
    line: int
    name: str
    slug: str
    answer_days: int | None  # None: keep (a new region: the default)
    region: Region | None = None  # None: a new region
    changes: dict[str, Any] = field(default_factory=dict)


def _slug_cell(text: str) -> str:
    try:
        return clean_slug(text)
    except ReferenceDataError as error:
        raise Invalid(str(error)) from None


def _read(r: RowReader) -> tuple[str, str | None, int | None] | None:
    name = r.get("name", text_cell(REGION_NAME_MAX))
    slug = r.get("slug", _slug_cell, required=False)
    days = r.get("answer_days", whole_number, required=False, low=1, high=MAX_ANSWER_DAYS)
    if r.failed or not name:
        return None
    return name, slug, days


class _Known:
    """The regions there are, by slug and by name, and the keys the file used so far."""

    def __init__(self, regions: list[Region]) -> None:
        self.by_slug = {r.slug: r for r in regions}
        self.by_name = {compact(r.name): r for r in regions}
        self.slugs = FirstLines()
        self.names = FirstLines()


def _match(ctx: Context, r: RowReader, known: _Known, name: str, slug: str | None
           ) -> RegionOp | None:
    """The region a row is about (None inside the op: a new one); None on a problem."""
    named = known.by_name.get(compact(name))
    if slug:
        region = known.by_slug.get(slug)
        if named is not None and named is not region:
            r.problem("name", _(
                "There is already a region named %(name)s, with the slug %(slug)s. Write that "
                "slug to change it, or choose another name.", name=named.name,
                slug=named.slug))
            return None
        return RegionOp(r.line, name, slug, None, region)
    if named is not None:
        return RegionOp(r.line, name, named.slug, None, named)
    derived = slug_for(name)
    taken = known.by_slug.get(derived)
    if not derived or taken is not None:
        message = _(
            "The slug made from this name, %(slug)s, is taken by the region %(name)s. Fill in "
            "another slug in %(column)s.", slug=derived, name=taken.name,
            column=ctx.label("slug")) if taken is not None else _(
            "No slug can be made from this name. Fill in a slug in %(column)s.",
            column=ctx.label("slug"))
        r.problem("slug" if ctx.columns.has("slug") else "name", message)
        return None
    return RegionOp(r.line, name, derived, None)


def _once(r: RowReader, known: _Known, op: RegionOp) -> bool:
    """Each region once in the file: by its slug and by its name."""
    if earlier := known.slugs.first(op.slug, r.line):
        r.problem("slug" if r.has("slug") else "name", _(
            "The region %(slug)s is already on line %(line)s. Each region may be in the file "
            "once: remove one of the two lines.", slug=op.slug, line=earlier))
        return False
    if earlier := known.names.first(compact(op.name), r.line):
        r.problem("name", _(
            "The name %(name)s is already on line %(line)s. Two regions cannot have the same "
            "name.", name=op.name, line=earlier))
        return False
    return True


def _other_kind_of_file(ctx: Context) -> bool:
    """A regions file needs only a name, so another kind's file (schools, companies) would
    pass: one problem, instead of a region named after every school. True when so."""
    header = (*ctx.columns.header.values(), *ctx.columns.ignored)
    other = other_kind(ctx.kind, header)
    if other is None:
        return False
    ctx.problem(HEADER_LINE, None, _(
        "This file has the columns %(columns)s, which a regions file does not have. It looks "
        "like a file of %(kind)s: choose that kind.", columns=", ".join(ctx.columns.ignored),
        kind=str(KIND_LABELS[other]).lower()))
    return True


def parse(ctx: Context, rows: list[Row]) -> Plan:
    plan = Plan()
    if _other_kind_of_file(ctx):
        return plan
    known = _Known(list(ctx.session.exec(select(Region)).all()))
    for row in rows:
        r = RowReader(ctx, row)
        read = _read(r)
        if read is None:
            continue
        name, slug, days = read
        op = _match(ctx, r, known, name, slug)
        if op is None or not _once(r, known, op):
            continue
        op.answer_days = days
        _plan_row(ctx, plan, op)
    return plan


def _plan_row(ctx: Context, plan: Plan, op: RegionOp) -> None:
    region = op.region
    if region is None:
        op.changes = {"name": op.name, "answer_days": op.answer_days or DEFAULT_ANSWER_DAYS}
        plan.create(op.line, f"{op.slug} {op.name}", op)
        return
    wanted = {"name": op.name, "answer_days": op.answer_days}
    op.changes = {key: value for key, value in wanted.items()
                  if value is not None and getattr(region, key) != value}
    if op.changes:
        plan.update(op.line, f"{region.slug} {region.name}",
                    [ctx.header(FIELD_COLUMN[key]) for key in op.changes], op)
    else:
        plan.keep()


def write(ctx: Context, plan: Plan) -> None:
    ops: list[RegionOp] = plan.items
    insert_rows(ctx.session, Region, [{"slug": op.slug, **op.changes}
                                      for op in ops if op.region is None])
    for op in ops:
        if op.region is not None:
            for key, value in op.changes.items():
                setattr(op.region, key, value)
            ctx.session.add(op.region)
