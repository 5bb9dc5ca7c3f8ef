"""The groups and hosts of a draft event, added or removed one at a time."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, select

from ...models import AgeGroup, Company, GroupEvent, GroupRequest, HostOffer, School
from ..rows import id_of
from .rules import (
    MAX_CAPACITY,
    MAX_GROUP_SIZE,
    NAME_MAX,
    GroupEventError,
    clean_age_group,
    clean_size,
    default_age_group,
    find_group,
    forget_assignment,
    require_draft,
)


def add_group(*, session: Session, event: GroupEvent, school_id: int | None, name: str,
              size: int | None, age_group: AgeGroup | str | None = None) -> GroupRequest:
    """A school group for the event; the same class of the same school again is refused.

    ``age_group`` None takes the usual one for the kind of school.
    """
    require_draft(event)
    school = session.get(School, school_id) if school_id is not None else None
    if school is None or school.region_id != event.region_id:
        raise GroupEventError(_("Choose a school of the event's region."), field="school_id")
    name = (name or "").strip()
    if not name:
        raise GroupEventError(_("Name the group, e.g. its class."), field="name")
    if len(name) > NAME_MAX:
        raise GroupEventError(_("Keep the name to %(n)s characters.", n=NAME_MAX), field="name")
    size = clean_size(size, maximum=MAX_GROUP_SIZE, field="size")
    age = default_age_group(school) if age_group in (None, "") else clean_age_group(age_group)
    if find_group(session, event, id_of(school), name) is not None:
        raise GroupEventError(_("%(school)s already has a group %(name)s in this event.",
                                school=school.name, name=name), field="name")
    request = GroupRequest(event_id=id_of(event), school_id=id_of(school), name=name, size=size,
                           age_group=age)
    session.add(request)
    forget_assignment(session, event)
    session.commit()
    return request


def remove_group(*, session: Session, event: GroupEvent, request: GroupRequest) -> None:
    require_draft(event)
    if request.event_id != event.id:
        raise GroupEventError(_("That group is not part of this event."))
    forget_assignment(session, event)
    session.delete(request)
    session.commit()


def _clean_age_groups(values) -> list[str]:
    chosen = {clean_age_group(v) for v in values or () if str(v).strip()}
    return [age.value for age in AgeGroup if age in chosen]


def add_host(*, session: Session, event: GroupEvent, company_id: int | None,
             capacity: int | None, age_groups=()) -> HostOffer:
    """A host company with the most students it receives and the age groups it prefers
    (none: any)."""
    require_draft(event)
    company = session.get(Company, company_id) if company_id is not None else None
    if company is None or company.region_id != event.region_id:
        raise GroupEventError(_("Choose a company of the event's region."), field="company_id")
    capacity = clean_size(capacity, maximum=MAX_CAPACITY, field="capacity")
    ages = _clean_age_groups(age_groups)
    if session.exec(select(HostOffer.id).where(HostOffer.event_id == event.id,
                                               HostOffer.company_id == company.id)).first():
        raise GroupEventError(_("%(company)s is already a host of this event.",
                                company=company.name), field="company_id")
    offer = HostOffer(event_id=id_of(event), company_id=id_of(company), capacity=capacity,
                      age_groups=ages)
    session.add(offer)
    forget_assignment(session, event)
    session.commit()
    return offer


def remove_host(*, session: Session, event: GroupEvent, offer: HostOffer) -> None:
    require_draft(event)
    if offer.event_id != event.id:
        raise GroupEventError(_("That host is not part of this event."))
    forget_assignment(session, event)
    session.delete(offer)
    session.commit()
