"""Lists page with opaque cursors, the same way for every resource.

A list is ordered by the rows' ids; a page holds at most ``limit`` rows after the cursor, and
``next_cursor`` continues after its last row (``null`` on the last page). Keyset paging, not
offsets: a page costs one query however far into the list it is, and rows added meanwhile
neither repeat nor get skipped. The cursor is opaque to clients (base64 of a small JSON
object); one that cannot be read is a 400.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from pydantic import BaseModel, Field
from sqlmodel import Session, col
from sqlmodel.sql.expression import SelectOfScalar

from app.web.api.problems import ApiProblem, FieldError
from app.web.ui.fields import INT_MAX

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class PageQuery(BaseModel):
    """The paging parameters of every list; a resource's filters subclass it."""

    cursor: str | None = Field(None, max_length=200,
                               description="next_cursor of the previous page; empty for the "
                                           "first page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null on "
                                                "the last one.")


def encode_cursor(after_id: int) -> str:
    raw = json.dumps({"after": after_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The id the page starts after (0: the first page); a 400 for a cursor we did not give."""
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = data["after"] if isinstance(data, dict) else None
    except (binascii.Error, ValueError, UnicodeDecodeError, KeyError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= INT_MAX:
        raise ApiProblem(400, _("This cursor cannot be read. Use next_cursor of a page, or "
                                "leave cursor out for the first page."),
                         errors=[FieldError(field="cursor", message=_("Not a cursor."))])
    return after


def page_of(session: Session, statement: SelectOfScalar[Any], id_column: Any,
            query: PageQuery) -> tuple[Sequence[Any], str | None]:
    """One page of ``statement`` (already filtered and scoped) in id order: its rows and the
    cursor of the next page. One query; the caller loads what the rows need in bulk."""
    after = decode_cursor(query.cursor)
    column = col(id_column)
    rows = session.exec(statement.where(column > after).order_by(column)
                        .limit(query.limit + 1)).all()
    if len(rows) <= query.limit:
        return rows, None
    rows = rows[:query.limit]
    return rows, encode_cursor(_id_of(rows[-1]))


def page_of_list(rows: Sequence[Any], query: PageQuery) -> tuple[list[Any], str | None]:
    """One page of rows already read and picked in Python (short lists only, such as the
    schools an account may see), by the same cursor rules as :func:`page_of`."""
    after = decode_cursor(query.cursor)
    rest = sorted((row for row in rows if _id_of(row) > after), key=_id_of)
    page = rest[:query.limit]
    return page, encode_cursor(_id_of(page[-1])) if len(rest) > query.limit else None


def _id_of(row: Any) -> int:
    return row.id if hasattr(row, "id") else row[0].id
