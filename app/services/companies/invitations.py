"""Invitation links for company contacts: the invitation links of :mod:`app.services.access`
(valid 14 days, used up when a password is set), read against this package's clock, with the
errors as :class:`InvitationError`; and the e-mail that carries the link to the contact."""

from __future__ import annotations

import logging
import time

from sqlmodel import Session

from ...models import User
from .. import access
from .rules import InvitationError

log = logging.getLogger(__name__)


def _now() -> float:
    """The clock invitation links are checked against (tests move it)."""
    return time.time()


def _clock() -> float:
    # The package's name for the clock, which is where tests replace it: a function-level
    # import, since the package imports this module.
    from . import _now as now

    return now()


def _as_invitation_error(error: access.AccessError) -> InvitationError:
    return InvitationError(str(error), error.field, reason=error.reason)


def invitation_token(user: User) -> str:
    """A link token for ``user`` to set their password: valid 14 days, used up when the
    password is set."""
    return access.invitation_token(user=user, now=_clock())


def check_invitation(*, session: Session, token: str) -> User:
    """The user an invitation link is for, or :class:`InvitationError` saying why not."""
    try:
        return access.check_link(session=session, token=token, kinds=(access.INVITATION,),
                                 now=_clock()).user
    except access.AccessError as error:
        raise _as_invitation_error(error) from None


def accept_invitation(*, session: Session, token: str, password: str) -> User:
    """Set the password of an invited contact; the link cannot be used again."""
    try:
        return access.use_link(session=session, token=token, password=password,
                               kinds=(access.INVITATION,), now=_clock()).user
    except access.AccessError as error:
        raise _as_invitation_error(error) from None


def write_invitation_email(*, session: Session, user: User, token: str,
                           invited_by: User | None) -> bool:
    """Add the e-mail with the invitation link to the outbox (not committed: it belongs to
    the invitation). False when Talentmatch does not know its own address, so the coordinator
    has to pass the link on."""
    if access.send_invitation(session=session, user=user, invited_by=invited_by, token=token):
        return True
    log.warning("invitation of user %s not e-mailed: BASE_URL is not set", user.id)
    return False
