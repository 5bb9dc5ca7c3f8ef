"""Getting a database ready: migrate, and fill an empty one with demo data."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from .. import migrate
from ..models import Region
from .accounts import hash_password


def init_db(*, engine: Engine) -> None:
    migrate.upgrade(engine)


def is_empty(*, session: Session) -> bool:
    return session.exec(select(func.count()).select_from(Region)).one() == 0


def seed_demo(*, session: Session, password: str, students: int = 600, placements: int = 300,
              seed: int = 2026, as_of: date | None = None):
    """Generate demo data for the current school year (or ``as_of``'s); every demo account
    gets ``password``."""
    import seeds  # the generator is only needed here, not on every request

    return seeds.generate(session, students=students, placements=placements, seed=seed,
                          password_hash=hash_password(password), as_of=as_of or date.today())
