"""The message thread of a proposal: the student, the company contact and the counsellor.

One thread per proposal and no other chat: every message belongs to a proposal, so who may
read it follows from who may see that proposal (app/permissions/threads.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .base import utcnow

# Plain text; long enough for a practical question, short enough to stay a message.
MESSAGE_MAX = 2000


class ProposalMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="matchproposal.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # "student", "counsellor" or "company": what the author was to the proposal when writing,
    # kept when the account goes.
    author_role: str = Field(max_length=20)
    body: str = Field(max_length=MESSAGE_MAX)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class ContactPhone(SQLModel, table=True):
    """A staff member's or company contact's telephone number, shown once a placement is
    agreed so the other side can call. Students have none: they are reached via their school.

    A table of its own rather than a column of ``user``: most accounts never give one.
    """

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    phone: str = Field(max_length=20)
