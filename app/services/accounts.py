"""Accounts: creating users, checking passwords, ending sessions."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlmodel import Session, col, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import AccessCode, Company, CompanyContact, Region, Role, School, User, utcnow
from ..models.users import new_session_token
from .errors import ServiceError
from .rows import changed_rows, id_of

MIN_PASSWORD_LENGTH = 10
# An account made for someone who has not chosen a password yet (imported, invited): no
# password matches it, and the invitation flow recognises it.
UNUSABLE_PREFIX = "!"
# Accounts made for a printed code sheet (students without an e-mail address) have a login
# name instead: stored as an address in this domain, which by RFC 2606 is never delivered, so
# the address stays unique and no e-mail is ever sent to it.
LOGIN_DOMAIN = "login.talentmatch.invalid"

# Checked against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong
# password and response times do not reveal who has an account.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")


class AccountError(ServiceError):
    """Input that cannot become an account; the message says what to fix."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def login_address(text: str) -> str:
    """The account address typed into the login field: an e-mail address, or a login name
    from a code sheet (no @), which stands for its address in :data:`LOGIN_DOMAIN`."""
    address = normalise_email(text)
    if address and "@" not in address:
        address += "@" + LOGIN_DOMAIN
    return address


def has_mailbox(user: User) -> bool:
    """Whether e-mail can reach this account: not for a login name from a code sheet."""
    email = user.email or ""
    return "@" in email and not email.endswith("@" + LOGIN_DOMAIN)


def login_name(user: User) -> str:
    """What this user types to log in: the e-mail address, or the sheet's login name."""
    return user.email if has_mailbox(user) else user.email.partition("@")[0]


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def unusable_password_hash() -> str:
    return UNUSABLE_PREFIX + secrets.token_urlsafe(24)


def has_usable_password(user: User) -> bool:
    return not user.password_hash.startswith(UNUSABLE_PREFIX)


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = session.exec(select(User).where(User.email == login_address(email))).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if (not has_usable_password(user) or not user.is_active
            or not check_password_hash(user.password_hash, password)):
        return None
    user.last_login_at = utcnow()
    session.add(user)
    session.commit()
    return user


def end_sessions(*, session: Session, user: User) -> None:
    """Invalidate every login cookie of this user, on every device."""
    user.session_token = new_session_token()
    session.add(user)
    session.commit()


def change_password(*, session: Session, user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise AccountError("The current password is not correct.")
    check_new_password(new)
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()
    session.add(user)
    session.commit()


class PasswordRaceError(AccountError):
    """The password changed between reading the account and setting the new one."""


def replace_password(*, session: Session, user: User, password: str) -> None:
    """Set the password its owner chose through a link or a code, and log out every device.

    Conditional on the hash read with ``user``: of two requests with the same link, only one
    sets its password; the other gets :class:`PasswordRaceError`. Every code of a printed sheet
    still open for the account stops working. Does not commit: the caller commits it together
    with what used the link or code up.
    """
    check_new_password(password)
    result = session.execute(
        sa.update(User)
        .where(col(User.id) == user.id, col(User.password_hash) == user.password_hash)
        .values(password_hash=hash_password(password), session_token=new_session_token())
        .execution_options(synchronize_session=False))
    if changed_rows(result) != 1:
        session.rollback()
        raise PasswordRaceError("The password of this account was changed at the same moment.")
    session.execute(
        sa.update(AccessCode)
        .where(col(AccessCode.user_id) == user.id, col(AccessCode.used_at).is_(None),
               col(AccessCode.revoked_at).is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session=False))


def _new_password_hash(password: str | None) -> str:
    if password is None:
        raise AccountError("A password is needed.")
    check_new_password(password)
    return hash_password(password)


def _links_of_role(session: Session, role: Role, *, school_code: str | None,
                   region_slug: str | None, company_kvk: str | None
                   ) -> tuple[School | None, Region | None, Company | None]:
    """(school, region, company) the account of ``role`` belongs to, each looked up by the
    code, slug or KvK number given."""
    school = region = company = None
    if role in (Role.student, Role.counsellor):
        if not school_code:
            raise AccountError(f"A {role.value} needs a school: give its school code.")
        school = session.exec(select(School).where(School.code == school_code)).first()
        if school is None:
            raise AccountError(f"There is no school with code {school_code!r}.")
    if role is Role.coordinator:
        if not region_slug:
            raise AccountError("A coordinator needs a region: give its slug.")
        region = session.exec(select(Region).where(Region.slug == region_slug)).first()
        if region is None:
            raise AccountError(f"There is no region {region_slug!r}.")
    if role is Role.company:
        if not company_kvk:
            raise AccountError("A company contact needs a company: give its KvK number.")
        company = session.exec(select(Company).where(Company.kvk == company_kvk)).first()
        if company is None:
            raise AccountError(f"There is no company with KvK number {company_kvk!r}.")
    return school, region, company


def create_user(
    *,
    session: Session,
    email: str,
    role: Role,
    display_name: str,
    password: str | None = None,
    password_hash: str | None = None,
    school_code: str | None = None,
    region_slug: str | None = None,
    company_kvk: str | None = None,
) -> User:
    """Create an account with the links its role needs; nothing is written on an error."""
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError(f"{email!r} is not an e-mail address.")
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise AccountError(f"There is already an account for {email}.")
    if password_hash is None:
        password_hash = _new_password_hash(password)
    school, region, company = _links_of_role(session, role, school_code=school_code,
                                             region_slug=region_slug, company_kvk=company_kvk)

    user = User(
        email=email,
        role=role,
        display_name=display_name.strip() or email,
        password_hash=password_hash,
        school_id=school.id if school else None,
        region_id=region.id if region else (school.region_id if school else None),
    )
    session.add(user)
    session.flush()
    if company is not None:
        session.add(CompanyContact(company_id=id_of(company), user_id=id_of(user)))
    session.commit()
    return user
