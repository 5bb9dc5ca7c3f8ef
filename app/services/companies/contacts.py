"""The contacts who act for a company: inviting one (with a new account when the address is
unknown), giving or taking the right to act, and removing one; never the last who acts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from ...models import Company, CompanyContact, Role, User
from ..accounts import has_usable_password, normalise_email, unusable_password_hash
from ..rows import id_of
from .invitations import invitation_token, write_invitation_email
from .rules import DISPLAY_NAME_MAX, EMAIL_MAX, JOB_TITLE_MAX, ContactError


@dataclass(frozen=True)
class ContactRow:
    user: User
    contact: CompanyContact

    @property
    def invited(self) -> bool:
        """Invited, but no password set yet."""
        return not has_usable_password(self.user)


def contacts(*, session: Session, company: Company) -> list[ContactRow]:
    rows = session.exec(
        select(User, CompanyContact).join(CompanyContact, col(CompanyContact.user_id) == User.id)
        .where(CompanyContact.company_id == company.id)
        .order_by(col(User.display_name), col(User.id))
    ).all()
    return [ContactRow(u, c) for u, c in rows]


def _valid_email(email: str) -> bool:
    local, at, domain = email.partition("@")
    return bool(at and local and "." in domain and not domain.startswith(".")
                and not domain.endswith(".") and " " not in email and "@" not in domain)


@dataclass(frozen=True)
class Invitation:
    user: User
    created: bool
    # Only for someone who has no password yet: the link lets them set one. An account that
    # already has a password is linked as it is, and no link to it is ever made.
    token: str | None
    # Whether the link also went to the contact by e-mail (not when BASE_URL is unknown).
    emailed: bool = False


def invite_contact(*, session: Session, company: Company, email: str, display_name: str = "",
                   invited_by: User | None = None, job_title: str = "") -> Invitation:
    """Make someone a contact of ``company`` who can act for it.

    An unknown address gets a company account without a usable password and a link (the
    returned token) to set one, which is also e-mailed to it. An existing company account is
    linked as it is.
    """
    email = normalise_email(email or "")
    if not _valid_email(email) or len(email) > EMAIL_MAX:
        raise ContactError(_("Enter an e-mail address, e.g. name@company.nl."), field="email")
    job_title = (job_title or "").strip()
    if len(job_title) > JOB_TITLE_MAX:
        raise ContactError(_("Keep this to %(n)s characters.", n=JOB_TITLE_MAX),
                           field="job_title")
    user = session.exec(select(User).where(User.email == email)).first()
    created = user is None
    if user is None:
        display_name = (display_name or "").strip()
        if not display_name:
            raise ContactError(_("There is no account for %(email)s yet. Fill in the name of "
                                 "the contact.", email=email), field="display_name")
        if len(display_name) > DISPLAY_NAME_MAX:
            raise ContactError(_("Keep this to %(n)s characters.", n=DISPLAY_NAME_MAX),
                               field="display_name")
        user = User(email=email, role=Role.company, display_name=display_name,
                    password_hash=unusable_password_hash())
        session.add(user)
        session.flush()
    else:
        if user.role is not Role.company:
            raise ContactError(_("%(email)s already has an account of another kind and cannot "
                                 "be a company contact. Use another address.", email=email),
                               field="email")
        if not user.is_active:
            raise ContactError(_("The account of %(email)s is switched off.", email=email),
                               field="email")
        if _contact_id(session, company, user) is not None:
            raise ContactError(_("%(name)s is already a contact of %(company)s.",
                                 name=user.display_name, company=company.name), field="email")
    session.add(CompanyContact(company_id=id_of(company), user_id=id_of(user), can_act=True,
                               job_title=job_title))
    token = None if has_usable_password(user) else invitation_token(user)
    emailed = token is not None and write_invitation_email(
        session=session, user=user, token=token, invited_by=invited_by)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ContactError(_("%(email)s was added by someone else at the same moment. "
                             "Reload the page.", email=email), field="email") from None
    return Invitation(user, created, token, emailed)


def _contact_id(session: Session, company: Company, user: User) -> int | None:
    return session.exec(select(CompanyContact.id).where(
        CompanyContact.company_id == company.id, CompanyContact.user_id == user.id)).first()


def _contact_of(session: Session, company: Company, user: User) -> CompanyContact:
    contact = session.exec(select(CompanyContact).where(
        CompanyContact.company_id == company.id, CompanyContact.user_id == user.id)).first()
    if contact is None:
        raise ContactError(_("%(name)s is not a contact of %(company)s.",
                             name=user.display_name, company=company.name))
    return contact


def _acting_others(session: Session, company: Company, contact: CompanyContact) -> int:
    return session.exec(select(func.count()).select_from(CompanyContact).where(
        CompanyContact.company_id == company.id, CompanyContact.can_act,
        CompanyContact.id != contact.id)).one()


def _lock_company(session: Session, company: Company) -> None:
    """Serialise contact changes of one company (PostgreSQL row lock; SQLite writes one at a
    time anyway), so two requests cannot each remove one of the last two acting contacts."""
    session.exec(sa.update(Company).where(col(Company.id) == company.id)
                 .values(kvk=Company.kvk).execution_options(synchronize_session=False))


def set_contact_rights(*, session: Session, company: Company, contact_user: User,
                       can_act: bool) -> CompanyContact:
    """Give or take away the right to act for the company; never from the last one."""
    _lock_company(session, company)
    try:
        contact = _contact_of(session, company, contact_user)
        if contact.can_act and not can_act and _acting_others(session, company, contact) == 0:
            raise ContactError(_("%(name)s is the only contact who can act for %(company)s. "
                                 "Give someone else that right first.",
                                 name=contact_user.display_name, company=company.name))
        contact.can_act = bool(can_act)
        session.add(contact)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return contact


def remove_contact(*, session: Session, company: Company, contact_user: User) -> None:
    """End someone's link with the company (their account stays); never the last acting one."""
    _lock_company(session, company)
    try:
        contact = _contact_of(session, company, contact_user)
        if contact.can_act and _acting_others(session, company, contact) == 0:
            raise ContactError(_("%(name)s is the only contact who can act for %(company)s and "
                                 "cannot be removed. Invite or give the right to someone else "
                                 "first.", name=contact_user.display_name,
                                 company=company.name))
        session.delete(contact)
        session.commit()
    except BaseException:
        session.rollback()
        raise
