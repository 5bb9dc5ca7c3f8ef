"""Rows collected in memory, with ids assigned up front, then written in bulk.

Assigning ids in Python lets every table be written without fetching ids back (executemany
batches, or COPY on PostgreSQL) and makes the ids part of the deterministic output.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.models import (
    Activity,
    ActivityObserver,
    ActivityTheme,
    Company,
    CompanyContact,
    Consent,
    ObservationTheme,
    Participation,
    Placement,
    PlacementTheme,
    Region,
    School,
    StudentGender,
    StudentProfile,
    StudentTheme,
    TalentObservation,
    Theme,
    User,
)

# Parents before children, so foreign keys hold at every batch.
WRITE_ORDER: tuple[type[SQLModel], ...] = (
    Region, Theme, School, Company, User, CompanyContact,
    StudentProfile, StudentGender, Consent, StudentTheme,
    Activity, ActivityTheme, ActivityObserver, Participation, TalentObservation, ObservationTheme,
    Placement, PlacementTheme,
)
BATCH_SIZE = 5000


def _table(model: type[SQLModel]) -> sa.Table:
    return model.__table__  # type: ignore[attr-defined, return-value]


def _has_serial_id(model: type[SQLModel]) -> bool:
    return "id" in _table(model).c


class Rows:
    """Rows per table in write order; ``add`` gives serial-id tables their next id."""

    def __init__(self, session: Session) -> None:
        self._rows: dict[type[SQLModel], list[dict]] = {m: [] for m in WRITE_ORDER}
        # Tables may already hold rows (an admin created before seeding): continue after them.
        self._next_id = {
            model: (session.scalar(sa.select(sa.func.max(_table(model).c.id))) or 0) + 1
            for model in WRITE_ORDER if _has_serial_id(model)
        }

    def add(self, model: type[SQLModel], **values: object) -> dict:
        if model in self._next_id:
            values["id"] = self._next_id[model]
            self._next_id[model] += 1
        self._rows[model].append(values)
        return values

    def shift_years(self, years: int) -> None:
        """Moves every date by whole years (29 February to the 28th), birth years and school
        years ("2025-2026") with them, so the data keeps its shape in another year."""
        if not years:
            return
        for rows in self._rows.values():
            for row in rows:
                for key, value in row.items():
                    if isinstance(value, date):  # datetimes too
                        row[key] = _plus_years(value, years)
                    elif key == "birth_year" and isinstance(value, int):
                        row[key] = value + years
                    elif key == "school_year" and isinstance(value, str) and \
                            _SCHOOL_YEAR.fullmatch(value):
                        first, second = value.split("-")
                        row[key] = f"{int(first) + years}-{int(second) + years}"

    def of(self, model: type[SQLModel]) -> list[dict]:
        return self._rows[model]

    def count(self, model: type[SQLModel]) -> int:
        return len(self._rows[model])

    def write(self, session: Session) -> None:
        dialect = session.get_bind().dialect
        postgres = dialect.name == "postgresql"
        for model in WRITE_ORDER:
            rows = self._rows[model]
            if postgres and dialect.driver == "psycopg" and rows:
                _copy(session, _table(model), rows)
                continue
            insert = sa.insert(_table(model))
            for start in range(0, len(rows), BATCH_SIZE):
                session.execute(insert, rows[start:start + BATCH_SIZE])
        if postgres:
            self._advance_sequences(session)

    def _advance_sequences(self, session: Session) -> None:
        """Explicit ids bypass PostgreSQL's sequences; move them past the ids used."""
        preparer = session.get_bind().dialect.identifier_preparer
        for model, next_id in self._next_id.items():
            if self._rows[model]:
                session.execute(
                    sa.text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                    {"table": preparer.format_table(_table(model)), "last": next_id - 1},
                )


def _copy(session: Session, table: sa.Table, rows: list[dict]) -> None:
    """PostgreSQL's COPY, several times faster than batched INSERTs at 10^5 rows and up.

    COPY skips SQLAlchemy, so each value goes through its column type's bind processor here
    (enums to their values, JSON serialised, datetimes in UTC), as an INSERT would do.
    """
    dialect = session.get_bind().dialect
    names = list(rows[0])
    processors = [(name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
                  for name in names]
    quote = dialect.identifier_preparer.quote
    sql = (f"COPY {dialect.identifier_preparer.format_table(table)} "
           f"({', '.join(quote(name) for name in names)}) FROM STDIN")
    with session.connection().connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([process(row[name]) if process else row[name]
                            for name, process in processors])


_SCHOOL_YEAR = re.compile(r"\d{4}-\d{4}")


def _plus_years(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February in a year without one
        return value.replace(year=value.year + years, day=28)
