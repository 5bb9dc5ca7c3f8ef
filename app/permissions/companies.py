"""Companies and their placements: who may see, edit and act for them."""

from __future__ import annotations

from flask import abort
from sqlmodel import select

from app.db import get_session
from app.models import (
    Company,
    CompanyContact,
    Placement,
    PlacementStatus,
    Role,
    User,
)
from app.permissions.base import (
    current_actor,
    load_or_404,
    user_company_ids,
    user_region_id,
)
from app.permissions.proposals import decides_on_placement


def can_view_company(user: User, company: Company) -> bool:
    if user.role is Role.admin:
        return True
    if user.role is Role.company:
        return company.id in user_company_ids(user)
    return company.region_id == user_region_id(user)


def can_edit_company(user: User, company: Company) -> bool:
    return user.role is Role.admin or (
        user.role is Role.company and company.id in user_company_ids(user)
    )


def can_add_company(user: User) -> bool:
    """Add companies: coordinators (in their region) and admins."""
    return user.role is Role.admin or (user.role is Role.coordinator
                                       and user.region_id is not None)


def can_manage_company(user: User, company: Company) -> bool:
    """Edit the profile and the contacts: admins, coordinators of the company's region, and
    the company's own contacts who can act for it."""
    if user.role is Role.admin:
        return True
    if user.role is Role.coordinator:
        return user.region_id is not None and company.region_id == user.region_id
    if user.role is Role.company:
        return company.id in user_company_ids(user)
    return False


def can_view_placement(user: User, placement: Placement, company: Company) -> bool:
    if user.role is Role.admin:
        return True
    if user.role is Role.company:
        return company.id in user_company_ids(user)
    # A draft is the company's own business until it is published.
    if placement.status is PlacementStatus.draft:
        return False
    if company.region_id == user_region_id(user):
        return True
    return placement.id is not None and decides_on_placement(user, placement.id)


def get_company_or_404(company_id: int) -> Company:
    return load_or_404(Company, company_id, lambda c: can_view_company(current_actor(), c))


def get_placement_or_404(placement_id: int) -> Placement:
    def allowed(placement: Placement) -> bool:
        company = get_session().get(Company, placement.company_id)
        return company is not None and can_view_placement(current_actor(), placement, company)

    return load_or_404(Placement, placement_id, allowed)


def get_managed_company_or_404(company_id: int) -> Company:
    """A company the user may see and edit (another company answers 404, as if missing)."""
    return load_or_404(Company, company_id,
                       lambda c: can_view_company(current_actor(), c)
                       and can_manage_company(current_actor(), c))


def get_contact_or_404(company: Company, user_id: int) -> User:
    """A contact person of ``company`` (someone else's contact answers 404)."""
    session = get_session()
    user = session.get(User, user_id)
    if user is None or session.exec(select(CompanyContact).where(
            CompanyContact.company_id == company.id,
            CompanyContact.user_id == user_id)).first() is None:
        abort(404)
    return user
