"""One-time codes on a printed sheet, for a class whose students have no e-mail address.

A sheet has one page per student: name, class, the site's address, a login name and a code.
At the "I have a code" page the student types the code and chooses a password; the code is
then used up. Codes are kept as keyed hashes (the code itself is only on paper), expire after
30 days, and a new sheet for the class replaces the codes of every earlier one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ...models import AccessCode, Role, School, StudentProfile, User, utcnow
from ..accounts import (
    LOGIN_DOMAIN,
    MIN_PASSWORD_LENGTH,
    PasswordRaceError,
    has_usable_password,
    login_name,
    replace_password,
    unusable_password_hash,
)
from ..rows import changed_rows, id_of, row_of
from .invites import students_access
from .rules import CODE_MAX_AGE, AccessError

# No I, L, O, 0 or 1: nothing a student can misread on paper. Ten of these are 49 bits, far
# beyond guessing at the rate the code page allows.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
_NOT_IN_CODE = re.compile(r"[^A-Z0-9]")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown_code(code: str) -> str:
    """The code as printed: two groups of five."""
    return f"{code[:5]}-{code[5:]}"


def _typed(text: str) -> str:
    """A code as typed: case, spaces and dashes do not matter."""
    return _NOT_IN_CODE.sub("", (text or "").upper())


def code_hash(code: str) -> str:
    # Keyed with the app's secret: a copy of the database alone does not let anyone try all
    # codes offline.
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(key, b"access-code:" + code.encode("ascii", "ignore"),
                    hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SheetPage:
    student: StudentProfile
    login: str
    code: str  # as printed


@dataclass(frozen=True)
class CodeSheet:
    school: School
    class_name: str
    pages: list[SheetPage]
    # Left off: they have a password already (and log in as they do), or their account is
    # switched off.
    left_off: list[StudentProfile]
    expires_at: datetime


def _login_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _new_account(session: Session, school: School, student: StudentProfile) -> User:
    """An account with a login name (school code and student number) and no password."""
    base = f"{_login_slug(school.code)}-{_login_slug(student.student_number)}"
    address, n = f"{base}@{LOGIN_DOMAIN}", 1
    while session.exec(select(User.id).where(User.email == address)).first() is not None:
        n += 1
        address = f"{base}-{n}@{LOGIN_DOMAIN}"
    user = User(email=address, role=Role.student, display_name=student.display_name[:120],
                password_hash=unusable_password_hash(), school_id=school.id,
                region_id=school.region_id, email_notifications=False)
    session.add(user)
    session.flush()
    student.user_id = id_of(user)
    session.add(student)
    return user


def issue_codes(*, session: Session, school: School, class_name: str, created_by: User | None,
                now: datetime | None = None) -> CodeSheet:
    """A new code for every student of the class who has no password yet, with an account
    (a login name) for those who have none; every earlier code of the class stops working.

    The codes are in the returned sheet only: print it now, it cannot be shown again.
    """
    now = now or utcnow()
    rows = students_access(session=session, school=school, class_name=class_name)
    if not rows:
        raise AccessError(_("There are no students in class %(name)s.", name=class_name),
                          field="class_name", reason="unsent")
    user_ids = [id_of(row.user) for row in rows if row.user is not None]
    if user_ids:
        session.execute(
            sa.update(AccessCode)
            .where(col(AccessCode.user_id).in_(user_ids), col(AccessCode.used_at).is_(None),
                   col(AccessCode.revoked_at).is_(None))
            .values(revoked_at=now).execution_options(synchronize_session=False))
    pages, left_off = [], []
    expires_at = now + CODE_MAX_AGE
    for row in rows:
        user = row.user
        if user is not None and (has_usable_password(user) or not user.is_active):
            left_off.append(row.student)
            continue
        if user is None:
            user = _new_account(session, school, row.student)
        code = new_code()
        session.add(AccessCode(user_id=id_of(user), code_hash=code_hash(code),
                               created_by_id=created_by.id if created_by else None,
                               created_at=now, expires_at=expires_at))
        pages.append(SheetPage(row.student, login_name(user), shown_code(code)))
    session.commit()
    return CodeSheet(school, class_name, pages, left_off, expires_at)


def _refused(reason: str) -> AccessError:
    messages = {
        "invalid": _("This code is not right. Check it on your sheet: ten letters and "
                     "digits."),
        "expired": _("This code has expired. Ask your counsellor for a new sheet."),
        "replaced": _("This code has been replaced by a newer sheet. Use the code on the "
                      "newest sheet, or ask your counsellor."),
        "used": _("This code has already been used. Log in with your login name and "
                  "password; forgot your password? Ask your counsellor for a new code."),
    }
    return AccessError(messages[reason], field="code", reason=reason)


def check_code(*, session: Session, code: str, now: datetime | None = None) -> AccessCode:
    """The open code typed, or :class:`AccessError` saying why it cannot be used."""
    typed = _typed(code)
    if len(typed) != CODE_LENGTH:
        raise _refused("invalid")
    found = session.exec(select(AccessCode).where(
        AccessCode.code_hash == code_hash(typed))).first()
    if found is None:
        raise _refused("invalid")
    if found.used_at is not None:
        raise _refused("used")
    if found.revoked_at is not None:
        raise _refused("replaced")
    if found.expires_at <= (now or utcnow()):
        raise _refused("expired")
    user = session.get(User, found.user_id)
    if user is None or not user.is_active:
        raise _refused("invalid")
    return found


def redeem_code(*, session: Session, code: str, password: str,
                now: datetime | None = None) -> User:
    """Set the student's password with a code, which is then used up; every other session of
    the account ends."""
    found = check_code(session=session, code=code, now=now)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccessError(_("A password needs at least %(n)s characters.",
                            n=MIN_PASSWORD_LENGTH), field="password")
    now = now or utcnow()
    # Conditional on the code being open still: of two requests with one code, one wins.
    used = session.execute(
        sa.update(AccessCode)
        .where(col(AccessCode.id) == found.id, col(AccessCode.used_at).is_(None),
               col(AccessCode.revoked_at).is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if changed_rows(used) != 1:
        session.rollback()
        raise _refused("used")
    user = row_of(session, User, found.user_id)
    try:
        replace_password(session=session, user=user, password=password)
    except PasswordRaceError:
        raise _refused("used") from None
    session.commit()
    session.refresh(user)
    return user
