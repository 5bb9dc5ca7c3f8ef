"""Second factors: time-based one-time codes (TOTP, RFC 6238) and single-use recovery codes.

Staff who see minors' personal data (admins, coordinators, counsellors) must have one; company
contacts and scouts may turn one on; students never have one. Setting up stores a pending
secret, which the first correct code turns on, giving ten recovery codes shown once.

A code is accepted in its own 30-second step and the ones either side (a phone's clock is
rarely exact), and only for a step later than the last one accepted, so no code works twice.
That rule, and a recovery code being used once, hold across workers: each is a conditional
UPDATE that only one request can win.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass
from typing import Literal

import pyotp
import sqlalchemy as sa
from flask_babel import gettext as _
from pyotp.totp import TOTP
from sqlmodel import Session, col, func, or_, select

from ..models import Role, User, utcnow
from ..models.two_factor import TwoFactor
from .errors import ServiceError
from .rows import changed_rows, id_of

REQUIRED_ROLES = frozenset({Role.admin, Role.coordinator, Role.counsellor})
STEP_SECONDS = 30
DIGITS = 6
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code read off paper is typed without guessing. 31 signs, 16 of them: 79 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 16
ISSUER = "Talentmatch"
PAGE_SIZE = 50


class TwoFactorError(ServiceError):
    """A second-factor step that cannot be taken; the message says why."""


class WrongCode(TwoFactorError):
    """The code is not (or no longer) valid: counted by the throttle like a wrong password."""

    def __init__(self) -> None:
        super().__init__(_("That code is not correct. Type the code your app shows now, or "
                           "a recovery code."), field="code")


class NotForStudents(TwoFactorError):
    def __init__(self) -> None:
        super().__init__(_("Students do not use a second factor."))


class NoSuchAccount(TwoFactorError):
    # Only the command line looks accounts up by address, and it has no request to take a
    # language from: the message stays English.
    def __init__(self, email: str) -> None:
        super().__init__(f"There is no account for {email}.")
        self.email = email


class StillRequired(TwoFactorError):
    def __init__(self) -> None:
        super().__init__(_("Your role needs a second factor: it cannot be turned off."))


Accepted = Literal["code", "recovery code"]


def may_use(user: User) -> bool:
    return user.role is not Role.student


def is_required(*, user: User, required: bool) -> bool:
    """Whether ``user`` must have a second factor; ``required`` is the site's setting
    (TWO_FACTOR_REQUIRED): off, every role that may use one chooses."""
    return required and user.role in REQUIRED_ROLES


def factor_of(*, session: Session, user: User) -> TwoFactor | None:
    return session.get(TwoFactor, id_of(user))


def enabled_factor(*, session: Session, user: User) -> TwoFactor | None:
    factor = factor_of(session=session, user=user)
    return factor if factor is not None and factor.enabled_at is not None else None


def needs_code(*, session: Session, user: User, required: bool,
               has_factor: bool | None = None) -> Literal["", "enrol", "code"]:
    """What this user must do after their password: "enrol", give a "code", or nothing.
    ``has_factor``: whether an enabled factor exists, when the caller knows already."""
    if not may_use(user):
        return ""
    if has_factor is None:
        has_factor = enabled_factor(session=session, user=user) is not None
    if has_factor:
        return "code"
    return "enrol" if is_required(user=user, required=required) else ""


def pending_secret(*, session: Session, user: User) -> str:
    """The secret being set up: made on the first call, the same on the next ones (a page
    opened again shows the QR code the phone may have scanned already)."""
    if not may_use(user):
        raise NotForStudents
    factor = factor_of(session=session, user=user)
    if factor is not None and factor.enabled_at is not None:
        raise TwoFactorError(_("A second factor is already set up."))
    if factor is None:
        factor = TwoFactor(user_id=id_of(user), secret=pyotp.random_base32())
        session.add(factor)
        session.commit()
    return factor.secret


def provisioning_uri(*, secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def _step(now: float | None) -> int:
    return math.floor((time.time() if now is None else now) / STEP_SECONDS)


def _matching_step(secret: str, code: str, now: float | None) -> int | None:
    """The step (of the current one and those either side) whose code is ``code``."""
    totp = TOTP(secret)
    current = _step(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _is_totp(code: str) -> bool:
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _new_recovery_codes() -> list[str]:
    return ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
            for _ in range(RECOVERY_CODE_COUNT)]


def format_recovery_code(code: str) -> str:
    """``abcd-efgh-jkmn-pqrs``: dashes for the eye, ignored when typed."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _use_step(session: Session, user_id: int, step: int) -> bool:
    """Records ``step`` as used, unless it (or a later one) was already: one request wins."""
    result = session.execute(
        sa.update(TwoFactor)
        .where(col(TwoFactor.user_id) == user_id,
               or_(col(TwoFactor.last_used_step).is_(None),
                   col(TwoFactor.last_used_step) < step))
        .values(last_used_step=step))
    return changed_rows(result) == 1


def _take_recovery_code(session: Session, factor: TwoFactor, code: str) -> bool:
    hashes = factor.recovery_code_hashes.split()
    digest = _hash(code)
    if not any(hmac.compare_digest(digest, known) for known in hashes):
        return False
    left = " ".join(known for known in hashes if known != digest)
    result = session.execute(
        sa.update(TwoFactor)
        .where(col(TwoFactor.user_id) == factor.user_id,
               col(TwoFactor.recovery_code_hashes) == factor.recovery_code_hashes)
        .values(recovery_code_hashes=left))
    return changed_rows(result) == 1


def _store_recovery_codes(factor: TwoFactor) -> list[str]:
    codes = _new_recovery_codes()
    factor.recovery_code_hashes = " ".join(_hash(code) for code in codes)
    return [format_recovery_code(code) for code in codes]


def confirm(*, session: Session, user: User, code: str, now: float | None = None) -> list[str]:
    """Turns the pending secret on with its first code; returns the recovery codes (shown
    once: only their hashes are kept)."""
    factor = factor_of(session=session, user=user)
    if factor is None or factor.enabled_at is not None:
        raise TwoFactorError(_("There is no second factor being set up. Open the page "
                               "again."))
    code = _clean(code)
    step = _matching_step(factor.secret, code, now) if _is_totp(code) else None
    if step is None or not _use_step(session, factor.user_id, step):
        session.rollback()
        raise WrongCode
    factor.enabled_at = utcnow()
    factor.last_used_step = step
    codes = _store_recovery_codes(factor)
    session.add(factor)
    session.commit()
    return codes


def verify(*, session: Session, user: User, code: str, now: float | None = None) -> Accepted:
    """Checks a code, or a recovery code (which is then used up); WrongCode otherwise."""
    factor = enabled_factor(session=session, user=user)
    if factor is None:
        raise TwoFactorError(_("You have no second factor set up."))
    code = _clean(code)
    if _is_totp(code):
        step = _matching_step(factor.secret, code, now)
        accepted = step is not None and _use_step(session, factor.user_id, step)
        kind: Accepted = "code"
    else:
        accepted = _take_recovery_code(session, factor, code)
        kind = "recovery code"
    if not accepted:
        session.rollback()
        raise WrongCode
    session.commit()
    session.refresh(factor)
    return kind


def recovery_codes_left(*, session: Session, user: User) -> int:
    factor = enabled_factor(session=session, user=user)
    return len(factor.recovery_code_hashes.split()) if factor is not None else 0


def new_recovery_codes(*, session: Session, user: User, code: str,
                       now: float | None = None) -> list[str]:
    """Replaces every recovery code, after a correct code: the old ones stop working."""
    verify(session=session, user=user, code=code, now=now)
    factor = enabled_factor(session=session, user=user)
    if factor is None:  # reset by an admin between the two statements
        raise TwoFactorError(_("You have no second factor set up."))
    codes = _store_recovery_codes(factor)
    session.add(factor)
    session.commit()
    return codes


def turn_off(*, session: Session, user: User, code: str, required: bool,
             now: float | None = None) -> None:
    """Removes one's own second factor, after a correct code; not for roles that need one."""
    if is_required(user=user, required=required):
        raise StillRequired
    verify(session=session, user=user, code=code, now=now)
    reset(session=session, user=user)


def reset(*, session: Session, user: User) -> bool:
    """Removes the user's second factor (an admin's reset, or turning it off): a role that
    needs one sets it up again at the next login. False when there was none."""
    result = session.execute(sa.delete(TwoFactor).where(col(TwoFactor.user_id) == id_of(user)))
    session.commit()
    return changed_rows(result) > 0


def reset_by_email(*, session: Session, email: str) -> tuple[User, bool]:
    """``reset`` for the account with this e-mail address (the command line's way)."""
    address = email.strip().lower()
    user = session.exec(select(User).where(User.email == address)).first()
    if user is None:
        raise NoSuchAccount(address)
    return user, reset(session=session, user=user)


@dataclass(frozen=True)
class FactorRow:
    user: User
    factor: TwoFactor


@dataclass(frozen=True)
class FactorList:
    rows: list[FactorRow]
    total: int
    page: int
    pages: int


def accounts_with_factor(*, session: Session, query: str = "", page: int = 1) -> FactorList:
    """Accounts with a second factor, set up or being set up, by e-mail; ``query`` narrows
    to e-mail addresses and names containing it."""
    condition = sa.true()
    if query:
        term = query.lower()
        condition = or_(func.lower(col(User.email)).contains(term, autoescape=True),
                        func.lower(col(User.display_name)).contains(term, autoescape=True))
    joined = (select(User, TwoFactor).join(TwoFactor, col(TwoFactor.user_id) == col(User.id))
              .where(condition))
    total = session.exec(select(func.count()).select_from(joined.subquery())).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    found = session.exec(joined.order_by(col(User.email))
                         .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return FactorList([FactorRow(user, factor) for user, factor in found], total, page, pages)
