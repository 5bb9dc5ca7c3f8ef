"""Tokens for integrations: made by admins and coordinators, shown once, stored hashed,
scoped, expiring, revocable, and every use logged.

A token acts as one account and has exactly that account's rights (app/permissions), narrowed
by its scopes (:meth:`ApiToken.allows`). The API calls :func:`authenticate_token` for every
request and :func:`record_token_use` after it.

A student's personal token (app/services/personal_tokens.py) is the one token that acts as a
student: made by the student herself, only for her own proposals (``me:read``, ``me:write``), and
only while :func:`student_refusal` finds nothing against it, checked again at every use.

A token reads ``tm_<prefix>_<secret>``: the prefix (8 random characters) is stored as it is,
shown in lists and used to find the token; the secret (32 random bytes) is never stored, only
the SHA-256 of the whole token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, or_, select

from ..models import (
    API_SCOPES,
    ApiToken,
    ApiTokenUse,
    Role,
    StudentProfile,
    User,
    utcnow,
)
from ..models.api_tokens import TOKEN_NAME_MAX, USE_PATH_MAX
from ..models.base import NL, local_today
from ..models.consent import active_consent, may_be_under_consent_age
from .admin_users import _in_region  # the rule of a coordinator's accounts, written once there
from .errors import ServiceError
from .rows import id_of, row_of
from .validation import FieldError, check_date, check_text, reraise_as

# A token is valid for at most a year: an integration that still runs gets a new one in time,
# one that was forgotten stops by itself.
MAX_DAYS = 365
DEFAULT_DAYS = 90
USES_SHOWN = 100
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
# secrets.token_urlsafe(32): 32 bytes as 43 URL-safe base64 characters.
_TOKEN = re.compile(r"^tm_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$")


def _of_region(region_id: int) -> ColumnElement[bool]:
    """Accounts a coordinator of the region manages (as the accounts page lists them)."""
    return cast("ColumnElement[bool]", _in_region(region_id))


class ApiTokenError(ServiceError):
    """A token that cannot be made or changed; the message says why."""


class TokenRejected(ServiceError):
    """A presented token that opens nothing. ``reason`` says why, for the log:
    ``malformed``, ``unknown``, ``expired``, ``revoked``, ``account`` or ``consent``."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    user: User                  # the account it acts as
    creator: User | None = None


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def status_of(token: ApiToken, now: datetime | None = None) -> str:
    """``revoked``, ``expired`` or ``active``."""
    if token.revoked_at is not None:
        return "revoked"
    return "expired" if token.expires_at <= (now or utcnow()) else "active"


def expiry_of(expires_on: date) -> datetime:
    """A token chosen to expire on a day works through that whole day in the Netherlands."""
    return datetime.combine(expires_on + timedelta(days=1), time(), tzinfo=NL).astimezone(UTC)


def last_day_of(token: ApiToken) -> date:
    """The last day a token works (the day chosen when it was made)."""
    return (token.expires_at - timedelta(microseconds=1)).astimezone(NL).date()


# --- who may make tokens for whom -------------------------------------------------------

def can_make_tokens(actor: User) -> bool:
    return actor.role is Role.admin or (actor.role is Role.coordinator
                                        and actor.region_id is not None)


def _choosable(actor: User):
    """The condition on ``User`` of the accounts ``actor`` may let a token act as.

    Never a student's: students are mostly minors, and an integration acting as one would
    reach a child's data with no counsellor or parent in between; systems that hold students
    act as a counsellor or a coordinator instead. Only active accounts: a token of a switched-off
    account would open nothing. An admin chooses any other account; a coordinator themselves
    and the accounts of their region they manage on the administration screens (counsellors of
    its schools, contacts of its companies).
    """
    condition = (col(User.role) != Role.student) & col(User.is_active)
    if actor.role is Role.admin:
        return condition
    region_id = actor.region_id if can_make_tokens(actor) else None
    if region_id is None:
        return col(User.id) == -1
    return condition & or_(col(User.id) == actor.id, _of_region(region_id))


def choosable_accounts(*, session: Session, actor: User) -> list[User]:
    """The accounts ``actor`` may choose for a new token, by name."""
    return list(session.exec(select(User).where(_choosable(actor))
                             .order_by(col(User.display_name), col(User.id))).all())


def _acting_user(session: Session, actor: User, acting_user_id: int | None) -> User:
    user = session.get(User, acting_user_id) if acting_user_id else None
    if user is None:
        raise FieldError(_("Choose the account the token acts as."), "acting_user_id")
    if user.role is Role.student:
        raise FieldError(_("A token cannot act as a student: students are mostly minors. "
                           "Choose a counsellor's or coordinator's account."), "acting_user_id")
    allowed = session.exec(select(User.id).where(col(User.id) == user.id,
                                                 _choosable(actor))).first()
    if allowed is None:
        raise FieldError(_("You cannot make a token for this account: choose an active "
                           "account of your region."), "acting_user_id")
    return user


def _clean_scopes(scopes) -> list[str]:
    chosen = set(scopes or ())
    if not chosen <= set(API_SCOPES):
        raise FieldError(_("Choose scopes from the list."), "scopes")
    if not chosen:
        raise FieldError(_("Choose at least one scope: what the token may read or change."),
                         "scopes")
    return [scope for scope in API_SCOPES if scope in chosen]


def student_refusal(*, session: Session, user: User, made_at: datetime | None = None,
                    today: date | None = None) -> tuple[str, str] | None:
    """Why a personal token may not act as the student ``user`` (a message and the log's
    reason), or None. Asked when one is made and at every use, so that switching the account
    off, erasing the student or withdrawing the consent stops her tokens at once.

    A student who may be under the consent age (app/models/consent.py) needs a parent's,
    guardian's or the school's consent, as before a company sees her: with a token, another
    app reads her proposals and answers for her. A token made under a consent ends with it:
    ``made_at`` given, only a consent that was already there then counts, so a later, new
    consent asks for a new token.
    """
    profile = session.exec(select(StudentProfile)
                           .where(StudentProfile.user_id == user.id)).first()
    if user.role is not Role.student or not user.is_active or profile is None or \
            profile.anonymised_at is not None:
        return _("The account this token acts as is switched off."), "account"
    if may_be_under_consent_age(profile, today or local_today()):
        consent = active_consent(session=session, student=profile)
        if consent is None or (made_at is not None and consent.given_at > made_at):
            return _("A parent or guardian, or your school, must first consent before an app "
                     "may answer for you. Ask your counsellor."), "consent"
    return None


def _new_prefix(session: Session) -> str:
    while True:
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if session.exec(select(ApiToken.id).where(ApiToken.prefix == prefix)).first() is None:
            return prefix


def create_token(*, session: Session, creator: User, acting_user_id: int | None, name: str,
                 scopes, expires_on: date | None,
                 today: date | None = None) -> tuple[ApiToken, str]:
    """A new token and the token itself, to be shown once: only its hash is stored."""
    if not can_make_tokens(creator):
        raise ApiTokenError(_("Only administrators and coordinators make tokens."))
    today = today or local_today()
    with reraise_as(ApiTokenError):
        clean_name = check_text(name, field="name", maximum=TOKEN_NAME_MAX,
                                missing=_l("Give the token a name: what it is for."),
                                too_long=_l("A name has at most %(max)s characters.",
                                            max=TOKEN_NAME_MAX))
        user = _acting_user(session, creator, acting_user_id)
        clean_scopes = _clean_scopes(scopes)
        expiry = check_expiry(expires_on, today=today, max_days=MAX_DAYS)
    return issue_token(session=session, user=user, creator=creator, name=clean_name,
                       scopes=clean_scopes, expires_on=expiry)


def check_expiry(expires_on: date | None, *, today: date, max_days: int) -> date:
    """A token's last day: from tomorrow to ``max_days`` ahead (a FieldError otherwise)."""
    return check_date(expires_on, field="expires_on",
                      missing=_l("Choose the date the token expires."),
                      message=_l("Choose an expiry date from tomorrow to at most "
                                 "%(days)s days ahead.", days=max_days),
                      not_before=today + timedelta(days=1),
                      not_after=today + timedelta(days=max_days))


def issue_token(*, session: Session, user: User, creator: User, name: str, scopes: list[str],
                expires_on: date) -> tuple[ApiToken, str]:
    """Make a token whose every part was checked by the caller; commits. The token itself is
    returned to be shown once: only its hash is stored."""
    prefix = _new_prefix(session)
    raw = f"tm_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user_id=id_of(user), created_by_id=creator.id, name=name,
                     prefix=prefix, secret_hash=hash_token(raw), scopes=scopes,
                     expires_at=expiry_of(expires_on))
    session.add(token)
    session.commit()
    return token, raw


# --- using a token ----------------------------------------------------------------------

def authenticate_token(*, session: Session, raw: str | None,
                       now: datetime | None = None) -> ApiToken:
    """The live token ``raw`` is, or :class:`TokenRejected`."""
    found = _TOKEN.match(raw or "")
    if found is None:
        raise TokenRejected(_("This is not a Talentmatch token."), "malformed")
    # Found by its prefix, which is no secret (lists show it); the hash is then compared in
    # constant time, so the time an answer takes says nothing about the secret.
    token = session.exec(select(ApiToken).where(ApiToken.prefix == found.group(1))).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(found.group(0))):
        raise TokenRejected(_("This token is not valid."), "unknown")
    state = status_of(token, now)
    if state == "revoked":
        raise TokenRejected(_("This token has been revoked."), "revoked")
    if state == "expired":
        raise TokenRejected(_("This token has expired."), "expired")
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise TokenRejected(_("The account this token acts as is switched off."), "account")
    personal = token.personal
    if personal != (user.role is Role.student):
        # A staff token acting as a student, or a student's scopes on a staff account: neither
        # can be made; a row that says so anyway opens nothing.
        raise TokenRejected(_("This token is not valid."), "account")
    if personal and (refusal := student_refusal(session=session, user=user,
                                                made_at=token.created_at,
                                                today=(now or utcnow()).astimezone(NL).date())):
        raise TokenRejected(*refusal)
    return token


def record_token_use(*, session: Session, token: ApiToken, method: str, path: str,
                     status: int) -> ApiTokenUse:
    """Log one request made with ``token`` (the path without its query string)."""
    at = utcnow()
    use = ApiTokenUse(token_id=id_of(token), at=at, method=(method or "").upper()[:10],
                      path=(path or "").split("?", 1)[0][:USE_PATH_MAX], status=int(status))
    token.last_used_at = at
    session.add(use)
    session.add(token)
    session.commit()
    return use


# --- the page's lists and revocation ----------------------------------------------------

def tokens_for(*, session: Session, actor: User) -> list[TokenRow]:
    """The tokens ``actor`` looks after, newest first: an admin every one; a coordinator those
    they made and those acting as an account they could make one for."""
    # Students' personal tokens are theirs to look after (and counted for admins only:
    # :func:`personal_token_count`), not the integrations' page's.
    query = select(ApiToken, User).join(User, col(User.id) == ApiToken.user_id) \
        .where(col(User.role) != Role.student)
    if actor.role is not Role.admin:
        if not can_make_tokens(actor):
            return []
        region_id = actor.region_id
        assert region_id is not None
        query = query.where(or_(col(ApiToken.created_by_id) == actor.id,
                                col(User.id) == actor.id, _of_region(region_id)))
    rows = session.exec(query.order_by(col(ApiToken.created_at).desc(),
                                       col(ApiToken.id).desc())).all()
    return [TokenRow(token, user) for token, user in rows]


def personal_token_count(*, session: Session, now: datetime | None = None) -> int:
    """How many students' personal tokens are active (not revoked, not expired)."""
    return session.exec(select(func.count()).select_from(ApiToken)
                        .join(User, col(User.id) == ApiToken.user_id)
                        .where(col(User.role) == Role.student,
                               col(ApiToken.revoked_at).is_(None),
                               col(ApiToken.expires_at) > (now or utcnow()))).one()


def token_row(*, session: Session, token: ApiToken) -> TokenRow:
    """The token with the account it acts as and the one who made it (None: account gone)."""
    creator = session.get(User, token.created_by_id) if token.created_by_id else None
    return TokenRow(token, row_of(session, User, token.user_id), creator)


def revoke_token(*, session: Session, actor: User, token: ApiToken) -> None:
    """The token opens nothing any more, from now on. Administrators and coordinators revoke
    tokens; a student her own personal tokens."""
    if not can_make_tokens(actor) and not (token.personal and token.user_id == actor.id):
        raise ApiTokenError(_("Only administrators and coordinators revoke tokens."))
    if token.revoked_at is not None:
        raise ApiTokenError(_("This token was already revoked."))
    token.revoked_at = utcnow()
    token.revoked_by_id = actor.id
    session.add(token)
    session.commit()


def uses_of(*, session: Session, token: ApiToken, limit: int = USES_SHOWN) -> list[ApiTokenUse]:
    """The token's latest uses, newest first."""
    return list(session.exec(select(ApiTokenUse).where(ApiTokenUse.token_id == token.id)
                             .order_by(col(ApiTokenUse.at).desc(), col(ApiTokenUse.id).desc())
                             .limit(limit)).all())
