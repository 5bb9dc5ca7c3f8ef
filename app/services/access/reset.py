"""Forgotten passwords: an e-mail with a link to choose a new one, for known addresses only,
while the answer to whoever asks is the same for every address."""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from ...models import User
from ..accounts import has_mailbox, normalise_email
from .links import reset_token
from .mails import write_reset
from .rules import site_address

log = logging.getLogger(__name__)


def request_password_reset(*, session: Session, email: str) -> bool:
    """Write a reset e-mail when ``email`` belongs to an active account that can receive one.

    Returns whether one was written, for the logs and tests only: whoever asked must be told
    the same either way, or the form would tell who has an account.
    """
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None or not user.is_active or not has_mailbox(user):
        return False
    site = site_address()
    if not site:
        log.error("password reset for user %s not sent: set BASE_URL so e-mails can link "
                  "to Talentmatch", user.id)
        return False
    write_reset(session=session, user=user, token=reset_token(user=user), site=site)
    session.commit()
    return True
