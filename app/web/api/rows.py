"""Turning what the imports' code said about API rows into answers (app/services/api_rows.py).

A refused row is a 422 whose ``errors`` name the body field (the import column's English
name, inside ``items[i]`` for a list of rows) with the import's own message.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.services.imports import WHOLE_FILE, ImportReport
from app.web.api.problems import VALIDATION, ApiProblem, FieldError

FIRST_ROW_LINE = 2  # the header is line 1 of the file the rows become


def check(report: ImportReport, *, list_field: str | None = None) -> ImportReport:
    """``report`` when it wrote; else the 422 problem with each of its problems."""
    if report.ok:
        return report
    errors = []
    for problem in report.problems:
        field = problem.column or ""
        if list_field and problem.line != WHOLE_FILE:
            index = problem.line - FIRST_ROW_LINE
            field = f"{list_field}[{index}]" + (f".{field}" if field else "")
        errors.append(FieldError(field=field, message=problem.message))
    detail = errors[0].message if len(errors) == 1 else _(
        "%(count)s problems in the data: see errors.", count=len(errors))
    raise ApiProblem(422, detail, type_=VALIDATION, errors=errors)


def status_of(report: ImportReport) -> int:
    """201 when the request created something, 200 when it updated or changed nothing."""
    return 201 if report.created else 200


def text(value: object) -> str | None:
    """A JSON value as the text of a cell: lists as 'a; b', true/false as ja/nee."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)
