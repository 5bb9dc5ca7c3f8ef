"""Getting into an account: invitations sent, and one-time codes printed for a class.

Links in e-mails (password reset, invitations) are signed tokens and need no table; what is
kept here is what a signature cannot carry: who was invited when, and the codes on a printed
sheet, which are short enough to type and so must be stored (hashed) to be checked and used
up.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .base import utcnow


class AccountInvitation(SQLModel, table=True):
    """One invitation e-mail written for an account without a password."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    invited_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    sent_at: datetime = Field(default_factory=utcnow)


class AccessCode(SQLModel, table=True):
    """A one-time code from a printed sheet: lets its student set a password, once."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    # A keyed hash of the code: the code itself is only ever on paper.
    code_hash: str = Field(max_length=64, unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    # Set when a newer sheet replaces this code, or the password is set another way.
    revoked_at: datetime | None = None
