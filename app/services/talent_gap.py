"""Talent without interest: students who showed technical talent but say little about it.

Girls state an interest in technology less often than boys with the same aptitude. This list
shows a counsellor the students of their school whose *observed* technical talent is high while
their *stated* technical interest is low, with the observations behind it, so that the
counsellor can invite them to something that shows them technology from close by: a Girlsday
visit, a company day, a guest lesson with a role model.

It is an invitation, never a filter: nothing here changes what matching proposes or who may
take part in anything. Gender is read only to put girls first and to say who is a girl; every
student who meets the thresholds is listed, whatever their gender.

Talent and interest are the matching library's theme profiles (:class:`ThemeProfiler`), over
the technical themes only:

* talent is the strongest technical theme of the student's talent profile built from their
  observations alone (taking part in an activity is not talent that was seen);
* interest is the strongest technical theme of their interest profile: themes they chose, the
  themes their own words and dream job name.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from matching.profiles import ThemeProfiler
from matching.records import Observation, StudentRecord
from matching.taxonomy import ThemeDef, load_themes

from ..models import (
    Activity,
    Gender,
    Participation,
    School,
    StudentGender,
    StudentProfile,
    TalentObservation,
    Theme,
    User,
)
from ..models.base import local_today
from ..models.lifecycle import EXPOSURE_KINDS
from . import activities
from .matching import occupation_lookup
from .matching_data import student_records
from .notifications import notify

# A student is listed when their technical talent is at least MIN_TALENT and their technical
# interest at most MAX_INTEREST (both 0-1). One observation of strength 3 this year gives a
# talent of about 0.6, strength 4 about 0.7; a theme the student chose counts 1 as interest, a
# theme their words name 0.8, a theme of their dream job 0.6.
MIN_TALENT = 0.5
MAX_INTEREST = 0.5
MAX_ACTIVITIES = 50


def theme_defs(*, session: Session) -> tuple[ThemeDef, ...]:
    """The taxonomy's themes with the technical flag the database holds, plus themes only
    the database knows."""
    rows = {theme.slug: theme for theme in session.exec(select(Theme)).all()}
    found = []
    for theme in load_themes():
        row = rows.pop(theme.slug, None)
        found.append(theme if row is None
                     else dataclasses.replace(theme, technical=bool(row.technical)))
    found += [ThemeDef(row.slug, row.label_nl, row.label_en, tuple(row.synonyms or ()),
                       bool(row.technical), tuple(row.esco_codes or ()))
              for row in rows.values()]
    return tuple(found)


@dataclass(frozen=True)
class Seen:
    """One observation behind a student's talent, and the technical themes it counts for."""

    observation: Observation
    themes: tuple[ThemeDef, ...]


@dataclass(frozen=True)
class TalentRow:
    student: StudentProfile
    girl: bool
    talent: float
    interest: float
    themes: tuple[ThemeDef, ...]  # technical themes with enough talent, strongest first
    seen: tuple[Seen, ...]  # newest first
    registered: tuple[Activity, ...]  # upcoming exposure activities they are registered for

    @property
    def gap(self) -> float:
        return self.talent - self.interest


@dataclass(frozen=True)
class TalentGap:
    school: School
    rows: list[TalentRow]  # girls first, then everyone else
    activities: list[tuple[Activity, int | None]]  # upcoming exposure activities, free places
    min_talent: float
    max_interest: float

    @property
    def girls(self) -> list[TalentRow]:
        return [row for row in self.rows if row.girl]

    @property
    def others(self) -> list[TalentRow]:
        return [row for row in self.rows if not row.girl]


def _observed_students(session: Session, school: School) -> list[int]:
    return list(session.exec(
        select(TalentObservation.student_id).distinct()
        .join(StudentProfile, col(StudentProfile.id) == TalentObservation.student_id)
        .where(StudentProfile.school_id == school.id, col(StudentProfile.anonymised_at).is_(None))
        .order_by(col(TalentObservation.student_id))).all())


def _profiler(session: Session) -> ThemeProfiler:
    return ThemeProfiler(occupation_lookup=occupation_lookup()).fit(
        themes=theme_defs(session=session))


def talent_without_interest(*, session: Session, school: School, today: date | None = None,
                            min_talent: float = MIN_TALENT, max_interest: float = MAX_INTEREST,
                            profiler: ThemeProfiler | None = None) -> TalentGap:
    """The school's students with technical talent of at least ``min_talent`` and technical
    interest of at most ``max_interest``; girls first, then the others, each by the widest
    gap between talent and interest."""
    today = today or local_today()
    profiler = profiler or _profiler(session)
    records = student_records(session=session, student_ids=_observed_students(session, school),
                              today=today)
    found = _with_gap(profiler, records, today, min_talent, max_interest)
    ids = [record.id for record, *_ in found]
    students = {s.id: s for s in session.exec(
        select(StudentProfile).where(col(StudentProfile.id).in_(ids))).all()} if ids else {}
    girls = set(session.exec(select(StudentGender.student_id).where(
        col(StudentGender.student_id).in_(ids), StudentGender.gender == Gender.girl)).all()) \
        if ids else set()
    registered = _registered(session, ids, today)
    rows = [TalentRow(students[record.id], record.id in girls, talent, interest, themes,
                      _seen(profiler, record, today), tuple(registered.get(record.id, ())))
            for record, talent, interest, themes in found]
    rows.sort(key=lambda row: (not row.girl, -round(row.gap, 6), row.student.last_name,
                               row.student.first_name, row.student.id))
    return TalentGap(school, rows, upcoming_activities(session=session, school=school,
                                                       today=today),
                     min_talent, max_interest)


def _with_gap(profiler: ThemeProfiler, records: list[StudentRecord], today: date,
              min_talent: float, max_interest: float
              ) -> list[tuple[StudentRecord, float, float, tuple[ThemeDef, ...]]]:
    """(record, talent, interest, the technical themes of their talent) of the students with
    enough technical talent and little enough technical interest."""
    technical = profiler.technical_
    found: list[tuple[StudentRecord, float, float, tuple[ThemeDef, ...]]] = []
    for record in records:
        record = dataclasses.replace(record, participations=())
        talent_vector = profiler.talent(record, today)
        talent = float(talent_vector[technical].max()) if technical.any() else 0.0
        interest = float(profiler.interest(record)[technical].max()) if technical.any() else 0.0
        if talent < min_talent or interest > max_interest:
            continue
        strong = sorted((i for i in range(profiler.n_themes)
                         if technical[i] and talent_vector[i] >= min_talent),
                        key=lambda i: -talent_vector[i])
        found.append((record, talent, interest, tuple(profiler.themes_[i] for i in strong)))
    return found


def _seen(profiler: ThemeProfiler, record: StudentRecord, today: date) -> tuple[Seen, ...]:
    """Each observation of the student, newest first, with the technical themes it counts
    for on its own."""
    technical = profiler.technical_
    seen = []
    for observation in sorted(record.observations, key=lambda o: o.observed_on, reverse=True):
        alone = profiler.talent(dataclasses.replace(record, observations=(observation,)), today)
        counted = tuple(profiler.themes_[i] for i in range(profiler.n_themes)
                        if technical[i] and alone[i] > 0)
        if counted:
            seen.append(Seen(observation, counted))
    return tuple(seen)


def _registered(session: Session, student_ids: list[int],
                today: date) -> dict[int, list[Activity]]:
    found: dict[int, list[Activity]] = defaultdict(list)
    if not student_ids:
        return found
    for student_id, activity in session.exec(
            select(Participation.student_id, Activity)
            .join(Activity, col(Activity.id) == Participation.activity_id)
            .where(col(Participation.student_id).in_(student_ids), Activity.starts_on >= today,
                   col(Activity.kind).in_(EXPOSURE_KINDS))
            .order_by(col(Activity.starts_on), col(Activity.id))).all():
        found[student_id].append(activity)
    return found


def upcoming_activities(*, session: Session, school: School,
                        today: date | None = None) -> list[tuple[Activity, int | None]]:
    """Exposure activities of the school's region from today on, soonest first, each with
    its free places (None: no limit)."""
    today = today or local_today()
    taken = (select(func.count()).select_from(Participation)
             .where(Participation.activity_id == Activity.id).scalar_subquery())
    rows = session.exec(
        select(Activity, taken).where(Activity.region_id == school.region_id,
                                      col(Activity.kind).in_(EXPOSURE_KINDS),
                                      Activity.starts_on >= today)
        .order_by(col(Activity.starts_on), col(Activity.id)).limit(MAX_ACTIVITIES)).all()
    return [(activity, None if activity.capacity is None else max(0, activity.capacity - n))
            for activity, n in rows]


def invite(*, session: Session, activity: Activity, student: StudentProfile,
           by: User) -> bool:
    """Register the student for the activity and tell them. False when they already were.

    Raises :class:`activities.RegistrationError` when the activity is full (nothing changed).
    """
    result = activities.register_students(session=session, activity=activity,
                                          students=[student], by=by)
    if not result.added:
        return False
    user = session.get(User, student.user_id) if student.user_id else None
    if user is not None:
        title, day = activity.title, activity.starts_on
        notify(session=session, users=[user], kind="invited",
               message=lambda: _("You are invited to %(title)s on %(date)s.", title=title,
                                 date=format_date(day, "long")),
               link=f"/activities/{activity.id}")
        session.commit()
    return True
