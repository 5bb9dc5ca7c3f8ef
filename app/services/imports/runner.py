"""Check a whole file, then write it in one transaction, or nothing at all."""

from __future__ import annotations

from types import ModuleType

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from .. import maintenance
from . import (
    activities,
    companies,
    observations,
    participations,
    placements,
    regions,
    schools,
    students,
)
from .columns import KINDS, ColumnMap, map_columns
from .common import Context, Plan
from .problems import WHOLE_FILE, ImportReport, Problems
from .reading import DELIMITERS, Row, Table, other_separator, read_table
from .scope import ImportScope

MODULES: dict[str, ModuleType] = {
    "regions": regions,
    "schools": schools,
    "students": students,
    "activities": activities,
    "participations": participations,
    "observations": observations,
    "companies": companies,
    "placements": placements,
}


def _usable_rows(table: Table, columns: ColumnMap, problems: Problems) -> list[Row]:
    """Rows whose cells line up with the header; the others get a problem each."""
    width = len(table.header)
    other = next(d for d in DELIMITERS if d != table.delimiter)
    usable = []
    for row in table.rows:
        filled = [cell for cell in row.cells if cell]
        if width > 1 and len(filled) == 1 and len(row.cells) == 1 and (
                other in filled[0] or other_separator(filled[0])):
            problems.add(row.line, None, _(
                "This line has all its values in one cell: it seems to use another separator "
                "than the header (%(separator)s). Use the same separator on every line.",
                separator=table.delimiter))
        elif any(row.cells[width:]):
            problems.add(row.line, None, _(
                "This line has %(count)s values but the header has %(columns)s columns. A value "
                "with %(separator)s in it needs quotes around it.",
                count=len(row.cells), columns=width, separator=table.delimiter))
        else:
            usable.append(row)
    return usable


def run_import(*, session: Session, kind: str, data: bytes, scope: ImportScope,
               dry_run: bool) -> ImportReport:
    """Check every row of ``data``; when nothing is wrong, write all of it in one transaction.

    On any problem nothing is written and the report lists every problem. A dry run checks
    and writes the same way, then rolls back: its counts are exactly what a real run does.
    The session is committed (or rolled back); do not leave other work pending in it.
    """
    if kind not in MODULES:
        raise ValueError(f"Unknown import kind {kind!r}; choose one of {', '.join(KINDS)}")
    problems = Problems()

    def report(plan: Plan | None = None, rows: int = 0, columns: ColumnMap | None = None,
               ) -> ImportReport:
        plan = plan if plan is not None and not problems else Plan()
        return ImportReport(
            kind=kind, created=plan.created, updated=plan.updated, unchanged=plan.unchanged,
            problems=problems.sorted(columns.order() if columns else None), dry_run=dry_run,
            rows=rows, changes=tuple(plan.changes),
            ignored_columns=columns.ignored if columns else ())

    refusal = scope.refusal(kind)
    if refusal:
        problems.add(WHOLE_FILE, None, refusal)
        return report()
    table = read_table(data, problems)
    if table is None:
        return report()
    columns = map_columns(kind, table.header, problems)
    if columns is None:
        return report(rows=len(table.rows))
    if not table.rows:
        problems.add(WHOLE_FILE, None, _(
            "The file has a header but no rows below it: there is nothing to import."))
        return report(columns=columns)
    rows = _usable_rows(table, columns, problems)
    module = MODULES[kind]
    ctx = Context(session=session, scope=scope, kind=kind, columns=columns, problems=problems)
    try:
        plan = module.parse(ctx, rows)
        if problems:
            session.rollback()
            return report(rows=len(table.rows), columns=columns)
        module.write(ctx, plan)
        session.flush()
    except IntegrityError:
        session.rollback()
        problems.add(WHOLE_FILE, None, _(
            "Someone changed the same data while this file was imported, so nothing was "
            "imported. Upload the file again."))
        return report(rows=len(table.rows), columns=columns)
    except BaseException:
        session.rollback()
        raise
    if dry_run:
        session.rollback()
    else:
        session.commit()
        maintenance.analyze_after_bulk_write(session=session, rows=plan.created + plan.updated)
    return report(plan, rows=len(table.rows), columns=columns)
