"""A user's second factor: a TOTP secret (RFC 6238) and single-use recovery codes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class TwoFactor(SQLModel, table=True):
    """One per user. Pending (being set up) while ``enabled_at`` is empty.

    The secret is stored as the base32 text the authenticator app gets: it has to be read back
    to check a code, so hashing is no option, and a key to encrypt it with would live beside
    it on the same server. Recovery codes are stored as SHA-256 hashes (they are random, 80
    bits: no slow hash needed), separated by spaces, each removed when it is used.
    """

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    secret: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    enabled_at: datetime | None = None
    # The 30-second time step of the last code accepted: a code of that step or an earlier
    # one is refused, so a code seen over someone's shoulder cannot be used again.
    last_used_step: int | None = None
    recovery_code_hashes: str = Field(default="", sa_type=sa.Text)
