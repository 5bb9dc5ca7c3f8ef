"""Rows written through the JSON API are checked and written by the CSV imports' own code.

The API does not validate a student, a participation or an observation a second time: it
hands the rows to ``run_import`` as the one-sheet file an integration would otherwise upload,
headed by the columns' English names, as the token's account. So the API accepts exactly what
the import accepts, says the same messages for the same mistakes, scopes by the same rules
(``ImportScope``, which asks app.permissions) and is idempotent the same way: a row whose
natural key (a student's number at their school, an activity's code, an activity, student and
observer) is already there updates it, and a row sent twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from flask_babel import gettext as _
from sqlmodel import Session

from ..models import User
from ..permissions import can_import
from .errors import ServiceError
from .imports import ImportReport, ImportScope, run_import
from .imports.columns import COLUMNS


class KindRefused(ServiceError):
    """The account may not write this kind of row at all (the API answers 403): asked before
    the rows reach the import, whose own refusal is worded for a file upload."""


def columns_of(kind: str) -> tuple[str, ...]:
    """The English column names of an import kind, as the API's fields are called."""
    return tuple(column.key for column in COLUMNS[kind])


def as_csv(kind: str, rows: Sequence[Mapping[str, str | None]]) -> bytes:
    """``rows`` as the CSV file the import reads: the kind's columns that any row fills."""
    names = [name for name in columns_of(kind) if any(name in row for row in rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else str(row.get(name)) for name in names])
    return buffer.getvalue().encode("utf-8")


def check_kind(*, user: User, kind: str) -> None:
    """Raise :class:`KindRefused` when ``user`` may not write rows of ``kind``: the import's
    own rule of who may import which kind (``permissions.can_import``), not a copy of it."""
    if not can_import(user, kind):
        raise KindRefused(_("The account of this token may not write this kind of "
                             "row (%(kind)s).", kind=kind))


def import_rows(*, session: Session, kind: str, rows: Sequence[Mapping[str, str | None]],
                user: User) -> ImportReport:
    """Check ``rows`` as an import of ``kind`` by ``user``; write all of them or none.

    The report's problems name the row's line (2 for the first row) and the column's English
    name; nothing is written when there is any. The session is committed or rolled back.
    Raises :class:`KindRefused` when the account may not write ``kind`` at all.
    """
    check_kind(user=user, kind=kind)
    return run_import(session=session, kind=kind, data=as_csv(kind, rows),
                      scope=ImportScope.for_user(session=session, user=user), dry_run=False)
