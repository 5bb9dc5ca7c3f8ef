"""A student's profile, consent, talent record, data export and deletion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, col, delete, select

from matching.geo import clean_pc4, postcodes

from ..models import (
    Activity,
    Attendance,
    Consent,
    ConsentGiver,
    Gender,
    Level,
    ObservationTheme,
    Participation,
    Pathway,
    PlacementKind,
    School,
    StudentGender,
    StudentProfile,
    StudentTheme,
    TalentObservation,
    Theme,
    User,
    utcnow,
)
from ..models.base import local_today
from ..models.consent import (  # noqa: F401  (part of this module's API)
    CONSENT_AGE,
    active_consent,
    may_be_under_consent_age,
    may_show_to_companies,
)
from . import personal_data
from .errors import ServiceError
from .matching import after_student_change
from .rows import id_of

MBO_LEVELS = {Level.mbo_1, Level.mbo_2, Level.mbo_3, Level.mbo_4}


class StudentError(ServiceError):
    """Input that cannot be saved; the message says what to fix."""


# --- profile ----------------------------------------------------------------------------

@dataclass
class ProfileChanges:
    school_id: int
    level: Level
    pathway: Pathway | None
    school_year: int
    class_name: str
    postcode: str
    travel_km: int
    available_from: date | None
    available_until: date | None
    days_per_week: int | None
    wanted_kinds: list[PlacementKind]
    interests_text: str
    theme_slugs: list[str]
    wants_role_model: bool
    gender: Gender = Gender.not_given
    dream_job: str = ""


def profile_problems(*, session: Session, student: StudentProfile,
                     changes: ProfileChanges) -> dict[str, str]:
    """Field name -> what to fix; empty when the changes can be saved."""
    problems: dict[str, str] = {}
    school = session.get(School, changes.school_id)
    current = session.get(School, student.school_id)
    if school is None or (current is not None and school.region_id != current.region_id):
        problems["school_id"] = _("Choose a school in your region.")
    pc4 = clean_pc4(changes.postcode)
    if pc4 is None or pc4 not in postcodes():
        problems["postcode"] = _("Give the 4 digits of a Dutch postcode, e.g. 6901.")
    if changes.pathway is not None and changes.level not in MBO_LEVELS:
        problems["pathway"] = _("BOL or BBL only applies to mbo.")
    if (changes.available_from and changes.available_until
            and changes.available_until < changes.available_from):
        problems["available_until"] = _("The end date is before the start date.")
    known = set(session.exec(select(Theme.slug)).all())
    unknown = [slug for slug in changes.theme_slugs if slug not in known]
    if unknown:
        problems["themes"] = _("Choose themes from the list.")
    return problems


def update_profile(*, session: Session, student: StudentProfile,
                   changes: ProfileChanges) -> StudentProfile:
    problems = profile_problems(session=session, student=student, changes=changes)
    if problems:
        raise StudentError("; ".join(problems.values()))
    student.school_id = changes.school_id
    student.level = changes.level
    student.pathway = changes.pathway
    student.school_year = changes.school_year
    student.class_name = changes.class_name.strip()
    student.postcode = clean_pc4(changes.postcode) or student.postcode
    student.travel_km = changes.travel_km
    student.available_from = changes.available_from
    student.available_until = changes.available_until
    student.days_per_week = changes.days_per_week
    student.wanted_kinds = [kind.value for kind in changes.wanted_kinds]
    student.interests_text = changes.interests_text.strip()
    student.dream_job = changes.dream_job.strip()[:200]
    student.wants_role_model = changes.wants_role_model
    student.updated_at = utcnow()
    session.add(student)

    session.exec(delete(StudentTheme).where(col(StudentTheme.student_id) == student.id))
    themes = session.exec(select(Theme).where(col(Theme.slug).in_(changes.theme_slugs))).all()
    session.add_all(StudentTheme(student_id=id_of(student), theme_id=id_of(t)) for t in themes)
    set_gender(session=session, student=student, gender=changes.gender, commit=False)
    session.commit()
    after_student_change(session=session, student_id=id_of(student))
    return student


def theme_slugs_of(*, session: Session, student: StudentProfile) -> list[str]:
    return list(session.exec(
        select(Theme.slug).join(StudentTheme).where(StudentTheme.student_id == student.id)
    ).all())


def gender_of(*, session: Session, student: StudentProfile) -> Gender:
    row = session.get(StudentGender, student.id)
    return row.gender if row else Gender.not_given


def set_gender(*, session: Session, student: StudentProfile, gender: Gender,
               commit: bool = True) -> None:
    row = session.get(StudentGender, student.id) or StudentGender(student_id=id_of(student))
    row.gender = gender
    session.add(row)
    if commit:
        session.commit()


# --- consent ----------------------------------------------------------------------------

def record_consent(*, session: Session, student: StudentProfile, recorded_by: User,
                   given_by: ConsentGiver, given_by_name: str = "", note: str = "") -> Consent:
    if given_by is not ConsentGiver.school and not given_by_name.strip():
        raise StudentError(_("Give the name of the parent or guardian who consented."))
    if active_consent(session=session, student=student) is not None:
        raise StudentError(_("There is already a valid consent; withdraw it first to replace it."))
    consent = Consent(student_id=id_of(student), given_by=given_by,
                      given_by_name=given_by_name.strip(), note=note.strip(),
                      recorded_by_id=recorded_by.id)
    session.add(consent)
    session.commit()
    return consent


def withdraw_consent(*, session: Session, student: StudentProfile, withdrawn_by: User) -> Consent:
    consent = active_consent(session=session, student=student)
    if consent is None:
        raise StudentError(_("There is no valid consent to withdraw."))
    consent.withdrawn_at = utcnow()
    consent.withdrawn_by_id = withdrawn_by.id
    session.add(consent)
    session.commit()
    return consent


def consent_history(*, session: Session, student: StudentProfile) -> list[Consent]:
    return list(session.exec(
        select(Consent).where(Consent.student_id == student.id)
        .order_by(col(Consent.given_at).desc())
    ).all())


# --- talent record ----------------------------------------------------------------------

@dataclass(frozen=True)
class ActivityEntry:
    activity: Activity
    took_part: bool
    observations: list[tuple[TalentObservation, list[Theme]]]


@dataclass(frozen=True)
class YearRecord:
    school_year: str
    entries: list[ActivityEntry]


def talent_record(*, session: Session, student: StudentProfile,
                  today: date | None = None) -> list[YearRecord]:
    """Every activity the student attended and every observation, by ``today``, grouped by
    school year, newest first. A registration is not in the record: it has not happened."""
    today = today or local_today()
    took_part = set(session.exec(
        select(Participation.activity_id).join(Activity)
        .where(Participation.student_id == student.id,
               Participation.attendance == Attendance.attended,
               Activity.starts_on <= today)).all())
    observations = session.exec(
        select(TalentObservation).where(TalentObservation.student_id == student.id,
                                        TalentObservation.observed_on <= today)
        .order_by(col(TalentObservation.observed_on).desc(), col(TalentObservation.id).desc())
    ).all()
    themes_by_observation: dict[int, list[Theme]] = {}
    if observations:
        for link, theme in session.exec(
            select(ObservationTheme, Theme).join(Theme)
            .where(col(ObservationTheme.observation_id).in_([o.id for o in observations]))
            .order_by(col(Theme.label_nl))
        ).all():
            themes_by_observation.setdefault(link.observation_id, []).append(theme)
    activity_ids = took_part | {o.activity_id for o in observations}
    activities = session.exec(
        select(Activity).where(col(Activity.id).in_(activity_ids))
        .order_by(col(Activity.starts_on).desc(), col(Activity.id).desc())
    ).all() if activity_ids else []

    years: dict[str, list[ActivityEntry]] = {}
    for activity in activities:
        seen = [(o, themes_by_observation.get(id_of(o), [])) for o in observations
                if o.activity_id == activity.id]
        years.setdefault(activity.school_year, []).append(
            ActivityEntry(activity, activity.id in took_part, seen))
    return [YearRecord(year, years[year]) for year in sorted(years, reverse=True)]


# --- export and deletion ------------------------------------------------------------------

def export_student_data(*, session: Session, student: StudentProfile) -> dict:
    """Everything Talentmatch holds about this student, as the map of personal data says."""
    return personal_data.export_student(session=session, student=student)


def request_deletion(*, session: Session, student: StudentProfile) -> None:
    if student.deletion_requested_at is None:
        student.deletion_requested_at = utcnow()
        session.add(student)
        session.commit()


def pending_deletions(*, session: Session, school_id: int | None) -> list[StudentProfile]:
    """Deletion requests not yet carried out; for one school, or all (admins)."""
    query = select(StudentProfile).where(col(StudentProfile.deletion_requested_at).is_not(None),
                                         col(StudentProfile.anonymised_at).is_(None))
    if school_id is not None:
        query = query.where(StudentProfile.school_id == school_id)
    return list(session.exec(query.order_by(col(StudentProfile.deletion_requested_at))).all())


def anonymise_student(*, session: Session, student: StudentProfile) -> None:
    """Remove every personal field; keep what the programme's counts need.

    The map of personal data (services/personal_data.py) says what goes and what stays:
    kept are school, level, school year, gender category, participations, observation
    strengths and proposal statuses; gone are the account, names, numbers, postcode, every
    free text by or about the student, and their name in messages to others.
    """
    personal_data.erase_student(session=session, student=student)


def set_observation_shared(*, session: Session, student: StudentProfile, observation_id: int,
                           shared: bool) -> TalentObservation:
    """The student decides which observations about them a company may read."""
    observation = session.get(TalentObservation, observation_id)
    if observation is None or observation.student_id != student.id:
        raise StudentError(_("That observation is not about you."))
    observation.shared_with_companies = shared
    session.add(observation)
    session.commit()
    return observation
