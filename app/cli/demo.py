"""Demo data for a fresh installation: the only place production code reaches the seeds package."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.services.accounts import hash_password

from ..models.base import local_today


def seed_demo(*, session: Session, password: str, students: int = 600, placements: int = 300,
              seed: int = 2026, as_of: date | None = None):
    """Generate demo data for the current school year (or ``as_of``'s); every demo account
    gets ``password``."""
    import seeds  # the generator is only needed by this command, not on every request

    return seeds.generate(session, students=students, placements=placements, seed=seed,
                          password_hash=hash_password(password), as_of=as_of or local_today())
