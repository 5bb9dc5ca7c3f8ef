"""The lists forms offer to choose from: regions, schools, themes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ..models import Region, School, Theme


def regions(*, session: Session) -> list[Region]:
    return list(session.exec(select(Region).order_by(Region.name)).all())


def schools_of_region(*, session: Session, region_id: int) -> list[School]:
    return list(session.exec(select(School).where(School.region_id == region_id)
                             .order_by(School.name)).all())


def schools_with_regions(*, session: Session) -> list[tuple[School, Region]]:
    """Every school with its region, by region and name (an admin's school picker)."""
    rows = session.exec(select(School, Region).join(Region, col(Region.id) == School.region_id)
                        .order_by(Region.name, School.name)).all()
    return [(school, region) for school, region in rows]


def themes(*, session: Session, technical_first: bool = False) -> list[Theme]:
    order = (col(Theme.technical).desc(), Theme.label_nl) if technical_first \
        else (Theme.label_nl,)
    return list(session.exec(select(Theme).order_by(*order)).all())
