"""The first answer to each ``Idempotency-Key`` a token sent, so that a repeated request (a
retry after a timeout) gets that answer again instead of doing the work twice."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow

IDEMPOTENCY_KEY_MAX = 200


class ApiIdempotencyKey(SQLModel, table=True):
    __tablename__ = "api_idempotency_key"  # type: ignore[assignment]
    __table_args__ = (sa.UniqueConstraint("token_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    # The token's (the unique pair also indexes it); another token's key of the same
    # text is another key. Deleted with it.
    token_id: int = Field(foreign_key="api_token.id", ondelete="CASCADE")
    key: str = Field(max_length=IDEMPOTENCY_KEY_MAX)
    # SHA-256 (hex) of the method, path and body: the same key with another request is refused.
    request_hash: str = Field(max_length=64)
    status: int
    body: str = Field(sa_type=sa.Text)  # the JSON answered, as sent
    created_at: datetime = Field(default_factory=utcnow)
