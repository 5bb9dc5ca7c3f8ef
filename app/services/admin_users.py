"""Managing accounts from the administration screens: the list, a change of role and
school or region, switching an account off and on, a new account with its invitation, and
the reset and invitation e-mails (written by :mod:`app.services.access`). Each change is
written to the admin log with its before and after.

Who may manage whom is decided by :mod:`app.permissions.admin`; the ``allowed_roles`` given
here are what the acting user may hand out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, exists, func, or_, select

from ..models import Company, CompanyContact, Region, Role, School, User
from ..models.users import new_session_token
from . import accounts
from .access import AccessError, invite, request_password_reset
from .admin_log import record, snapshot
from .errors import ServiceError
from .validation import FieldError, check_choice, check_text, column_length, reraise_as

PAGE_SIZE = 50
NAME_MAX = column_length(User, "display_name")
EMAIL_MAX = column_length(User, "email")
LOGGED = ("email", "display_name", "role", "school_id", "region_id", "is_active")
# Roles that belong to a school, and the one that belongs to a region.
SCHOOL_ROLES = (Role.student, Role.counsellor)


class AdminUserError(ServiceError):
    """A change to an account that cannot be made; the message says why."""


@dataclass(frozen=True)
class UserRow:
    user: User
    school: School | None
    region: Region | None


@dataclass(frozen=True)
class UserPage:
    rows: list[UserRow]
    total: int
    page: int
    pages: int


def _in_region(region_id: int) -> object:
    """Accounts a coordinator of the region looks after: students and counsellors of its
    schools, contacts of its companies."""
    of_school = col(User.school_id).in_(select(School.id).where(School.region_id == region_id))
    of_company = exists().where(col(CompanyContact.user_id) == User.id,
                                col(CompanyContact.company_id).in_(
                                    select(Company.id).where(Company.region_id == region_id)))
    return or_(col(User.role).in_(SCHOOL_ROLES) & of_school,
               (col(User.role) == Role.company) & of_company)


def list_users(*, session: Session, region_id: int | None, query: str = "",
               role: Role | None = None, school_id: int | None = None,
               filter_region_id: int | None = None, active: bool | None = None,
               page: int = 1, page_size: int = PAGE_SIZE) -> UserPage:
    """Accounts by name, one page. ``region_id``: only those a coordinator of that region
    manages (None: every account, for an admin)."""
    conditions: list = []
    if region_id is not None:
        conditions.append(_in_region(region_id))
    if query:
        pattern = f"%{query.lower()}%"
        conditions.append(or_(func.lower(User.display_name).like(pattern),
                              func.lower(User.email).like(pattern)))
    if role is not None:
        conditions.append(col(User.role) == role)
    if school_id is not None:
        conditions.append(col(User.school_id) == school_id)
    if filter_region_id is not None:
        conditions.append(col(User.region_id) == filter_region_id)
    if active is not None:
        conditions.append(col(User.is_active) == active)
    total = session.exec(select(func.count()).select_from(User).where(*conditions)).one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.exec(
        select(User, School, Region)
        .outerjoin(School, col(School.id) == User.school_id)
        .outerjoin(Region, col(Region.id) == User.region_id)
        .where(*conditions).order_by(col(User.display_name), col(User.id))
        .offset((page - 1) * page_size).limit(page_size)).all()
    return UserPage([UserRow(u, s, r) for u, s, r in rows], total, page, pages)


def _links(session: Session, role: Role, school_id: int | None, region_id: int | None,
           scope_region_id: int | None) -> tuple[int | None, int | None]:
    """(school_id, region_id) an account of ``role`` gets, checked against the role."""
    if role in SCHOOL_ROLES:
        school = session.get(School, school_id) if school_id else None
        if school is None or (scope_region_id is not None
                              and school.region_id != scope_region_id):
            raise FieldError(_("A student or counsellor needs a school: choose one."),
                             "school_id")
        return school.id, school.region_id
    if role is Role.coordinator:
        region = session.get(Region, region_id) if region_id else None
        if region is None:
            raise FieldError(_("A coordinator needs a region: choose one."), "region_id")
        return None, region.id
    return None, None


def _clean_role(value: object, allowed_roles: Iterable[Role]) -> Role:
    role = check_choice(value, Role, field="role", message=_l("Choose a role."))
    if role not in tuple(allowed_roles):
        raise FieldError(_("You cannot give an account this role."), "role")
    return role


def change_user(*, session: Session, actor: User, user: User, role: object,
                school_id: int | None, region_id: int | None, allowed_roles: Iterable[Role],
                scope_region_id: int | None = None) -> User:
    """Give ``user`` a role with the school or region it needs; logged, committed."""
    before = snapshot(user, LOGGED)
    with reraise_as(AdminUserError):
        if user.role not in tuple(allowed_roles):
            raise FieldError(_("You cannot change the role of this account."), "role")
        new_role = _clean_role(value=role, allowed_roles=allowed_roles)
        if new_role is Role.student and user.role is not Role.student:
            raise FieldError(_("A student account is made by the students import, not here."),
                             "role")
        if new_role is Role.company and user.role is not Role.company:
            raise FieldError(_("A company contact is invited from the company's page, not "
                               "made here."), "role")
        if user.id == actor.id and new_role is not user.role:
            raise FieldError(_("You cannot change your own role."), "role")
        new_school, new_region = _links(session, new_role, school_id, region_id,
                                        scope_region_id)
    user.role, user.school_id, user.region_id = new_role, new_school, new_region
    session.add(user)
    record(session=session, actor=actor, action="user.change", object_type="user",
           object_id=user.id, before=before, after=snapshot(user, LOGGED))
    session.commit()
    return user


def set_active(*, session: Session, actor: User, user: User, active: bool) -> User:
    """Switch an account off (every open session ends) or on again; logged, committed."""
    if user.id == actor.id and not active:
        raise AdminUserError(_("You cannot switch off your own account."))
    before = snapshot(user, LOGGED)
    user.is_active = active
    if not active:
        user.session_token = new_session_token()
    session.add(user)
    record(session=session, actor=actor, action="user.activate" if active else "user.deactivate",
           object_type="user", object_id=user.id, before=before, after=snapshot(user, LOGGED))
    session.commit()
    return user


def create_user(*, session: Session, actor: User, email: str, display_name: str, role: object,
                school_id: int | None, region_id: int | None, allowed_roles: Iterable[Role],
                scope_region_id: int | None = None) -> tuple[User, bool]:
    """A new account without a password, and an invitation e-mail to choose one: the
    account, and whether the invitation went (not when the web address is unknown)."""
    with reraise_as(AdminUserError):
        address = check_text(email, field="email", maximum=EMAIL_MAX,
                             missing=_l("Give an e-mail address."),
                             too_long=_l("This e-mail address is too long."))
        name = check_text(display_name, field="display_name", maximum=NAME_MAX,
                          missing=_l("Give a name."), too_long=_l("This name is too long."))
        new_role = _clean_role(value=role, allowed_roles=allowed_roles)
        if new_role in (Role.student, Role.company):
            raise FieldError(_("Students come with the students import and company contacts "
                               "are invited from their company's page."), "role")
        school_id, region_id = _links(session, new_role, school_id, region_id, scope_region_id)
    school = session.get(School, school_id) if school_id else None
    region = session.get(Region, region_id) if region_id else None
    try:
        user = accounts.create_user(session=session, email=address, role=new_role,
                                    display_name=name,
                                    password_hash=accounts.unusable_password_hash(),
                                    school_code=school.code if school else None,
                                    region_slug=region.slug if region else None)
    except accounts.AccountError as error:
        raise AdminUserError(str(error), field="email") from None
    record(session=session, actor=actor, action="user.create", object_type="user",
           object_id=user.id, after=snapshot(user, LOGGED))
    session.commit()
    try:
        outcome = invite(session=session, users=[user], invited_by=actor)
    except AccessError:
        return user, False
    return user, bool(outcome.invited)


def send_reset(*, session: Session, actor: User, user: User) -> bool:
    """E-mail the account a link to choose a new password; False when none could be sent
    (switched off, no mailbox, no web address known)."""
    sent = request_password_reset(session=session, email=user.email)
    record(session=session, actor=actor, action="user.reset", object_type="user",
           object_id=user.id, after={"sent": sent})
    session.commit()
    return sent


def send_invitation(*, session: Session, actor: User, user: User) -> bool:
    """E-mail an account without a password an invitation; False when it was left out (it
    has a password, no mailbox, or was invited within the hour)."""
    try:
        outcome = invite(session=session, users=[user], invited_by=actor)
    except AccessError as error:
        raise AdminUserError(str(error)) from None
    sent = bool(outcome.invited)
    record(session=session, actor=actor, action="user.invite", object_type="user",
           object_id=user.id, after={"sent": sent})
    session.commit()
    return sent


# --- the lists of schools and regions ---------------------------------------------------------

@dataclass(frozen=True)
class RowPage:
    rows: list
    total: int
    page: int
    pages: int


def _page_of(session: Session, statement, count_statement, page: int,
             page_size: int) -> RowPage:
    total = session.exec(count_statement).one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.exec(statement.offset((page - 1) * page_size).limit(page_size)).all()
    return RowPage(list(rows), total, page, pages)


def list_schools(*, session: Session, region_id: int | None, query: str = "", page: int = 1,
                 page_size: int = PAGE_SIZE) -> RowPage:
    """(school, region) by name, of one region (None: all), matching name, code or place."""
    conditions: list = []
    if region_id is not None:
        conditions.append(col(School.region_id) == region_id)
    if query:
        pattern = f"%{query.lower()}%"
        conditions.append(or_(func.lower(School.name).like(pattern),
                              func.lower(School.code).like(pattern),
                              func.lower(School.place).like(pattern)))
    statement = (select(School, Region).join(Region, col(Region.id) == School.region_id)
                 .where(*conditions).order_by(col(School.name), col(School.id)))
    count = select(func.count()).select_from(School).where(*conditions)
    return _page_of(session, statement, count, page, page_size)


def list_regions(*, session: Session, query: str = "", page: int = 1,
                 page_size: int = PAGE_SIZE) -> RowPage:
    """Regions by name, matching name or slug."""
    conditions: list = []
    if query:
        pattern = f"%{query.lower()}%"
        conditions.append(or_(func.lower(Region.name).like(pattern),
                              func.lower(Region.slug).like(pattern)))
    statement = select(Region).where(*conditions).order_by(col(Region.name), col(Region.id))
    count = select(func.count()).select_from(Region).where(*conditions)
    return _page_of(session, statement, count, page, page_size)
