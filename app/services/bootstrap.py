"""Getting a database ready: migrate it, and tell whether it is still empty."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from .. import migrate
from ..models import Region


def init_db(*, engine: Engine) -> None:
    migrate.upgrade(engine)


def is_empty(*, session: Session) -> bool:
    return session.exec(select(func.count()).select_from(Region)).one() == 0
