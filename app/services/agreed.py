"""What each side needs to start once the company said yes, and the placement's calendar file.

From ``company_accepted`` on (:data:`~app.models.lifecycle.FILLED`), and not before:

- the student sees the company contact (name, e-mail, phone), the address and the first day;
- the company sees the counsellor's contact, and the student's school e-mail only when a
  company may see the student at all (the consent rule for under-16s, asked again here);
- the counsellor sees both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from ..models import (
    Company,
    CompanyContact,
    ContactPhone,
    DecisionLog,
    MatchProposal,
    Placement,
    Role,
    StudentProfile,
    User,
    utcnow,
)
from ..models.base import local_today
from ..models.consent import may_show_to_companies
from ..models.lifecycle import FILLED
from .errors import ServiceError
from .notifications import counsellors_of
from .rows import id_of
from .validation import check_phone, reraise_as


class AgreedError(ServiceError):
    """Something about the start that cannot be done; the message says why."""


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class StartDetails:
    placement: Placement
    company: Company
    address: str
    first_day: date | None
    last_day: date | None
    company_contact: Contact | None    # for the student and the counsellor
    counsellors: list[Contact]         # for the company and the counsellor
    student_name: str
    student_email: str | None          # for the counsellor; the company per the consent rule


def address_of(placement: Placement, company: Company) -> str:
    """The company's street only when the placement is at the company's own postcode."""
    town = f"{placement.postcode} {placement.place}".strip()
    if company.address and placement.postcode == company.postcode:
        return f"{company.address}, {town}"
    return town


def _by_id(session: Session, model, ids) -> dict:
    """These rows by id; those the request loaded already (the page's own proposals, their
    placements and companies, the signed-in user) come from the session, not a query."""
    ids = {i for i in ids if i is not None}
    found = {}
    for i in ids:
        row = session.identity_map.get(identity_key(model, i))
        if row is not None:
            found[i] = row
    missing = ids - found.keys()
    if missing:
        found.update((row.id, row) for row in session.exec(
            select(model).where(col(model.id).in_(missing))))
    return found


# Built once per process: a student's proposals page asks them on every view (issue 20).
_DECIDERS = (
    select(DecisionLog.proposal_id, DecisionLog.action, DecisionLog.actor_id)
    .where(col(DecisionLog.proposal_id).in_(sa.bindparam("ids", expanding=True)),
           col(DecisionLog.action).in_(("approve", "company_accept")),
           col(DecisionLog.actor_id).is_not(None))
    .order_by(col(DecisionLog.at), col(DecisionLog.id)))
# With each contact's phone (at most one a person: user_id is the phone's key), so a
# student's page needs no query of phones of its own.
_COMPANY_CONTACTS = (
    select(CompanyContact.company_id, User, ContactPhone.phone)
    .join(User, col(User.id) == CompanyContact.user_id)
    .outerjoin(ContactPhone, col(ContactPhone.user_id) == User.id)
    .where(col(CompanyContact.company_id).in_(sa.bindparam("ids", expanding=True)),
           col(CompanyContact.can_act), col(User.is_active)).order_by(col(User.id)))
_PHONES = select(ContactPhone.user_id, ContactPhone.phone).where(
    col(ContactPhone.user_id).in_(sa.bindparam("ids", expanding=True)))


def _deciders(session: Session, proposal_ids: list[int]) -> dict[tuple[int, str], int]:
    """(proposal, action) -> who last took it, for the approval and the company's yes."""
    found: dict[tuple[int, str], int] = {}
    for proposal_id, action, actor_id in session.exec(_DECIDERS,
                                                      params={"ids": list(proposal_ids)}):
        if proposal_id is not None and actor_id is not None:
            found[proposal_id, action] = actor_id
    return found


def _company_contacts(session: Session, company_ids
                      ) -> tuple[dict[int, list[User]], dict[int, str | None]]:
    """The companies' active contacts, and each contact's phone (None: has none)."""
    contacts: dict[int, list[User]] = {}
    phones: dict[int, str | None] = {}
    for company_id, user, phone in session.exec(_COMPANY_CONTACTS,
                                                params={"ids": sorted(set(company_ids))}):
        contacts.setdefault(company_id, []).append(user)
        phones[id_of(user)] = phone
    return contacts, phones


def _chosen(people: list[User], decider: int | None, *, only_decider: bool) -> list[User]:
    """The person who decided, while still among ``people``; else everyone (or the first)."""
    for person in people:
        if person.id == decider:
            return [person]
    return people[:1] if only_decider else people


def _counsellors(session: Session, school_ids: set[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {}
    for user in counsellors_of(session=session, school_ids=school_ids):
        found.setdefault(user.school_id or 0, []).append(user)
    return found


def _contact_maker(session: Session, groups, known: dict[int, str | None]):
    """Makes a :class:`Contact` of each of these people, the phones not ``known`` yet read
    in one query."""
    phones = {user_id: phone for user_id, phone in known.items() if phone is not None}
    people = {user.id for users in groups for user in users} - known.keys()
    if people:
        phones.update(session.exec(_PHONES, params={"ids": sorted(people)}).all())
    return lambda user: Contact(user.display_name, user.email, phones.get(user.id, ""))


def _student_email(session: Session, role: str, student: StudentProfile, owner: User | None,
                   today: date) -> str | None:
    """The counsellor always; the company only when it may see the student (the consent rule
    for under-16s, asked again here rather than assumed from the page)."""
    if owner is None or role not in ("counsellor", "company"):
        return None
    if role == "company" and not may_show_to_companies(session=session, student=student,
                                                       today=today):
        return None
    return owner.email


def start_details_of(*, session: Session, proposals: list[MatchProposal], role: str,
                     today: date | None = None) -> dict[int, StartDetails | None]:
    """:func:`start_details` of many proposals in a fixed number of queries (a list page)."""
    agreed = [p for p in proposals if p.status in FILLED]
    found: dict[int, StartDetails | None] = {id_of(p): None for p in proposals}
    if not agreed:
        return found
    placements = _by_id(session, Placement, (p.placement_id for p in agreed))
    companies = _by_id(session, Company, (p.company_id for p in placements.values()))
    students = _by_id(session, StudentProfile, (p.student_id for p in agreed))
    owners = _by_id(session, User, (s.user_id for s in students.values()))
    deciders = _deciders(session, [id_of(p) for p in agreed])
    contacts, phones = (_company_contacts(session, companies)
                        if role in ("student", "counsellor") else ({}, {}))
    counsellors = (_counsellors(session, {s.school_id for s in students.values()})
                   if role in ("company", "counsellor") else {})
    contact = _contact_maker(session, (*contacts.values(), *counsellors.values()), phones)
    for proposal in agreed:
        placement = placements[proposal.placement_id]
        company = companies[placement.company_id]
        student = students[proposal.student_id]
        company_side = _chosen(contacts.get(company.id, []),
                               deciders.get((id_of(proposal), "company_accept")),
                               only_decider=True)
        school_side = _chosen(counsellors.get(student.school_id, []),
                              deciders.get((id_of(proposal), "approve")), only_decider=False)
        email = _student_email(session, role, student, owners.get(student.user_id),
                               today or local_today())
        found[id_of(proposal)] = StartDetails(
            placement, company, address_of(placement, company), placement.starts_on,
            placement.ends_on, contact(company_side[0]) if company_side else None,
            [contact(u) for u in school_side], student.display_name, email)
    return found


def start_details(*, session: Session, proposal: MatchProposal, role: str,
                  today: date | None = None) -> StartDetails | None:
    """What ``role`` ("student", "counsellor", "company") sees to start; None before the
    company accepted. The company contact is who accepted the student, while they still act
    for the company (else its first contact); the counsellor is who approved, while still at
    the student's school (else every counsellor there)."""
    return start_details_of(session=session, proposals=[proposal], role=role,
                            today=today)[id_of(proposal)]


def calendar_file(*, session: Session, proposal: MatchProposal, domain: str) -> bytes:
    """The placement's period as one all-day VEVENT (RFC 5545), its address the LOCATION.

    The UID names the proposal, so a second download updates the same calendar entry.
    """
    details = start_details(session=session, proposal=proposal, role="student")
    if details is None or details.first_day is None:
        raise AgreedError(_("This placement has no first day yet."))
    last_day = max(details.last_day or details.first_day, details.first_day)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Talentmatch//Talentmatch//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    event = icalendar.Event()
    event.add("uid", f"proposal-{proposal.id}@{domain}")
    stamp: datetime = proposal.company_answered_at or proposal.updated_at or utcnow()
    event.add("dtstamp", stamp)
    event.add("dtstart", details.first_day)
    event.add("dtend", last_day + timedelta(days=1))  # DTEND of a date is exclusive
    event.add("summary", _("Placement: %(title)s at %(company)s",
                           title=details.placement.title, company=details.company.name))
    event.add("location", details.address)
    lines = [details.placement.title, details.company.name]
    if details.company_contact is not None:
        c = details.company_contact
        lines.append(_("Contact: %(who)s", who=", ".join(v for v in (c.name, c.email, c.phone)
                                                        if v)))
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    return calendar.to_ical()


def phone_of(*, session: Session, user: User) -> str:
    found = session.get(ContactPhone, user.id)
    return found.phone if found is not None else ""


def set_phone(*, session: Session, user: User, phone: str) -> str:
    """A staff member's or company contact's telephone number for the people they start
    placements with; empty removes it. Commits."""
    if user.role is Role.student:
        raise AgreedError(_("Students are reached through their school."))
    with reraise_as(AgreedError):
        cleaned = check_phone(phone, field="phone")
    found = session.get(ContactPhone, user.id)
    if not cleaned:
        if found is not None:
            session.delete(found)
    else:
        found = found or ContactPhone(user_id=id_of(user), phone=cleaned)
        found.phone = cleaned
        session.add(found)
    session.commit()
    return cleaned
