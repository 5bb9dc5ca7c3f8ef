"""Tokens with which other systems (a school's administration, a region's planning tool) use
the JSON API, and the log of every request made with one.

A token acts as one account: what it may do is exactly what that account may do in
app/permissions, narrowed by its scopes. The scopes are named here, once.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class ApiArea(enum.StrEnum):
    """The parts of the API a token's scopes are about."""

    reference = "reference"      # regions, schools
    students = "students"
    activities = "activities"    # activities, participations, observations
    placements = "placements"    # companies, placements
    proposals = "proposals"      # proposals, recommendations
    monitor = "monitor"          # the monitor's figures, the fairness audit
    # A student's own proposals and recommendations, for a personal token the student made
    # herself; the only area such a token has, and one no other token has.
    me = "me"


class ApiAccess(enum.StrEnum):
    read = "read"
    write = "write"          # implies read


def scope_name(area: ApiArea | str, access: ApiAccess | str) -> str:
    """The text of one scope, e.g. ``students:write``."""
    return f"{ApiArea(area).value}:{ApiAccess(access).value}"


# The scopes of a token made on the token page (acting as a staff account), area by area,
# read before write: every area but ``me``.
API_SCOPES: tuple[str, ...] = tuple(scope_name(area, access) for area in ApiArea
                                    if area is not ApiArea.me for access in ApiAccess)
# The scopes of a student's personal token: her own proposals, read or also answered.
STUDENT_SCOPES: tuple[str, ...] = tuple(scope_name(ApiArea.me, access) for access in ApiAccess)

# The longest name and path the tables hold.
TOKEN_NAME_MAX = 120
USE_PATH_MAX = 300


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    # The account the token acts as; its tokens go with it.
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # What it is for, e.g. "Magister Het Liemers College".
    name: str = Field(max_length=TOKEN_NAME_MAX)
    # The first characters of the token, shown in lists so people can tell tokens apart, and
    # how a presented token is found (the hash is then compared in constant time).
    prefix: str = Field(max_length=16, unique=True)
    # SHA-256 (hex) of the whole token. The secret is 32 random bytes from ``secrets``, so
    # nobody can guess it by trying candidates: a fast hash suffices, unlike for passwords,
    # which people choose and which need a slow, salted one. The token itself is never stored.
    secret_hash: str = Field(max_length=64)
    scopes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    last_used_at: datetime | None = None

    @property
    def personal(self) -> bool:
        """A student's own token: made by its account itself, with the student scopes only.
        (A token made on the token page never acts as a student and never has them.)"""
        return self.created_by_id == self.user_id and bool(self.scopes) and \
            set(self.scopes) <= set(STUDENT_SCOPES)

    def allows(self, area: ApiArea | str, *, write: bool) -> bool:
        """Whether the scopes let this token read (or, with ``write``, change) ``area``.
        A write scope implies read. Says nothing about expiry or revocation: a token that
        :func:`app.services.api_tokens.authenticate_token` accepted is a live one."""
        wanted = {scope_name(area, ApiAccess.write)}
        if not write:
            wanted.add(scope_name(area, ApiAccess.read))
        return not wanted.isdisjoint(self.scopes or ())


class ApiTokenUse(SQLModel, table=True):
    """One request made with a token: when, what, and the status it got."""

    __tablename__ = "api_token_use"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    token_id: int = Field(foreign_key="api_token.id", index=True, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow)
    method: str = Field(max_length=10)
    path: str = Field(max_length=USE_PATH_MAX)
    status: int
