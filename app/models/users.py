"""Accounts. What a user may see follows from role plus school, region or company."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow
from .enums import Role, enum_column


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=enum_column(Role), index=True)
    display_name: str = Field(max_length=120)
    locale: str = Field(default="nl", max_length=5)
    is_active: bool = True
    # Opt-out of notification e-mails; in-app notifications always arrive.
    email_notifications: bool = Field(default=True,
                                      sa_column_kwargs={"server_default": sa.true()})
    # Counsellors and students belong to a school; coordinators to a region.
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True)
    region_id: int | None = Field(default=None, foreign_key="region.id", index=True)
    # Part of the login cookie: rotating it ends every session of this user.
    session_token: str = Field(default_factory=new_session_token, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None

    # flask-login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"
