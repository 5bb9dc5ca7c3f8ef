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
from flask_babel import gettext as _
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
from ..models.consent import may_show_to_companies
from ..models.lifecycle import FILLED
from .errors import ServiceError
from .notifications import counsellors_of
from .rows import id_of, row_of
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


def phone_of(*, session: Session, user: User) -> str:
    found = session.get(ContactPhone, user.id)
    return found.phone if found is not None else ""


def _contact(session: Session, user: User) -> Contact:
    return Contact(user.display_name, user.email, phone_of(session=session, user=user))


def _actor_of(session: Session, proposal: MatchProposal, action: str) -> User | None:
    return session.exec(
        select(User).join(DecisionLog, col(DecisionLog.actor_id) == User.id)
        .where(DecisionLog.proposal_id == proposal.id, DecisionLog.action == action,
               User.is_active)
        .order_by(col(DecisionLog.at).desc())).first()


def company_contact(*, session: Session, proposal: MatchProposal,
                    placement: Placement) -> User | None:
    """Who accepted the student, while they still act for the company; else its first
    contact who does."""
    contacts = list(session.exec(
        select(User).join(CompanyContact, col(CompanyContact.user_id) == User.id)
        .where(CompanyContact.company_id == placement.company_id, CompanyContact.can_act,
               User.is_active).order_by(col(User.id))).all())
    accepted_by = _actor_of(session, proposal, "company_accept")
    if accepted_by is not None and any(c.id == accepted_by.id for c in contacts):
        return accepted_by
    return contacts[0] if contacts else None


def counsellor_contacts(*, session: Session, student: StudentProfile,
                        proposal: MatchProposal) -> list[User]:
    """The counsellor who approved, while still at the student's school; else all of them."""
    counsellors = counsellors_of(session=session, school_ids=[student.school_id])
    approved_by = _actor_of(session, proposal, "approve")
    if approved_by is not None and any(c.id == approved_by.id for c in counsellors):
        return [approved_by]
    return counsellors


def address_of(placement: Placement, company: Company) -> str:
    """The company's street only when the placement is at the company's own postcode."""
    town = f"{placement.postcode} {placement.place}".strip()
    if company.address and placement.postcode == company.postcode:
        return f"{company.address}, {town}"
    return town


def start_details(*, session: Session, proposal: MatchProposal, role: str,
                  today: date | None = None) -> StartDetails | None:
    """What ``role`` ("student", "counsellor", "company") sees to start; None before the
    company accepted."""
    if proposal.status not in FILLED:
        return None
    placement = row_of(session, Placement, proposal.placement_id)
    company = row_of(session, Company, placement.company_id)
    student = row_of(session, StudentProfile, proposal.student_id)
    contact = None
    if role in ("student", "counsellor"):
        found = company_contact(session=session, proposal=proposal, placement=placement)
        contact = _contact(session, found) if found is not None else None
    counsellors = []
    if role in ("company", "counsellor"):
        counsellors = [_contact(session, u) for u in counsellor_contacts(
            session=session, student=student, proposal=proposal)]
    email = None
    owner = session.get(User, student.user_id) if student.user_id else None
    if owner is not None and (role == "counsellor" or (role == "company" and may_show_to_companies(
            session=session, student=student, today=today or date.today()))):
        email = owner.email
    return StartDetails(placement, company, address_of(placement, company), placement.starts_on,
                        placement.ends_on, contact, counsellors, student.display_name, email)


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
