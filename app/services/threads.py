"""The message thread of a proposal, between the student, the company and the counsellor.

There is no chat outside a proposal: a message always belongs to one, and the view has already
checked (app/permissions/threads.py) that its writer takes part and in which role. Messages are
plain text, at most :data:`~app.models.MESSAGE_MAX` characters; pages escape them.

Every other participant gets one notification per message, in the app and (unless switched off)
by e-mail. The notification names who wrote and about which placement, not what: a message
between a minor and a company stays in the app, not in mailboxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from ..models import (
    MESSAGE_MAX,
    CompanyContact,
    MatchProposal,
    Placement,
    ProposalMessage,
    StudentProfile,
    User,
)
from ..models.base import local_today
from ..models.consent import may_show_to_companies
from ..models.lifecycle import COMPANY_VISIBLE, STUDENT_VISIBLE
from .errors import ServiceError
from .notifications import counsellors_of, notify
from .rows import id_of, row_of
from .validation import check_text, reraise_as

ROLES = ("student", "counsellor", "company")


class MessageError(ServiceError):
    """A message that cannot be sent; the message says why. Nothing was saved."""


@dataclass(frozen=True)
class MessageView:
    author: str
    author_role: str
    body: str
    at: datetime
    mine: bool


def link_of(proposal: MatchProposal) -> str:
    return f"/proposals/{proposal.id}/messages"


def messages_for(*, session: Session, proposal: MatchProposal, reader: User,
                 role: str) -> list[MessageView]:
    """The thread as ``reader`` (in ``role``) may read it, oldest first.

    A company reads from the moment the candidate reached it: what the student and the
    counsellor wrote before is between them.
    """
    query = (select(ProposalMessage, User)
             .join(User, col(User.id) == ProposalMessage.author_id, isouter=True)
             .where(ProposalMessage.proposal_id == proposal.id))
    if role == "company":
        since = proposal.sent_to_company_at
        if since is None:
            return []
        query = query.where(col(ProposalMessage.created_at) >= since)
    rows = session.exec(query.order_by(col(ProposalMessage.created_at),
                                       col(ProposalMessage.id))).all()
    return [MessageView(author=user.display_name if user else str(_("a former participant")),
                        author_role=message.author_role, body=message.body,
                        at=message.created_at, mine=message.author_id == reader.id)
            for message, user in rows]


def participants(*, session: Session, proposal: MatchProposal,
                 today: date | None = None) -> list[User]:
    """Everyone who reads this thread now: the student, their school's counsellors and, once
    the candidate reached it and while it may see the student, the company's contacts."""
    student = row_of(session, StudentProfile, proposal.student_id)
    users: list[User] = []
    if student.user_id and proposal.status in STUDENT_VISIBLE:
        owner = session.get(User, student.user_id)
        if owner is not None and owner.is_active:
            users.append(owner)
    users += counsellors_of(session=session, school_ids=[student.school_id])
    if proposal.status in COMPANY_VISIBLE and may_show_to_companies(
            session=session, student=student, today=today or local_today()):
        placement = row_of(session, Placement, proposal.placement_id)
        users += session.exec(
            select(User).join(CompanyContact, col(CompanyContact.user_id) == User.id)
            .where(CompanyContact.company_id == placement.company_id, CompanyContact.can_act,
                   User.is_active).order_by(col(User.id))).all()
    return list({id_of(user): user for user in users}.values())


def post_message(*, session: Session, proposal: MatchProposal, author: User, role: str,
                 body: str) -> ProposalMessage:
    """Saves the message and tells every other participant once. Commits."""
    if role not in ROLES:
        raise MessageError(_("You do not take part in this conversation."))
    with reraise_as(MessageError):
        text = check_text(body, field="body", maximum=MESSAGE_MAX,
                          missing=_l("Write a message first."),
                          too_long=_l("A message can be at most %(n)s characters.",
                                      n=MESSAGE_MAX))
    message = ProposalMessage(proposal_id=id_of(proposal), author_id=author.id,
                              author_role=role, body=text)
    session.add(message)
    placement = row_of(session, Placement, proposal.placement_id)
    others = [user for user in participants(session=session, proposal=proposal)
              if user.id != author.id]
    name = author.display_name
    notify(session=session, users=others, kind="message",
           message=lambda: _("%(name)s wrote a message about %(title)s.", name=name,
                             title=placement.title),
           link=link_of(proposal))
    session.commit()
    return message
