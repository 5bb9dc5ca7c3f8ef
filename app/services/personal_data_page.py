"""A student's data export as a page to read and print: the same data as the JSON download
(:func:`app.services.personal_data.export_student`), with headings, labels and values written
the way the page's language writes them (18 december 2026, 0,8, Ja)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..models import (
    ActivityKind,
    Attendance,
    ConsentGiver,
    Gender,
    Level,
    Pathway,
    PinKind,
    PlacementKind,
    ProposalStatus,
    Role,
    StudentProfile,
)
from ..models.labels import label
from .personal_data import export_student

SECTIONS = {
    "profile": _l("Your profile"), "consents": _l("Consent"),
    "activities": _l("Activities you took part in"),
    "observations": _l("What observers noticed about you"),
    "observation_history": _l("Earlier versions of those observations"),
    "proposals": _l("Your match proposals"), "pins": _l("Placements your counsellor pinned"),
    "decisions": _l("Decisions on your proposals"), "feedback": _l("Your feedback"),
    "feedback_about_you": _l("Feedback about you"), "messages": _l("Messages"),
    "notifications": _l("Your notifications"), "emails": _l("E-mails to you"),
    "notifications_about_you": _l("Notifications about you to others"),
    "emails_about_you": _l("E-mails about you to others"),
    "placement_events_about_you": _l("Placement history that names you"),
    "admin_log_about_you": _l("Administration log that names you"),
    "imports_about_you": _l("Imports that name you"), "account": _l("Your account"),
    "api_tokens": _l("Apps that may answer for you"),
}
FIELDS = {
    "student_number": _l("Student number"), "level": _l("Level"), "pathway": _l("Pathway"),
    "school_year": _l("School year"), "first_name": _l("First name"),
    "last_name": _l("Last name"), "class_name": _l("Class"), "postcode": _l("Postcode"),
    "wanted_kinds": _l("Kinds of placement you want"),
    "interests_text": _l("What you like doing"), "dream_job": _l("Dream job"),
    "birth_year": _l("Year of birth"), "travel_km": _l("Willing to travel (km)"),
    "available_from": _l("Available from"), "available_until": _l("Available until"),
    "days_per_week": _l("Days per week"), "wants_role_model": _l("Wants a female role model"),
    "created_at": _l("Made on"), "updated_at": _l("Last changed"),
    "deletion_requested_at": _l("Deletion asked for on"), "school": _l("School"),
    "themes": _l("Themes"), "gender": _l("Gender"), "given_by": _l("Given by"),
    "given_by_name": _l("Name"), "note": _l("Note"), "given_at": _l("Given on"),
    "withdrawn_at": _l("Withdrawn on"), "attendance": _l("Attendance"),
    "registered_at": _l("Registered on"), "code": _l("Code"), "title": _l("Title"),
    "kind": _l("Kind"), "date": _l("Date"), "skills": _l("What was seen"),
    "observed_on": _l("Seen on"), "strength": _l("Strength (1 to 5)"),
    "shared_with_companies": _l("Shared with companies"), "activity": _l("Activity"),
    "status": _l("Status"), "components": _l("Score parts"),
    "shared_themes": _l("Shared themes"), "explanation": _l("Why"),
    "explanation_parts": _l("Why, in parts"), "counsellor_note": _l("Counsellor's note"),
    "rank": _l("Rank"), "score": _l("Score"), "placement": _l("Placement"),
    "company": _l("Company"), "message": _l("Message"), "link": _l("Link"),
    "read_at": _l("Read on"), "to_address": _l("To"), "subject": _l("Subject"),
    "body": _l("Text"), "last_error": _l("Last error"), "sent_at": _l("Sent on"),
    "email": _l("E-mail address"), "display_name": _l("Name shown"),
    "locale": _l("Language"), "role": _l("Role"),
    "email_notifications": _l("E-mail notifications"), "last_login_at": _l("Last login"),
    "action": _l("Action"), "reason": _l("Reason"), "at": _l("When"),
    "name": _l("Name"), "prefix": _l("Starts with"), "scopes": _l("May"),
    "expires_at": _l("Works until"), "revoked_at": _l("Switched off on"),
    "last_used_at": _l("Last used"),
}
# Stored values of these fields are enum members; the page shows their labels.
ENUMS: dict[str, type[enum.Enum]] = {
    "level": Level, "pathway": Pathway, "gender": Gender, "given_by": ConsentGiver,
    "attendance": Attendance, "status": ProposalStatus, "role": Role,
    "wanted_kinds": PlacementKind,
}
KINDS: dict[str, type[enum.Enum]] = {"activities": ActivityKind, "pins": PinKind}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: list[list[tuple[str, str]]]   # one (label, value) list per item


def _enum_text(enum_cls: type[enum.Enum], value: str) -> str:
    try:
        return label(enum_cls(value))
    except ValueError:
        return value


def _text(field: str, value, kinds: type[enum.Enum] | None = None) -> str:
    """One value as a reader reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        return format_decimal(value)
    if isinstance(value, int):  # years, numbers and counts: no thousands dot in 2011
        return str(value)
    if isinstance(value, list):
        return ", ".join(_text(field, item, kinds) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(key, item)}" for key, item in value.items())
    if isinstance(value, datetime | date):
        value = value.isoformat()
    enum_cls = kinds if field == "kind" and kinds else ENUMS.get(field)
    if enum_cls is not None:
        return _enum_text(enum_cls, str(value))
    text = str(value)
    if _ISO_MOMENT.match(text):
        return format_datetime(datetime.fromisoformat(text), "d MMMM yyyy, HH:mm")
    if _ISO_DAY.match(text):
        return format_date(date.fromisoformat(text), "long")
    return text


def readable_export(*, session: Session, student: StudentProfile) -> list[Section]:
    """The export, section by section; sections with nothing in them are left out."""
    data = export_student(session=session, student=student)
    sections = []
    for key, found in data.items():
        if key == "exported_at" or not found:
            continue
        items = [found] if isinstance(found, dict) else found
        sections.append(Section(key, str(SECTIONS.get(key, key)), [
            [(str(FIELDS.get(field, field.replace("_", " "))), _text(field, value, KINDS.get(key)))
             for field, value in item.items()] for item in items]))
    return sections
