"""What the company pages show: the list of companies with their open placements and
contacts, and the regions to choose from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, func, select

from ...models import Company, CompanyContact, Placement, PlacementStatus, Region
from .rules import PAGE_SIZE


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
                   page_size: int = PAGE_SIZE, query: str = "") -> CompanyPage:
    """Companies of a region (``None``: every region), by name, one page; ``query`` searches
    the name, KvK number and place."""
    conditions: list[ColumnElement[bool]] = (
        [col(Company.region_id) == region_id] if region_id is not None else [])
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        conditions.append(or_(func.lower(col(Company.name)).like(pattern),
                              col(Company.kvk).like(pattern),
                              func.lower(col(Company.place)).like(pattern)))
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
        .join(Region, col(Region.id) == Company.region_id).where(*conditions)
        .order_by(col(Company.name), col(Company.id))
        .offset((page - 1) * page_size).limit(page_size)
    ).all()
    return CompanyPage([CompanyRow(c, r, o, n) for c, r, o, n in rows], total, page, pages)

