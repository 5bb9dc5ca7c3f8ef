"""A company's profile: checking what was entered, adding a company to a region and
changing it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ...models import Company, Region, Role, User
from ..validation import (
    FieldError,
    Message,
    check_kinds,
    check_kvk,
    check_pc4,
    check_text,
    check_website,
    place_of,
    reraise_as,
)
from .rules import ADDRESS_MAX, NAME_MAX, NOTES_MAX, SECTOR_MAX, WEBSITE_MAX, CompanyError


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


def _too_long(limit: int) -> Message:
    return _l("Keep this to %(n)s characters.", n=limit)


def _clean(session: Session, *, company_id: int | None, name: str, kvk: str, sector: str,
           address: str, postcode: str, website: str, recognised: bool,
           recognised_for: Iterable[str], offers_mentor: bool, female_role_model: bool,
           accessibility_notes: str) -> _Profile:
    with reraise_as(CompanyError):
        name = check_text(name, field="name", maximum=NAME_MAX, too_long=_too_long(NAME_MAX),
                          missing=_l("Give the name of the company."))
        kvk = _kvk_of_no_other(session, kvk, company_id)
        sector = check_text(sector, field="sector", maximum=SECTOR_MAX,
                            too_long=_too_long(SECTOR_MAX),
                            missing=_l("Give the sector, e.g. installation technology."))
        address = check_text(address, field="address", maximum=ADDRESS_MAX,
                             too_long=_too_long(ADDRESS_MAX))
        postcode = check_pc4(postcode, field="postcode")
        website = check_text(check_website(website, field="website"), field="website",
                             maximum=WEBSITE_MAX, too_long=_too_long(WEBSITE_MAX))
        kinds = check_kinds(list(recognised_for or []), field="recognised_for")
        notes = check_text(accessibility_notes, field="accessibility_notes", maximum=NOTES_MAX,
                           too_long=_too_long(NOTES_MAX))
    # The kinds only mean something for a recognised training company.
    if not recognised:
        kinds = []
    return _Profile(name, kvk, sector, address, postcode, place_of(postcode), website,
                    bool(recognised), kinds, bool(offers_mentor), bool(female_role_model),
                    notes)


def _kvk_of_no_other(session: Session, kvk: str, company_id: int | None) -> str:
    """A valid KvK number that no other company has."""
    kvk = check_kvk(kvk, field="kvk")
    other = session.exec(select(Company).where(Company.kvk == kvk)).first()
    if other is not None and other.id != company_id:
        raise FieldError(_("KvK number %(kvk)s is already registered for %(company)s. Check "
                           "the number; if it is the same company, edit that one instead.",
                           kvk=kvk, company=other.name), field="kvk")
    return kvk


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
    except IntegrityError:
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
