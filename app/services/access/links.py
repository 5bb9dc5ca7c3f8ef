"""Signed links that let the owner of an account set its password.

Two kinds, each signed with the app's secret key under its own salt, so one can never pass
for the other:

- an invitation, for an account without a password: valid 14 days, used up when a password
  is set (that rotates the session token the link carries);
- a password reset: valid one hour, used up when the password changes (the link carries a
  fingerprint of the password hash, which any new password replaces).

Nothing is stored for either: what makes a link usable is the account as it is now.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlmodel import Session, col, select

from ...models import Company, CompanyContact, Role, User
from ..accounts import (
    MIN_PASSWORD_LENGTH,
    PasswordRaceError,
    has_usable_password,
    replace_password,
)
from ..rows import id_of
from .rules import INVITATION_DAYS, INVITATION_MAX_AGE, RESET_MAX_AGE, AccessError

INVITATION = "invitation"
RESET = "reset"
# The invitation salt is the one company invitations were signed with before there were
# other kinds: links already sent keep working.
_SALTS = {INVITATION: "invitation", RESET: "password-reset"}
_MAX_AGES = {INVITATION: INVITATION_MAX_AGE, RESET: RESET_MAX_AGE}


def _now() -> float:
    """The clock links are signed and checked against (tests move it)."""
    return time.time()


def _serializer(kind: str, now: float | None) -> URLSafeTimedSerializer:
    moment = int(_now() if now is None else now)

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return moment

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALTS[kind],
                                  signer=ClockSigner)


def _fingerprint(user: User) -> str:
    # A digest, not a piece of the hash: the link's payload is readable by whoever has it.
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:20]


def invitation_token(*, user: User, now: float | None = None) -> str:
    """A link token for ``user`` to set a first password: valid 14 days, once."""
    return _serializer(INVITATION, now).dumps({"user": id_of(user),
                                               "token": user.session_token})


def reset_token(*, user: User, now: float | None = None) -> str:
    """A link token for ``user`` to set a new password: valid one hour, once."""
    return _serializer(RESET, now).dumps({"user": id_of(user), "fp": _fingerprint(user)})


@dataclass(frozen=True)
class Link:
    user: User
    kind: str  # INVITATION or RESET


def company_names(session: Session, user_id: int) -> str:
    names = session.exec(select(Company.name).join(CompanyContact)
                         .where(CompanyContact.user_id == user_id)
                         .order_by(col(Company.name))).all()
    return ", ".join(names)


def ask_whom(session: Session, user: User | None) -> str:
    """Who can send a new link to this user (None: the link did not say whose it is)."""
    if user is None:
        return _("Ask whoever invited you for a new link.")
    if user.role is Role.company:
        companies = company_names(session, id_of(user))
        if companies:
            return _("Ask a colleague at %(company)s or the coordinator of your region for a "
                     "new link.", company=companies)
        return _("Ask the coordinator of your region for a new link.")
    if user.role is Role.student:
        return _("Ask the counsellor at your school for a new link.")
    return _("Ask the administrator of Talentmatch in your region for a new link.")


def _expired(session: Session, kind: str, serializer: URLSafeTimedSerializer,
             error: SignatureExpired) -> AccessError:
    user = None
    with contextlib.suppress(BadData, KeyError, TypeError, ValueError):
        user = session.get(User, int(serializer.load_payload(error.payload or b"")["user"]))
    if kind == RESET:
        return AccessError(_("This link to set a new password has expired: it works for one "
                             "hour. Ask for a new one with “Forgot your password?” on the "
                             "login page."), reason="expired")
    return AccessError(_("This invitation link has expired: links are valid for %(days)s "
                         "days.", days=INVITATION_DAYS) + " " + ask_whom(session, user),
                       reason="expired")


def _invalid() -> AccessError:
    return AccessError(_("This link is not valid. Copy the whole link from the e-mail you "
                         "received; if it still does not work, ask for a new one."),
                       reason="invalid")


def _used(session: Session, kind: str, user: User) -> AccessError:
    if kind == RESET:
        return AccessError(_("This link has already been used, or the password was changed "
                             "since. Log in with your password, or ask for a new link with "
                             "“Forgot your password?” on the login page."), reason="used")
    return AccessError(_("This invitation link has already been used to set a password. Log "
                         "in with your e-mail address and password.") + " "
                       + ask_whom(session, user), reason="used")


def _load(session: Session, token: str, kinds: tuple[str, ...],
          now: float | None) -> tuple[str, dict]:
    """The kind and payload of a link with a good signature, or the error saying why not."""
    for kind in kinds:
        serializer = _serializer(kind, now)
        try:
            data = serializer.loads(token, max_age=int(_MAX_AGES[kind].total_seconds()))
        except SignatureExpired as error:
            raise _expired(session, kind, serializer, error) from None
        except BadData:
            continue  # signed under another salt, or not at all
        if isinstance(data, dict):
            return kind, data
    raise _invalid()


def check_link(*, session: Session, token: str, kinds: tuple[str, ...] = (INVITATION, RESET),
               now: float | None = None) -> Link:
    """The account a link is for, or :class:`AccessError` saying why it cannot be used."""
    kind, data = _load(session, token, kinds, now)
    try:
        user_id = int(data["user"])
        proof = str(data["token" if kind == INVITATION else "fp"])
    except (KeyError, TypeError, ValueError):
        raise _invalid() from None
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise AccessError(_("The account of this link no longer exists or is switched off. "
                            "Ask whoever gave you access."), reason="invalid")
    if kind == INVITATION:
        current = user.session_token
        used = has_usable_password(user)
    else:
        current = _fingerprint(user)
        used = False
    if used or not hmac.compare_digest(current.encode(), proof.encode()):
        raise _used(session, kind, user)
    return Link(user, kind)


def use_link(*, session: Session, token: str, password: str,
             kinds: tuple[str, ...] = (INVITATION, RESET), now: float | None = None) -> Link:
    """Set the password through a link, which cannot be used again; logs out every device."""
    link = check_link(session=session, token=token, kinds=kinds, now=now)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccessError(_("A password needs at least %(n)s characters.",
                            n=MIN_PASSWORD_LENGTH), field="password")
    try:
        replace_password(session=session, user=link.user, password=password)
    except PasswordRaceError:
        raise _used(session, link.kind, link.user) from None
    session.commit()
    session.refresh(link.user)
    return link
