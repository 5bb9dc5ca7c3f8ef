"""What every part of the generator shares: the random stream, the rows, the places."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from app.models import Role, User
from app.models.users import new_session_token

from .places import Atlas
from .refdata import first_names, last_names
from .store import Rows

# When the demo data says it was set up; fixed so that reruns are identical.
SEEDED_AT = datetime(2025, 8, 1, 8, 0, tzinfo=UTC)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass
class Build:
    rng: random.Random
    rows: Rows
    atlas: Atlas
    password_hash: str

    def person(self, gender: str | None = None) -> tuple[str, str]:
        """A first and last name; a given gender picks from that gender's names."""
        names = first_names()
        pool = names.get(gender or "") or self.rng.choice((names["girl"], names["boy"]))
        return self.rng.choice(pool), self.rng.choice(last_names())

    def user(self, role: Role, email: str, display_name: str, *,
             school_id: int | None = None, region_id: int | None = None,
             created_at: datetime = SEEDED_AT) -> dict:
        # A fresh random token, not one from the seed: it is a secret, never demo data.
        return self.rows.add(
            User, email=email, password_hash=self.password_hash, role=role,
            display_name=display_name, locale="nl", is_active=True, email_notifications=True,
            school_id=school_id, region_id=region_id, created_at=created_at,
            last_login_at=None, session_token=new_session_token(),
        )
