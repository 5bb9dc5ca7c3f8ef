"""Typed access to rows that are in the database.

SQLModel types a primary key ``int | None``, because a new row has none until it is flushed;
a row read from the database, or flushed, always has one. :func:`id_of` says so to the type
checker, and fails loudly should a row that was never flushed slip through.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult, Result
from sqlmodel import Session, SQLModel


class _Row(Protocol):
    id: int | None


def id_of(row: _Row) -> int:
    """The primary key of a row that is in the database."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id: it was never saved")
    return row.id


T = TypeVar("T")


def row_of(session: Session, model: type[T], key: int | None) -> T:
    """The row a foreign key that cannot be empty points to: the database keeps it there."""
    row = session.get(model, key) if key is not None else None
    if row is None:
        raise LookupError(f"there is no {model.__name__} {key}")
    return row


def changed_rows(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (executing one gives a cursor result)."""
    return cast(CursorResult[Any], result).rowcount


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a model, for statements over many rows at once."""
    return cast(sa.Table, sa.inspect(model).local_table)
