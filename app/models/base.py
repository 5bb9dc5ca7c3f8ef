"""Shared column helpers and the metadata naming convention."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import SQLModel

# Named constraints make Alembic migrations deterministic on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The pacts are Dutch: a deadline, an age or "open today" is a day on the Dutch calendar,
# whatever time zone the server runs in (a container's is usually UTC, an hour or two behind).
NL = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """Aware UTC; SQLModel's datetime columns refuse naive values."""
    return datetime.now(UTC)


def local_today() -> date:
    """Today in the Netherlands: what every "today" of the service means."""
    return datetime.now(NL).date()
