"""Companies: their profile, the contacts who act for them, and invitations for new contacts.

Every function takes keyword arguments, validates, commits, and raises a
:class:`CompanyError` (a ``ValueError``) whose message says what to fix; ``field`` names the
form field the message belongs to, if any. Who may call what is decided by the views with
the ``can_*`` functions below (to move into :mod:`app.permissions`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlmodel import Session, func, select

from ..models import Company, CompanyContact, Placement, PlacementStatus, Region, Role, User
from ..models.users import new_session_token
from .accounts import (
    MIN_PASSWORD_LENGTH,
    has_usable_password,
    hash_password,
    normalise_email,
    unusable_password_hash,
)
from .errors import ServiceError
from .validation import FieldError, check_kinds, check_kvk, check_pc4, check_website, place_of

PAGE_SIZE = 25
INVITATION_DAYS = 14
INVITATION_MAX_AGE = timedelta(days=INVITATION_DAYS)


def _max(column) -> int:
    return column.type.length


NAME_MAX = _max(Company.__table__.c.name)
SECTOR_MAX = _max(Company.__table__.c.sector)
ADDRESS_MAX = _max(Company.__table__.c.address)
NOTES_MAX = _max(Company.__table__.c.accessibility_notes)
JOB_TITLE_MAX = _max(CompanyContact.__table__.c.job_title)
DISPLAY_NAME_MAX = _max(User.__table__.c.display_name)


# --- errors -----------------------------------------------------------------------------

class CompanyError(ServiceError):
    """Input that cannot be saved; the message says what to fix."""


class ContactError(CompanyError):
    """A contact who cannot be invited, changed or removed as asked."""


class InvitationError(CompanyError):
    """An invitation link that cannot be used (any more)."""

    def __init__(self, message: str, field: str | None = None, *, reason: str = "invalid"):
        super().__init__(message, field)
        self.reason = reason  # "invalid", "expired" or "used"


# --- the profile ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Profile:
    name: str
    kvk: str
    sector: str
    address: str
    postcode: str
    place: str
    website: str
    recognised: bool
    recognised_for: list[str]
    offers_mentor: bool
    female_role_model: bool
    accessibility_notes: str


def _text(value: str | None, *, limit: int, field: str, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CompanyError(required, field=field)
    if len(value) > limit:
        raise CompanyError(_("Keep this to %(n)s characters.", n=limit), field=field)
    return value


def _clean(session: Session, *, company_id: int | None, name: str, kvk: str, sector: str,
           address: str, postcode: str, website: str, recognised: bool,
           recognised_for: Iterable[str], offers_mentor: bool, female_role_model: bool,
           accessibility_notes: str) -> _Profile:
    name = _text(name, limit=NAME_MAX, field="name",
                 required=_("Give the name of the company."))
    try:
        kvk = check_kvk(kvk)
    except FieldError as error:
        raise CompanyError(str(error), field="kvk") from None
    other = session.exec(select(Company).where(Company.kvk == kvk)).first()
    if other is not None and other.id != company_id:
        raise CompanyError(_("KvK number %(kvk)s is already registered for %(company)s. Check "
                             "the number; if it is the same company, edit that one instead.",
                             kvk=kvk, company=other.name), field="kvk")
    sector = _text(sector, limit=SECTOR_MAX, field="sector",
                   required=_("Give the sector, e.g. installation technology."))
    address = _text(address, limit=ADDRESS_MAX, field="address")
    try:
        postcode = check_pc4(postcode)
    except FieldError as error:
        raise CompanyError(str(error), field="postcode") from None
    try:
        website = check_website(website)
    except FieldError as error:
        raise CompanyError(str(error), field="website") from None
    if len(website) > _max(Company.__table__.c.website):
        raise CompanyError(_("Keep this to %(n)s characters.",
                             n=_max(Company.__table__.c.website)), field="website")
    try:
        kinds = check_kinds(list(recognised_for or []))
    except FieldError as error:
        raise CompanyError(str(error), field="recognised_for") from None
    # The kinds only mean something for a recognised training company.
    if not recognised:
        kinds = []
    notes = _text(accessibility_notes, limit=NOTES_MAX, field="accessibility_notes")
    return _Profile(name, kvk, sector, address, postcode, place_of(postcode), website,
                    bool(recognised), kinds, bool(offers_mentor), bool(female_role_model),
                    notes)


def _apply(company: Company, profile: _Profile) -> None:
    company.name = profile.name
    company.kvk = profile.kvk
    company.sector = profile.sector
    company.address = profile.address
    company.postcode = profile.postcode
    company.place = profile.place
    company.website = profile.website
    company.recognised = profile.recognised
    company.recognised_for = list(profile.recognised_for)
    company.offers_mentor = profile.offers_mentor
    company.female_role_model = profile.female_role_model
    company.accessibility_notes = profile.accessibility_notes


def _commit_company(session: Session, company: Company) -> Company:
    session.add(company)
    try:
        session.commit()
    except sa.exc.IntegrityError:
        # Another request registered the same KvK number in the meantime.
        session.rollback()
        raise CompanyError(_("KvK number %(kvk)s is already registered for another company.",
                             kvk=company.kvk), field="kvk") from None
    return company


def create_company(*, session: Session, user: User, name: str, kvk: str, sector: str,
                   postcode: str, address: str = "", website: str = "",
                   recognised: bool = False, recognised_for: Iterable[str] = (),
                   offers_mentor: bool = False, female_role_model: bool = False,
                   accessibility_notes: str = "", region_id: int | None = None) -> Company:
    """A new company: a coordinator adds it to their region, an admin to a chosen one."""
    if user.role is Role.coordinator:
        if user.region_id is None:
            raise CompanyError(_("Your account is not linked to a region yet. "
                                 "Ask the administrator."))
        region_id = user.region_id
    elif user.role is Role.admin:
        if region_id is None or session.get(Region, region_id) is None:
            raise CompanyError(_("Choose the region of the company."), field="region_id")
    else:
        raise CompanyError(_("Only coordinators and administrators add companies."))
    profile = _clean(session, company_id=None, name=name, kvk=kvk, sector=sector,
                     address=address, postcode=postcode, website=website, recognised=recognised,
                     recognised_for=recognised_for, offers_mentor=offers_mentor,
                     female_role_model=female_role_model,
                     accessibility_notes=accessibility_notes)
    company = Company(name=profile.name, kvk=profile.kvk, sector=profile.sector,
                      postcode=profile.postcode, place=profile.place, region_id=region_id)
    _apply(company, profile)
    return _commit_company(session, company)


def update_company(*, session: Session, company: Company, name: str, kvk: str, sector: str,
                   postcode: str, address: str = "", website: str = "",
                   recognised: bool = False, recognised_for: Iterable[str] = (),
                   offers_mentor: bool = False, female_role_model: bool = False,
                   accessibility_notes: str = "") -> Company:
    profile = _clean(session, company_id=company.id, name=name, kvk=kvk, sector=sector,
                     address=address, postcode=postcode, website=website, recognised=recognised,
                     recognised_for=recognised_for, offers_mentor=offers_mentor,
                     female_role_model=female_role_model,
                     accessibility_notes=accessibility_notes)
    _apply(company, profile)
    return _commit_company(session, company)


# --- contacts ---------------------------------------------------------------------------

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
        select(User, CompanyContact).join(CompanyContact, CompanyContact.user_id == User.id)
        .where(CompanyContact.company_id == company.id)
        .order_by(User.display_name, User.id)
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


def invite_contact(*, session: Session, company: Company, email: str, display_name: str = "",
                   invited_by: User | None = None, job_title: str = "") -> Invitation:
    """Make someone a contact of ``company`` who can act for it.

    An unknown address gets a company account without a usable password and a link (the
    returned token) to set one. An existing company account is linked as it is.
    """
    email = normalise_email(email or "")
    if not _valid_email(email) or len(email) > _max(User.__table__.c.email):
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
    session.add(CompanyContact(company_id=company.id, user_id=user.id, can_act=True,
                               job_title=job_title))
    try:
        session.commit()
    except sa.exc.IntegrityError:
        session.rollback()
        raise ContactError(_("%(email)s was added by someone else at the same moment. "
                             "Reload the page.", email=email), field="email") from None
    token = None if has_usable_password(user) else invitation_token(user)
    return Invitation(user, created, token)


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
    session.exec(sa.update(Company).where(Company.id == company.id)
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


# --- invitations ------------------------------------------------------------------------

def _now() -> float:
    """The clock invitation links are checked against (tests move it)."""
    return time.time()


class _ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(_now())


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
                         .order_by(Company.name)).all()
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
            user_id = int(serializer.load_payload(error.payload)["user"])
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
        sa.update(User).where(User.id == user.id, User.session_token == old_token)
        .values(password_hash=hash_password(password), session_token=new_session_token())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        session.rollback()
        raise InvitationError(_("This invitation link has already been used to set a "
                                "password. Log in with your e-mail address and password."),
                              reason="used")
    session.commit()
    session.refresh(user)
    return user


# --- what the pages show ----------------------------------------------------------------

@dataclass(frozen=True)
class CompanyRow:
    company: Company
    region: Region
    open_placements: int
    contacts: int


@dataclass(frozen=True)
class CompanyPage:
    rows: list[CompanyRow]
    total: int
    page: int
    pages: int


def list_companies(*, session: Session, region_id: int | None, page: int = 1,
                   page_size: int = PAGE_SIZE) -> CompanyPage:
    """Companies of a region (``None``: every region), by name, one page."""
    conditions = [Company.region_id == region_id] if region_id is not None else []
    total = session.exec(select(func.count()).select_from(Company).where(*conditions)).one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    open_count = (select(func.count()).select_from(Placement)
                  .where(Placement.company_id == Company.id,
                         Placement.status == PlacementStatus.open).scalar_subquery())
    contact_count = (select(func.count()).select_from(CompanyContact)
                     .where(CompanyContact.company_id == Company.id).scalar_subquery())
    rows = session.exec(
        select(Company, Region, open_count, contact_count)
        .join(Region, Region.id == Company.region_id).where(*conditions)
        .order_by(Company.name, Company.id)
        .offset((page - 1) * page_size).limit(page_size)
    ).all()
    return CompanyPage([CompanyRow(c, r, o, n) for c, r, o, n in rows], total, page, pages)


def regions(*, session: Session) -> list[Region]:
    return list(session.exec(select(Region).order_by(Region.name)).all())
