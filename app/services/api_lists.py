"""The filtered statements behind the API's lists; the API pages them (app/web/api/paging.py)
and the rows an account may see are picked by app.permissions, never here."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Region, School


def regions() -> SelectOfScalar[Region]:
    return select(Region)


def schools(*, region_id: int | None = None, code: str | None = None) -> SelectOfScalar[School]:
    statement = select(School)
    if region_id is not None:
        statement = statement.where(col(School.region_id) == region_id)
    if code:
        statement = statement.where(col(School.code) == code.strip().upper())
    return statement
