"""Where a student's personal data lives, and how each piece is exported and erased.

One map, ``PLACES``, drives both the student's data export and the erasure a counsellor carries
out after a deletion request: a table or column added to the model is either named here or
listed in ``NOT_PERSONAL`` (not_personal.py) with the reason it holds nothing about a student
(a test checks).

Erasure anonymises rather than deletes what the programme's monitor counts (the profile with
its school, level and gender, participations, observation strengths, proposal statuses), and
forgets everything that says who the student was: names, numbers, contact details, every free
text the student wrote and every free text others wrote about them, and their name wherever a
message to someone else repeats it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, false, func, or_
from sqlmodel import Session, SQLModel, col, select

from ..models import (
    Activity,
    AdminLogEntry,
    BackgroundJob,
    Company,
    Consent,
    DecisionLog,
    JobKind,
    MatchPin,
    MatchProposal,
    Notification,
    ObservationRevision,
    OutboxEmail,
    Participation,
    Placement,
    PlacementEvent,
    PlacementFeedback,
    ProposalMessage,
    School,
    StudentGender,
    StudentProfile,
    StudentTheme,
    TalentObservation,
    Theme,
    User,
    utcnow,
)
from ..models.api_tokens import ApiToken, ApiTokenUse
from .not_personal import NOT_PERSONAL as NOT_PERSONAL  # the map's other half, re-exported
from .rows import row_of, table_of


class Erase(enum.StrEnum):
    """What erasure does to one column."""

    keep = "keep"                  # kept for the programme's counts; says nothing once names go
    blank = "blank"                # emptied ("" / [] / {} / None / 0 / False)
    pseudonym = "pseudonym"        # must stay unique: becomes deleted-<profile id>
    replace_name = "replace_name"  # the text stays, the student's name and contacts go
    delete = "delete"              # the whole row is deleted


@dataclass(frozen=True)
class Subject:
    """The student whose data is looked up, and what finds their rows."""

    student: StudentProfile
    user: User | None

    @property
    def observation_ids(self):
        return select(TalentObservation.id).where(TalentObservation.student_id == self.student.id)

    @property
    def proposal_ids(self):
        return select(MatchProposal.id).where(MatchProposal.student_id == self.student.id)

    def terms(self) -> list[str]:
        """What names the student in a text, longest first (so the full name goes whole).

        Not the last name alone: in a message that names them it is as likely a sibling's or a
        namesake's ("de Vries"), whereas their first name there is theirs.
        """
        s = self.student
        values = {f"{s.first_name} {s.last_name}".strip(), s.first_name,
                  s.student_number, self.user.email if self.user else "",
                  self.user.display_name if self.user else ""}
        return sorted((v.strip() for v in values if len(v.strip()) >= 2), key=len, reverse=True)

    def named_in_path(self, column) -> ColumnElement:
        """Web addresses with the student's number as one of their parts (/students/S123)."""
        number = f"/{self.student.student_number}"
        if len(number) < 3:
            return false()
        return or_(func.lower(column).endswith(number.lower(), autoescape=True),
                   func.lower(column).contains(f"{number.lower()}/", autoescape=True))

    def mentioned_in(self, *columns) -> ColumnElement:
        """Rows whose text names the student in full or gives their e-mail address."""
        s = self.student
        wanted = [t.lower() for t in (f"{s.first_name} {s.last_name}".strip(),
                                      self.user.email if self.user else "") if len(t) >= 2]
        if not wanted or not s.first_name or not s.last_name:
            return false()
        return or_(*(func.lower(c).contains(term, autoescape=True)
                     for c in columns for term in wanted))


@dataclass(frozen=True)
class Place:
    """One table's rows about a student: how they are found, exported and erased."""

    section: str                   # the key in the export
    model: type[SQLModel]
    rows: Callable[[Subject], ColumnElement]
    columns: dict[str, Erase]      # every column that can hold something about the student
    also_export: tuple[str, ...] = ()  # dates and numbers shown alongside
    hidden: tuple[str, ...] = ()   # never exported (secrets)
    exported: bool = True
    context: Callable[[Session, object], dict] | None = None
    single: bool = False           # exported as one object, not a list
    why: str = ""

    @property
    def deletes_rows(self) -> bool:
        return any(e is Erase.delete for e in self.columns.values())


def _activity(session: Session, row) -> dict:
    a = row_of(session, Activity, row.activity_id)
    return {"code": a.code, "title": a.title, "kind": a.kind.value,
            "date": a.starts_on.isoformat()}


def _placement(session: Session, row) -> dict:
    placement = row_of(session, Placement, row.placement_id)
    return {"placement": placement.title,
            "company": row_of(session, Company, placement.company_id).name}


def _token_app(session: Session, row) -> dict:
    return {"app": row_of(session, ApiToken, row.token_id).name}


def _proposal_placement(session: Session, row) -> dict:
    return _placement(session, session.get(MatchProposal, row.proposal_id))


def _profile(session: Session, student) -> dict:
    school = session.get(School, student.school_id)
    gender = session.get(StudentGender, student.id)
    return {"school": school.name if school else None,
            "themes": list(session.exec(select(Theme.slug).join(StudentTheme).where(
                StudentTheme.student_id == student.id).order_by(col(Theme.slug))).all()),
            "gender": gender.gender.value if gender else "not_given"}


_PROFILE_BLANKS = ("first_name", "last_name", "class_name", "postcode", "wanted_kinds",
                   "interests_text", "dream_job", "birth_year", "travel_km", "available_from",
                   "available_until", "days_per_week", "wants_role_model", "user_id")

def _imports_naming(s: Subject) -> ColumnElement:
    """Import jobs whose report quotes the student: their number or their name."""
    report = sa.cast(BackgroundJob.result, sa.Text)
    number = s.student.student_number or ""
    return (col(BackgroundJob.kind) == JobKind.import_) & or_(
        s.mentioned_in(report),
        report.contains(number, autoescape=True) if len(number) >= 2 else false())


PLACES: tuple[Place, ...] = (
    Place("profile", StudentProfile, lambda s: col(StudentProfile.id) == s.student.id, single=True,
          columns={"student_number": Erase.pseudonym, "level": Erase.keep,
                   "pathway": Erase.keep, "school_year": Erase.keep,
                   **dict.fromkeys(_PROFILE_BLANKS, Erase.blank)},
          also_export=("created_at", "updated_at", "deletion_requested_at"),
          hidden=("user_id",), context=_profile,
          why="level, pathway and school year stay: the monitor counts by them"),
    Place("gender", StudentGender, lambda s: col(StudentGender.student_id) == s.student.id,
          columns={"gender": Erase.keep}, exported=False,
          why="exported in the profile; the category stays for the girls-in-technology counts"),
    Place("themes", StudentTheme, lambda s: col(StudentTheme.student_id) == s.student.id,
          columns={"theme_id": Erase.delete}, exported=False, why="exported in the profile"),
    Place("consents", Consent, lambda s: col(Consent.student_id) == s.student.id,
          columns={"given_by": Erase.keep, "given_by_name": Erase.blank, "note": Erase.blank},
          also_export=("given_at", "withdrawn_at")),
    Place("activities", Participation, lambda s: col(Participation.student_id) == s.student.id,
          columns={"attendance": Erase.keep}, also_export=("registered_at",),
          context=_activity, why="participations are counted"),
    Place("observations", TalentObservation,
          lambda s: col(TalentObservation.student_id) == s.student.id,
          columns={"skills": Erase.blank, "note": Erase.blank},
          also_export=("id", "observed_on", "strength", "shared_with_companies", "created_at",
                       "updated_at"),
          context=lambda session, row: {"activity": _activity(session, row)["title"]},
          why="the observation and its strength are counted; what the observer wrote goes"),
    Place("observation_history", ObservationRevision,
          lambda s: col(ObservationRevision.observation_id).in_(s.observation_ids),
          columns={"previous": Erase.delete}, also_export=("observation_id", "changed_at")),
    Place("proposals", MatchProposal, lambda s: col(MatchProposal.student_id) == s.student.id,
          columns={"status": Erase.keep, "components": Erase.keep, "origin": Erase.keep,
                   "shared_themes": Erase.blank, "explanation": Erase.blank,
                   "explanation_parts": Erase.blank, "counsellor_note": Erase.blank},
          also_export=("id", "rank", "score", "student_deadline", "created_at", "updated_at"),
          context=_placement,
          why="statuses, scores and origins stay for the counts; texts about the student go"),
    Place("pins", MatchPin, lambda s: col(MatchPin.student_id) == s.student.id,
          columns={"kind": Erase.delete, "note": Erase.delete}, also_export=("created_at",),
          context=_placement, why="a counsellor's instruction for a student who is gone"),
    Place("decisions", DecisionLog, lambda s: col(DecisionLog.proposal_id).in_(s.proposal_ids),
          columns={"actor_role": Erase.keep, "action": Erase.keep, "from_status": Erase.keep,
                   "to_status": Erase.keep, "reason_code": Erase.keep,
                   "reason": Erase.blank, "details": Erase.blank},
          also_export=("proposal_id", "at"), why="the pipeline counts steps, not reasons"),
    Place("feedback", PlacementFeedback,
          lambda s: (col(PlacementFeedback.proposal_id).in_(s.proposal_ids))
          & (PlacementFeedback.author_role == "student"),
          columns={"author_role": Erase.keep, "learned": Erase.blank, "comment": Erase.blank},
          also_export=("would_recommend", "created_at"), context=_proposal_placement,
          why="would_recommend stays: matching reads how placements were liked"),
    Place("feedback_about_you", PlacementFeedback,
          lambda s: (col(PlacementFeedback.proposal_id).in_(s.proposal_ids))
          & (PlacementFeedback.author_role != "student"),
          columns={"author_role": Erase.keep, "learned": Erase.blank, "comment": Erase.blank},
          also_export=("would_host_again", "created_at"), context=_proposal_placement,
          why="the company's comment is about the student: it goes, its yes/no stays"),
    Place("messages", ProposalMessage, lambda s: col(ProposalMessage.proposal_id).in_(
        s.proposal_ids), columns=dict.fromkeys(("author_role", "body"), Erase.delete),
        also_export=("created_at",), context=_proposal_placement),
    Place("notifications", Notification,
          lambda s: col(Notification.user_id) == s.user.id if s.user else false(),
          columns={"kind": Erase.delete, "message": Erase.delete, "link": Erase.delete},
          also_export=("created_at", "read_at")),
    Place("emails", OutboxEmail,
          lambda s: col(OutboxEmail.to_address) == s.user.email if s.user else false(),
          columns=dict.fromkeys(("to_address", "subject", "body", "last_error"), Erase.delete),
          also_export=("created_at", "sent_at")),
    # Messages to counsellors and companies that name the student: theirs to keep, but
    # without the name.
    Place("notifications_about_you", Notification,
          lambda s: s.mentioned_in(Notification.message)
          & (Notification.user_id != (s.user.id if s.user else -1)),
          columns={"message": Erase.replace_name}, also_export=("created_at",)),
    Place("emails_about_you", OutboxEmail,
          lambda s: s.mentioned_in(OutboxEmail.subject, OutboxEmail.body)
          & (OutboxEmail.to_address != (s.user.email if s.user else "")),
          columns={"subject": Erase.replace_name, "body": Erase.replace_name},
          exported=False, why="the same text as the notification, sent to someone else"),
    Place("placement_events_about_you", PlacementEvent,
          lambda s: s.mentioned_in(PlacementEvent.reason),
          columns={"reason": Erase.replace_name}, also_export=("at",)),
    # The admins' record of changes to the student's account keeps what was done and when,
    # not the names and addresses before and after.
    Place("admin_log_about_you", AdminLogEntry,
          lambda s: (col(AdminLogEntry.object_type) == "user")
          & (col(AdminLogEntry.object_id) == (s.user.id if s.user else -1)),
          columns={"action": Erase.keep, "before": Erase.blank, "after": Erase.blank},
          also_export=("created_at",)),
    # An import's report quotes the lines it checked: student numbers, names in messages.
    Place("imports_about_you", BackgroundJob, _imports_naming,
          columns={"result": Erase.blank, "payload": Erase.blank}, exported=False,
          why="the report of a file someone imported, which named the student"),
    # The only tokens acting as a student are the ones she made herself for an app
    # (services/personal_tokens): exported without the hash, with the log of what her apps
    # asked, and gone with the account. A request an integration made whose address gave
    # the student's number keeps that it was made, not the address.
    Place("api_requests_of_your_apps", ApiTokenUse,
          lambda s: col(ApiTokenUse.token_id).in_(select(ApiToken.id).where(
              col(ApiToken.user_id) == (s.user.id if s.user else -1))),
          columns=dict.fromkeys(("method", "path", "status"), Erase.delete),
          also_export=("at",), context=_token_app),
    Place("api_tokens", ApiToken, lambda s: col(ApiToken.user_id) == (s.user.id if s.user else -1),
          columns=dict.fromkeys(("name", "prefix", "secret_hash", "scopes"), Erase.delete),
          also_export=("created_at", "expires_at", "revoked_at", "last_used_at"),
          hidden=("secret_hash",)),
    Place("api_requests_about_you", ApiTokenUse, lambda s: s.named_in_path(ApiTokenUse.path),
          columns={"method": Erase.keep, "path": Erase.blank}, exported=False,
          why="a staff member's integration asked for the student by number"),
    # Last: rows above point to the account.
    Place("account", User, lambda s: col(User.id) == s.user.id if s.user else false(), single=True,
          columns={"email": Erase.delete, "display_name": Erase.delete,
                   "password_hash": Erase.delete, "session_token": Erase.delete,
                   "locale": Erase.delete, "role": Erase.delete},
          also_export=("email_notifications", "created_at", "last_login_at"),
          hidden=("password_hash", "session_token")),
)


# --- export ---------------------------------------------------------------------------------

def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _exported_row(session: Session, place: Place, row) -> dict:
    names = [n for n in (*place.columns, *place.also_export) if n not in place.hidden]
    data = {name: _plain(getattr(row, name)) for name in names}
    if place.context is not None:
        data.update(place.context(session, row))
    return data


def _rows(session: Session, place: Place, subject: Subject) -> list:
    return list(session.exec(select(place.model).where(place.rows(subject))).all())


def export_student(*, session: Session, student: StudentProfile) -> dict:
    """Everything Talentmatch holds about this student, as plain JSON-ready data."""
    subject = Subject(student, session.get(User, student.user_id) if student.user_id else None)
    data: dict = {"exported_at": utcnow().isoformat()}
    for place in PLACES:
        if not place.exported:
            continue
        rows = [_exported_row(session, place, row) for row in _rows(session, place, subject)]
        data[place.section] = (rows[0] if rows else None) if place.single else rows
    return data


# --- erasure --------------------------------------------------------------------------------

def _blank(model: type[SQLModel], name: str, value):
    if isinstance(value, bool):
        return False
    if isinstance(value, str | list | dict):
        return type(value)()
    if value is None or table_of(model).c[name].nullable:
        return None
    return 0


def _locale_of(session: Session, row) -> str:
    user = None
    if isinstance(row, Notification):
        user = session.get(User, row.user_id)
    elif isinstance(row, OutboxEmail):
        user = session.exec(select(User).where(User.email == row.to_address)).first()
    return (user.locale if user else None) or "nl"


def without_names(text: str, terms: list[str], replacement: str) -> str:
    """The text with every whole-word mention of a term replaced."""
    if not terms or not text:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)",
                         re.IGNORECASE)
    return pattern.sub(replacement, text)


def erase_student(*, session: Session, student: StudentProfile) -> None:
    """Carry out a deletion request: every place in ``PLACES`` is erased as it says."""
    if student.anonymised_at is not None:
        return
    subject = Subject(student, session.get(User, student.user_id) if student.user_id else None)
    terms = subject.terms()
    # Every row is found while the names still are there to find them by.
    found = [(place, _rows(session, place, subject)) for place in PLACES]
    for place, rows in found:
        for row in rows:
            if place.deletes_rows:
                session.delete(row)
                session.flush()
                continue
            for name, how in place.columns.items():
                value = getattr(row, name)
                if how is Erase.blank:
                    setattr(row, name, _blank(place.model, name, value))
                elif how is Erase.pseudonym:
                    setattr(row, name, f"deleted-{student.id}")
                elif how is Erase.replace_name and isinstance(value, str):
                    with force_locale(_locale_of(session, row)):
                        word = str(_("a former student"))
                    setattr(row, name, without_names(value, terms, word))
            session.add(row)
        session.flush()
    student.anonymised_at = utcnow()
    student.updated_at = student.anonymised_at
    session.add(student)
    session.commit()


def mapped_columns() -> set[str]:
    """``table.column`` of every column the map says how to export and erase."""
    return {f"{place.model.__tablename__}.{name}" for place in PLACES for name in place.columns}
