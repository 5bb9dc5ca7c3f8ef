"""Talent observations (Honk1-style): what an observer saw a student show at an activity.

Keyword-only functions that validate, commit, and raise an :class:`ObservationError`
(a ``ValueError``) whose message says what to fix. A correction never overwrites unseen:
the state before it is kept as an :class:`ObservationRevision`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import (
    Activity,
    Attendance,
    ObservationRevision,
    ObservationTheme,
    Participation,
    School,
    StudentProfile,
    TalentObservation,
    Theme,
    User,
    utcnow,
)
from ..models.base import local_today
from .errors import ServiceError
from .matching import after_student_change
from .rows import id_of, row_of

STRENGTHS = (1, 2, 3, 4, 5)
SKILLS_MAX = 300
NOTE_MAX = 1000


class ObservationError(ServiceError):
    """Input that cannot be saved; the message says what to fix."""


@dataclass(frozen=True)
class _Cleaned:
    themes: tuple[Theme, ...]
    skills: str
    strength: int
    note: str


def _clean(session: Session, *, theme_ids: Iterable[int], skills: str, strength,
           note: str) -> _Cleaned:
    try:
        strength = int(strength)
    except (TypeError, ValueError):
        strength = None
    if strength not in STRENGTHS:
        raise ObservationError(_("Choose a strength from 1 to 5."), field="strength")
    skills = " ".join((skills or "").split())
    if len(skills) > SKILLS_MAX:
        raise ObservationError(_("Keep the skills to %(n)s characters.", n=SKILLS_MAX),
                               field="skills")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ObservationError(_("Keep the note to %(n)s characters.", n=NOTE_MAX),
                               field="note")
    ids = tuple(dict.fromkeys(int(i) for i in theme_ids))
    themes = tuple(session.exec(select(Theme).where(col(Theme.id).in_(ids))
                                .order_by(col(Theme.slug))).all()) if ids else ()
    if len(themes) != len(ids):
        raise ObservationError(_("Choose themes from the list."), field="themes")
    if not themes and not skills:
        raise ObservationError(_("Name at least one theme or skill the student showed."),
                               field="skills")
    return _Cleaned(themes, skills, strength, note)


def _participation(session: Session, activity: Activity,
                   student: StudentProfile) -> Participation | None:
    return session.exec(select(Participation).where(
        Participation.activity_id == activity.id,
        Participation.student_id == student.id)).first()


def took_part(*, session: Session, activity: Activity, student: StudentProfile) -> bool:
    """Registered for the activity, whatever their attendance: :func:`record_observation`
    says why one cannot be observed (not begun yet, marked absent)."""
    return _participation(session, activity, student) is not None


def _set_themes(session: Session, observation_id: int, themes: Iterable[Theme]) -> None:
    session.exec(sa.delete(ObservationTheme)
                 .where(col(ObservationTheme.observation_id) == observation_id))
    for theme in themes:
        session.add(ObservationTheme(observation_id=observation_id, theme_id=id_of(theme)))


def observation_refused(*, session: Session, activity: Activity, student: StudentProfile,
                        today: date | None = None) -> ObservationError | None:
    """Why ``student`` cannot be observed at ``activity`` now (it has not begun, they did not
    take part, they were absent), or None: so a form can say so before anyone fills it in."""
    participation = _participation(session, activity, student)
    return observation_refusal(
        activity=activity, student=student,
        attendance=participation.attendance if participation else None, today=today)


def observation_refusal(*, activity: Activity, student: StudentProfile,
                        attendance: Attendance | None,
                        today: date | None = None) -> ObservationError | None:
    """:func:`observation_refused` on the student's ``attendance`` at the activity (None: not
    registered) as the caller fetched it: an import checks many rows from a few queries."""
    today = today or local_today()
    if activity.starts_on > today:
        return ObservationError(_(
            "%(title)s starts on %(date)s: observations can be recorded from that day on.",
            title=activity.title, date=format_date(activity.starts_on, "long")))
    if attendance is None:
        return ObservationError(
            _("%(name)s did not take part in this activity: only participants can be "
              "observed. Register them first.", name=student.first_name))
    if attendance is Attendance.absent:
        return ObservationError(_(
            "%(name)s is marked absent at this activity. If they were there after all, mark "
            "them attended first.", name=student.first_name))
    return None


def record_observation(*, session: Session, activity: Activity, student: StudentProfile,
                       observer: User, theme_ids: Iterable[int] = (), skills: str = "",
                       strength: int, note: str = "",
                       today: date | None = None) -> TalentObservation:
    """What ``observer`` saw ``student`` show at ``activity``; the student must have taken part.

    Dated the activity's first day, so only once it has begun: nothing is claimed before it
    has happened.
    """
    refused = observation_refused(session=session, activity=activity, student=student,
                                  today=today)
    if refused is not None:
        raise refused
    clean = _clean(session, theme_ids=theme_ids, skills=skills, strength=strength, note=note)
    now = utcnow()
    observation = TalentObservation(
        activity_id=id_of(activity), student_id=id_of(student), observer_id=observer.id,
        strength=clean.strength, skills=clean.skills, note=clean.note,
        observed_on=activity.starts_on, created_at=now, updated_at=now)
    session.add(observation)
    session.flush()
    _set_themes(session, id_of(observation), clean.themes)
    session.commit()
    after_student_change(session=session, student_id=id_of(student))
    return observation


def observation_themes(*, session: Session, observation: TalentObservation) -> list[Theme]:
    return list(session.exec(
        select(Theme).join(ObservationTheme, col(ObservationTheme.theme_id) == Theme.id)
        .where(ObservationTheme.observation_id == observation.id).order_by(col(Theme.label_nl))
    ).all())


def snapshot(*, session: Session, observation: TalentObservation) -> dict:
    """The observation as it is now, in the form a revision keeps it."""
    slugs = sorted(t.slug for t in observation_themes(session=session, observation=observation))
    return {"strength": observation.strength, "skills": observation.skills,
            "note": observation.note, "themes": slugs,
            "shared_with_companies": observation.shared_with_companies}


def correct_observation(*, session: Session, observation: TalentObservation, editor: User,
                        theme_ids: Iterable[int] = (), skills: str = "", strength: int,
                        note: str = "", shared_with_companies: bool | None = None
                        ) -> ObservationRevision | None:
    """The author corrects their observation; the state before is kept as a revision.

    Returns that revision, or None when nothing changed (then nothing is stored).
    ``shared_with_companies`` None leaves it as it is.
    """
    if observation.observer_id is None or observation.observer_id != editor.id:
        raise ObservationError(_("Only the observer who wrote an observation can correct it."))
    clean = _clean(session, theme_ids=theme_ids, skills=skills, strength=strength, note=note)
    before = snapshot(session=session, observation=observation)
    shared = (observation.shared_with_companies if shared_with_companies is None
              else bool(shared_with_companies))
    after = {"strength": clean.strength, "skills": clean.skills, "note": clean.note,
             "themes": sorted(t.slug for t in clean.themes), "shared_with_companies": shared}
    if after == before:
        return None
    revision = ObservationRevision(observation_id=id_of(observation), changed_by_id=editor.id,
                                   previous=before)
    session.add(revision)
    observation.strength = clean.strength
    observation.skills = clean.skills
    observation.note = clean.note
    observation.shared_with_companies = shared
    observation.updated_at = utcnow()
    session.add(observation)
    _set_themes(session, id_of(observation), clean.themes)
    session.commit()
    after_student_change(session=session, student_id=observation.student_id)
    return revision


def observation_history(*, session: Session,
                        observation: TalentObservation) -> list[ObservationRevision]:
    """Every earlier state of the observation, newest first."""
    return list(session.exec(
        select(ObservationRevision).where(ObservationRevision.observation_id == observation.id)
        .order_by(col(ObservationRevision.changed_at).desc(), col(ObservationRevision.id).desc())
    ).all())


# --- what the pages show ----------------------------------------------------------------

@dataclass(frozen=True)
class ObservationRow:
    observation: TalentObservation
    student: StudentProfile
    school: School
    observer: User | None
    themes: list[Theme]


def observations_at(*, session: Session, activity: Activity) -> list[ObservationRow]:
    """Every observation made at an activity, by student; the views filter who sees which."""
    rows = session.exec(
        select(TalentObservation, StudentProfile, School, User)
        .join(StudentProfile, col(StudentProfile.id) == TalentObservation.student_id)
        .join(School, col(School.id) == StudentProfile.school_id)
        .join(User, col(User.id) == TalentObservation.observer_id, isouter=True)
        .where(TalentObservation.activity_id == activity.id)
        .order_by(col(StudentProfile.first_name), col(StudentProfile.last_name),
                  col(TalentObservation.created_at), col(TalentObservation.id))
    ).all()
    themes = _themes_by_observation(session, [id_of(o) for o, *_ in rows])
    return [ObservationRow(o, s, school, u, themes.get(id_of(o), [])) for o, s, school, u in rows]


def _themes_by_observation(session: Session, ids: list[int]) -> dict[int, list[Theme]]:
    if not ids:
        return {}
    found: dict[int, list[Theme]] = {}
    for observation_id, theme in session.exec(
        select(ObservationTheme.observation_id, Theme)
        .join(Theme, col(Theme.id) == ObservationTheme.theme_id)
        .where(col(ObservationTheme.observation_id).in_(ids)).order_by(col(Theme.label_nl))
    ).all():
        found.setdefault(observation_id, []).append(theme)
    return found


@dataclass(frozen=True)
class HistoryEntry:
    revision: ObservationRevision
    changed_by: User | None
    themes: list[Theme]


@dataclass(frozen=True)
class ObservationDetail:
    observation: TalentObservation
    activity: Activity
    student: StudentProfile
    school: School
    observer: User | None
    themes: list[Theme]
    history: list[HistoryEntry]


def observation_detail(*, session: Session, observation: TalentObservation) -> ObservationDetail:
    student = row_of(session, StudentProfile, observation.student_id)
    history = observation_history(session=session, observation=observation)
    slugs = {slug for r in history for slug in r.previous.get("themes", [])}
    by_slug = {t.slug: t for t in session.exec(select(Theme).where(col(Theme.slug).in_(slugs)))
               } if slugs else {}
    editor_ids = {r.changed_by_id for r in history if r.changed_by_id is not None}
    editors = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(editor_ids)))
               } if editor_ids else {}
    entries = [
        HistoryEntry(r, editors.get(r.changed_by_id),
                     [by_slug[s] for s in r.previous.get("themes", []) if s in by_slug])
        for r in history
    ]
    return ObservationDetail(
        observation, row_of(session, Activity, observation.activity_id), student,
        row_of(session, School, student.school_id),
        session.get(User, observation.observer_id) if observation.observer_id else None,
        observation_themes(session=session, observation=observation), entries)
