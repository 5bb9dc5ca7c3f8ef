"""A placement sent to the JSON API, checked as the placements import checks a row and written
through the service the company's form uses.

The API's fields are the import's columns (their English names). The row is read by the
import's own reader (``imports.placements._read``), so a mistake gets the message a CSV file
gets for it; a row that reads cleanly is then written by ``services.placements`` (create as a
draft, or update), as the company's form writes it, with its own checks (a published placement
stays complete, the capacity never drops below the reserved places). The status is not a
field here: it changes only through publish, pause, reopen and close, as on the web.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from ..models import Company, Placement, User
from . import placements as service
from .imports.columns import map_columns
from .imports.common import Context, FirstLines
from .imports.placements import _read as read_placement_row
from .imports.problems import Problems
from .imports.reading import Row
from .imports.scope import ImportScope
from .rows import id_of

KIND = "placements"
# The import's columns the API takes (company_kvk and code come from the path; status is
# changed by its own operations).
FIELDS = ("title", "description", "kind", "levels", "postcode", "capacity", "start", "end",
          "themes", "days_per_week", "hours_per_week", "allowance", "deadline",
          "learn_and_do")


@dataclass(frozen=True)
class RowProblem:
    field: str | None
    message: str


@dataclass(frozen=True)
class Written:
    placement: Placement
    created: bool


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)


def check_row(*, session: Session, user: User, company: Company, code: str,
              fields: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[RowProblem]]:
    """The row read as the import reads it: the service's keyword arguments, or the problems
    (each naming the API's field, with the import's message)."""
    given = {name: fields.get(name) for name in FIELDS}
    header = ("company_kvk", "code", *given)
    problems = Problems()
    columns = map_columns(KIND, header, problems)
    if columns is None:
        return None, [RowProblem(None, item.message) for item in problems.items]
    ctx = Context(session=session, scope=ImportScope.for_user(session=session, user=user),
                  kind=KIND, columns=columns, problems=problems)
    cells = (company.kvk, code, *(_cell(value) for value in given.values()))
    row = read_placement_row(ctx, Row(line=2, cells=tuple(cells)), FirstLines())
    if row is None or problems:
        # The column's header is its English name, which is the API's field.
        return None, [RowProblem(item.column, item.message) for item in problems.items]
    values = dict(row.values)
    arguments: dict[str, Any] = {
        "code": row.code, "title": values["title"], "kind": values["kind"].value,
        "levels": values["levels"], "theme_ids": [id_of(theme) for theme in row.themes],
        "description": values.get("description", ""), "capacity": values["capacity"],
        "starts_on": values.get("starts_on"), "ends_on": values.get("ends_on"),
        "postcode": values.get("postcode", company.postcode),
        "days_per_week": values.get("days_per_week"),
        "hours_per_week": values.get("hours_per_week"),
        "allowance": values.get("allowance", ""),
        "application_deadline": values.get("application_deadline"),
        "learn_and_do": values.get("learn_and_do", "")}
    return arguments, []


def find_placement(*, session: Session, company: Company, code: str) -> Placement | None:
    return session.exec(select(Placement).where(col(Placement.company_id) == company.id,
                                                col(Placement.code) == code.strip())).first()


def put_placement(*, session: Session, user: User, company: Company,
                  existing: Placement | None, arguments: dict[str, Any]) -> Written:
    """Create (a draft) or update the placement through the company form's service. A PUT
    sends the whole placement: an optional field left out is emptied, as an empty cell is."""
    if existing is None:
        return Written(service.create_placement(session=session, company=company, user=user,
                                                **arguments), True)
    return Written(service.update_placement(session=session, placement=existing,
                                            **arguments), False)
