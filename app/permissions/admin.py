"""Who may use the administration screens: admins everything; a coordinator the accounts,
schools and companies of their own region, never an admin's or another coordinator's."""

from __future__ import annotations

from sqlmodel import col, select

from app.db import get_session
from app.models import Company, CompanyContact, Region, Role, School, User
from app.permissions.base import current_actor, load_or_404, user_region_id

ADMIN_ROLES = (Role.admin, Role.coordinator)
# The accounts a coordinator looks after: those belonging to a school or company of the region.
REGIONAL_ROLES = (Role.student, Role.counsellor, Role.company)


def can_administer(user: User) -> bool:
    """Whether the user sees the administration screens at all."""
    return user.role is Role.admin or (user.role is Role.coordinator
                                       and user.region_id is not None)


def roles_assignable(user: User) -> tuple[Role, ...]:
    """The roles this user may give an account."""
    if user.role is Role.admin:
        return tuple(Role)
    if user.role is Role.coordinator:
        return REGIONAL_ROLES
    return ()


def _regions_of(user: User) -> set[int]:
    """The regions an account belongs to: its school's, or its companies'."""
    session = get_session()
    if user.role is Role.company:
        return set(session.exec(
            select(Company.region_id).join(CompanyContact,
                                           col(CompanyContact.company_id) == Company.id)
            .where(CompanyContact.user_id == user.id)).all())
    region_id = user_region_id(user)
    return {region_id} if region_id is not None else set()


def can_manage_user(actor: User, user: User) -> bool:
    if actor.role is Role.admin:
        return True
    if actor.role is not Role.coordinator or actor.region_id is None:
        return False
    return user.role in REGIONAL_ROLES and actor.region_id in _regions_of(user)


def get_managed_user_or_404(user_id: int) -> User:
    actor = current_actor()
    return load_or_404(User, user_id, lambda user: can_manage_user(actor, user))


def can_manage_school(actor: User, school: School) -> bool:
    if actor.role is Role.admin:
        return True
    return actor.role is Role.coordinator and actor.region_id == school.region_id


def get_managed_school_or_404(school_id: int) -> School:
    actor = current_actor()
    return load_or_404(School, school_id, lambda school: can_manage_school(actor, school))


def get_managed_region_or_404(region_id: int) -> Region:
    """A region, for an admin (regions are theirs alone)."""
    actor = current_actor()
    return load_or_404(Region, region_id, lambda _region: actor.role is Role.admin)
