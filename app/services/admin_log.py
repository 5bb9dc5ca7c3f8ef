"""The admin log: one entry per change made through the administration screens (who, when,
what, which object, before and after), and the pages and export that read it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from ..models import AdminLogEntry, User

PAGE_SIZE = 50


@dataclass(frozen=True)
class LogPage:
    rows: list[AdminLogEntry]
    total: int
    page: int
    pages: int


def _plain(value: Any) -> Any:
    """A value JSON can hold: enums and dates as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(getattr(value, "value", value))


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict:
    """The fields of ``obj`` a log entry keeps, as JSON-ready values."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def record(*, session: Session, actor: User | None, action: str, object_type: str,
           object_id: int | None, before: dict | None = None,
           after: dict | None = None) -> AdminLogEntry:
    """Add one entry; not committed: it belongs to the change it describes."""
    entry = AdminLogEntry(actor_id=actor.id if actor else None,
                          actor_name=actor.email if actor else "",
                          action=action, object_type=object_type, object_id=object_id,
                          before=before or {}, after=after or {})
    session.add(entry)
    return entry


def _conditions(actor_id: int | None, action: str | None) -> list:
    conditions = []
    if actor_id is not None:
        conditions.append(col(AdminLogEntry.actor_id) == actor_id)
    if action:
        conditions.append(col(AdminLogEntry.action) == action)
    return conditions


def list_entries(*, session: Session, actor_id: int | None = None, action: str | None = None,
                 page: int = 1, page_size: int = PAGE_SIZE) -> LogPage:
    """Entries, newest first, one page."""
    conditions = _conditions(actor_id, action)
    total = session.exec(select(func.count()).select_from(AdminLogEntry)
                         .where(*conditions)).one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.exec(select(AdminLogEntry).where(*conditions)
                        .order_by(col(AdminLogEntry.created_at).desc(),
                                  col(AdminLogEntry.id).desc())
                        .offset((page - 1) * page_size).limit(page_size)).all()
    return LogPage(list(rows), total, page, pages)


def export_rows(*, session: Session, actor_id: int | None = None,
                action: str | None = None) -> Iterator[list]:
    """Every matching entry as a row of the CSV export, newest first."""
    for entry in session.exec(select(AdminLogEntry).where(*_conditions(actor_id, action))
                              .order_by(col(AdminLogEntry.created_at).desc(),
                                        col(AdminLogEntry.id).desc())):
        yield [entry.created_at.isoformat(timespec="seconds"), entry.actor_name, entry.action,
               entry.object_type, entry.object_id, entry.before, entry.after]


EXPORT_HEADER = ("when", "who", "action", "object", "id", "before", "after")


def actions(*, session: Session) -> list[str]:
    """The actions the log holds, for the filter."""
    return list(session.exec(select(AdminLogEntry.action).distinct()
                             .order_by(col(AdminLogEntry.action))).all())


def actors(*, session: Session) -> list[User]:
    """The users who made a logged change, for the filter."""
    ids = select(AdminLogEntry.actor_id).distinct()
    return list(session.exec(select(User).where(col(User.id).in_(ids))
                             .order_by(col(User.email))).all())


def note(*, session: Session, actor: User | None, action: str, object_type: str,
         object_id: int | None, before: dict | None = None, after: dict | None = None) -> None:
    """Log a change another service has already committed (a region or school saved by
    :mod:`app.services.reference`), and commit the entry."""
    record(session=session, actor=actor, action=action, object_type=object_type,
           object_id=object_id, before=before, after=after)
    session.commit()
