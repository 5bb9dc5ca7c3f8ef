"""Invitation links: a signed token that lets an invited contact set a password once, within
14 days, and what to tell someone whose link is expired, used or broken."""

from __future__ import annotations

import contextlib
import time

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlmodel import Session, col, select

from ...models import Company, CompanyContact, Role, User
from ...models.users import new_session_token
from ..accounts import MIN_PASSWORD_LENGTH, has_usable_password, hash_password
from ..rows import changed_rows
from .rules import INVITATION_DAYS, INVITATION_MAX_AGE, InvitationError


def _now() -> float:
    """The clock invitation links are checked against (tests move it)."""
    return time.time()


class _ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        # The package's name for the clock, which is where tests replace it.
        from . import _now as now

        return int(now())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="invitation",
                                  signer=_ClockSigner)


def invitation_token(user: User) -> str:
    """A link token for ``user`` to set their password: valid 14 days, used up when the
    password is set (that rotates ``session_token``, which the token carries)."""
    return _serializer().dumps({"user": user.id, "token": user.session_token})


def _company_names(session: Session, user_id: int) -> str:
    names = session.exec(select(Company.name).join(CompanyContact)
                         .where(CompanyContact.user_id == user_id)
                         .order_by(col(Company.name))).all()
    return ", ".join(names)


def _ask_whom(session: Session, user_id: int | None) -> str:
    companies = _company_names(session, user_id) if user_id is not None else ""
    if companies:
        return _("Ask a colleague at %(company)s or the coordinator of your region for a new "
                 "link.", company=companies)
    return _("Ask the coordinator of your region for a new link.")


def check_invitation(*, session: Session, token: str) -> User:
    """The user an invitation link is for, or :class:`InvitationError` saying why not."""
    serializer = _serializer()
    try:
        data = serializer.loads(token, max_age=int(INVITATION_MAX_AGE.total_seconds()))
    except SignatureExpired as error:
        user_id = None
        with contextlib.suppress(BadData, KeyError, TypeError, ValueError):
            user_id = int(serializer.load_payload(error.payload or b"")["user"])
        raise InvitationError(
            _("This invitation link has expired: links are valid for %(days)s days.",
              days=INVITATION_DAYS) + " " + _ask_whom(session, user_id),
            reason="expired") from None
    except BadData:
        raise InvitationError(
            _("This invitation link is not valid. Copy the whole link from the message you "
              "received; if it still does not work, ask the coordinator of your region for a "
              "new link."), reason="invalid") from None
    try:
        user_id, session_token = int(data["user"]), str(data["token"])
    except (KeyError, TypeError, ValueError):
        raise InvitationError(_("This invitation link is not valid. Ask the coordinator of "
                                "your region for a new link."), reason="invalid") from None
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.role is not Role.company:
        raise InvitationError(_("The account of this invitation no longer exists or is "
                                "switched off. Ask the coordinator of your region."),
                              reason="invalid")
    if user.session_token != session_token or has_usable_password(user):
        raise InvitationError(
            _("This invitation link has already been used to set a password. Log in with your "
              "e-mail address and password.") + " " + _ask_whom(session, user.id),
            reason="used")
    return user


def accept_invitation(*, session: Session, token: str, password: str) -> User:
    """Set the password of an invited contact; the link cannot be used again."""
    user = check_invitation(session=session, token=token)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvitationError(_("A password needs at least %(n)s characters.",
                                n=MIN_PASSWORD_LENGTH), field="password")
    old_token = user.session_token
    # Conditional on the old token: of two requests with the same link, only one wins.
    result = session.execute(
        sa.update(User).where(col(User.id) == user.id, col(User.session_token) == old_token)
        .values(password_hash=hash_password(password), session_token=new_session_token())
        .execution_options(synchronize_session=False))
    if changed_rows(result) != 1:
        session.rollback()
        raise InvitationError(_("This invitation link has already been used to set a "
                                "password. Log in with your e-mail address and password."),
                              reason="used")
    session.commit()
    session.refresh(user)
    return user
