"""The admin log: every change made through the administration screens, with its before and
after, so that who changed an account or a school can always be looked up."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class AdminLogEntry(SQLModel, table=True):
    __tablename__ = "admin_log"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    # Kept when the actor's account goes: the entry names them in ``actor_name`` as well.
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True,
                                 ondelete="SET NULL")
    actor_name: str = Field(default="", max_length=254)
    action: str = Field(max_length=40, index=True)
    object_type: str = Field(max_length=40)
    object_id: int | None = None
    before: dict = Field(default_factory=dict, sa_type=sa.JSON)
    after: dict = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=utcnow, index=True)
