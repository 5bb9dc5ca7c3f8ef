"""What each role's home page shows: real figures from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, func, select

from ..models import (
    Activity,
    ActivityKind,
    ActivityObserver,
    Attendance,
    Company,
    CompanyContact,
    Gender,
    MatchProposal,
    Participation,
    Placement,
    PlacementStatus,
    ProposalStatus,
    Region,
    School,
    StudentGender,
    StudentProfile,
    StudentTheme,
    TalentObservation,
    Theme,
    User,
)
from ..models.base import local_today
from .places import PlaceCounts, place_counts_many
from .rows import id_of

PAGE_SIZE = 50


class ActivityLine(NamedTuple):
    """What the student's home page shows of an activity."""

    id: int
    title: str
    kind: ActivityKind
    starts_on: date


class ThemeLine(NamedTuple):
    slug: str
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class StudentHome:
    profile: StudentProfile | None
    school: School | None
    themes: list[ThemeLine]
    activities: list[ActivityLine]  # took part in: attended, by today
    observation_count: int
    placements: list[tuple[MatchProposal, Placement, Company]] = field(default_factory=list)
    registered: list[ActivityLine] = field(default_factory=list)  # registered for, from today


@dataclass(frozen=True)
class StudentRow:
    id: int
    name: str
    student_number: str
    level: str
    school_year: int
    class_name: str
    activities: int
    observations: int


@dataclass(frozen=True)
class CounsellorHome:
    school: School | None
    students: list[StudentRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class PlacementRow:
    placement: Placement
    company: Company
    counts: PlaceCounts


@dataclass(frozen=True)
class CompanyHome:
    companies: list[Company]
    placements: list[PlacementRow]


@dataclass(frozen=True)
class RegionFigures:
    region: Region
    schools: int
    students: int
    girls: int
    students_with_gender: int
    activities: int
    participations: int
    observations: int
    companies: int
    open_placements: int
    places: int
    places_taken: int
    proposals: int

    @property
    def girls_share(self) -> float | None:
        return self.girls / self.students_with_gender if self.students_with_gender else None


def _student_home_statements() -> tuple[sa.Select, sa.Select, sa.Select, sa.Select]:
    today = sa.bindparam("today", type_=sa.Date)
    student = sa.bindparam("student_id")
    observation_count = (
        select(func.count()).select_from(TalentObservation)
        .where(TalentObservation.student_id == StudentProfile.id,
               col(TalentObservation.observed_on) <= today).scalar_subquery())
    profile = (sa.select(StudentProfile, School, observation_count)
               .join(School, col(School.id) == StudentProfile.school_id)
               .where(col(StudentProfile.user_id) == sa.bindparam("user_id")))
    themes = (sa.select(col(Theme.slug), col(Theme.label_nl), col(Theme.label_en))
              .join(StudentTheme, col(StudentTheme.theme_id) == Theme.id)
              .where(col(StudentTheme.student_id) == student).order_by(col(Theme.label_nl)))
    # Only what happened counts as taking part; what lies ahead is a registration.
    activities = (
        sa.select(col(Activity.id), col(Activity.title), col(Activity.kind),
                  col(Activity.starts_on), col(Participation.attendance))
        .join(Participation, col(Participation.activity_id) == Activity.id)
        .where(col(Participation.student_id) == student, sa.or_(
            sa.and_(col(Participation.attendance) == Attendance.attended,
                    col(Activity.starts_on) <= today),
            sa.and_(col(Participation.attendance) == Attendance.registered,
                    col(Activity.starts_on) >= today)))
        .order_by(col(Activity.starts_on), col(Activity.id)))
    placements = (
        sa.select(MatchProposal, Placement, Company).select_from(MatchProposal)
        .join(Placement, col(Placement.id) == MatchProposal.placement_id)
        .join(Company, col(Company.id) == Placement.company_id)
        .where(col(MatchProposal.student_id) == student,
               col(MatchProposal.status).in_([ProposalStatus.company_accepted,
                                              ProposalStatus.placed, ProposalStatus.completed])))
    return profile, themes, activities, placements


# Built once per process: putting them together on every view cost about as much CPU as
# running them (issue 20).
_STUDENT_HOME = _student_home_statements()


def student_home(*, session: Session, user: User, today: date | None = None) -> StudentHome:
    """Four queries however much the student did: the profile with its school and the count
    of observations, the themes, the activities (taken part and registered for) and the
    placements."""
    today = today or local_today()
    profile_query, themes_query, activities_query, placements_query = _STUDENT_HOME
    found = session.execute(profile_query, {"user_id": user.id, "today": today}).first()
    if found is None:
        return StudentHome(None, None, [], [], 0)
    profile, school, observations = found
    student = {"student_id": profile.id}
    themes = [ThemeLine(*row) for row in session.execute(themes_query, student)]
    rows = session.execute(activities_query, {**student, "today": today}).all()
    attended = [ActivityLine(*row[:4]) for row in reversed(rows)
                if row[4] is Attendance.attended]
    registered = [ActivityLine(*row[:4]) for row in rows if row[4] is Attendance.registered]
    placements = [(proposal, placement, company) for proposal, placement, company
                  in session.execute(placements_query, student)]
    return StudentHome(profile, school, themes, attended, int(observations or 0),
                       placements, registered)


def counsellor_home(*, session: Session, user: User, page: int = 1) -> CounsellorHome:
    school = session.get(School, user.school_id) if user.school_id else None
    if school is None:
        return CounsellorHome(None, [], 0, 1, 1)
    total = session.exec(
        select(func.count()).select_from(StudentProfile)
        .where(StudentProfile.school_id == school.id)
    ).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    activity_count = (
        select(func.count()).select_from(Participation)
        .where(Participation.student_id == StudentProfile.id,
               Participation.attendance == Attendance.attended).scalar_subquery()
    )
    observation_count = (
        select(func.count()).select_from(TalentObservation)
        .where(TalentObservation.student_id == StudentProfile.id).scalar_subquery()
    )
    rows = session.exec(
        select(StudentProfile, activity_count, observation_count)
        .where(StudentProfile.school_id == school.id)
        .order_by(col(StudentProfile.class_name), col(StudentProfile.last_name),
                  col(StudentProfile.id))
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    students = [
        StudentRow(id_of(p), p.display_name, p.student_number, p.level.value, p.school_year,
                   p.class_name, acts, obs)
        for p, acts, obs in rows
    ]
    return CounsellorHome(school, students, total, page, pages)


def company_home(*, session: Session, user: User) -> CompanyHome:
    companies = session.exec(
        select(Company).join(CompanyContact)
        .where(CompanyContact.user_id == user.id, CompanyContact.can_act)
        .order_by(col(Company.name))
    ).all()
    ids = [c.id for c in companies]
    by_id = {c.id: c for c in companies}
    placements = session.exec(
        select(Placement).where(col(Placement.company_id).in_(ids))
        .order_by(col(Placement.status), col(Placement.title))
    ).all() if ids else []
    counts = place_counts_many(session=session, placements=list(placements))
    return CompanyHome(list(companies), [PlacementRow(p, by_id[p.company_id], counts[id_of(p)])
                                         for p in placements])


def observer_home(*, session: Session, user: User) -> list[Activity]:
    """The activities this scout or host records observations at, newest first."""
    return list(session.exec(
        select(Activity).join(ActivityObserver)
        .where(ActivityObserver.user_id == user.id)
        .order_by(col(Activity.starts_on).desc())
    ).all())


def _count(session: Session, query) -> int:
    return session.exec(query).one() or 0


def region_figures(*, session: Session, region: Region) -> RegionFigures:
    rid = region.id
    in_region_students = (
        select(StudentProfile.id).join(School).where(School.region_id == rid)
    )
    girls = _count(session, select(func.count()).select_from(StudentGender).where(
        col(StudentGender.student_id).in_(in_region_students), StudentGender.gender == Gender.girl))
    with_gender = _count(session, select(func.count()).select_from(StudentGender).where(
        col(StudentGender.student_id).in_(in_region_students),
        col(StudentGender.gender).in_([Gender.girl, Gender.boy, Gender.other])))
    region_activities = select(Activity.id).where(Activity.region_id == rid)
    region_companies = select(Company.id).where(Company.region_id == rid)
    open_in_region = (col(Placement.company_id).in_(region_companies)) & (
        Placement.status == PlacementStatus.open)
    places, taken = session.exec(
        select(func.coalesce(func.sum(Placement.capacity), 0),
               func.coalesce(func.sum(Placement.places_taken), 0)).where(open_in_region)
    ).one()
    return RegionFigures(
        region=region,
        schools=_count(session, select(func.count()).select_from(School)
                       .where(School.region_id == rid)),
        students=_count(session, select(func.count()).select_from(StudentProfile)
                        .join(School).where(School.region_id == rid)),
        girls=girls,
        students_with_gender=with_gender,
        activities=_count(session, select(func.count()).select_from(Activity)
                          .where(Activity.region_id == rid)),
        participations=_count(session, select(func.count()).select_from(Participation)
                              .where(col(Participation.activity_id).in_(region_activities))),
        observations=_count(session, select(func.count()).select_from(TalentObservation)
                            .where(col(TalentObservation.activity_id).in_(region_activities))),
        companies=_count(session, select(func.count()).select_from(Company)
                         .where(Company.region_id == rid)),
        open_placements=_count(session, select(func.count()).select_from(Placement)
                               .where(open_in_region)),
        places=int(places),
        places_taken=int(taken),
        proposals=_count(session, select(func.count()).select_from(MatchProposal).where(
            col(MatchProposal.placement_id).in_(
                select(Placement.id).where(col(Placement.company_id).in_(region_companies))))),
    )


def all_region_figures(*, session: Session) -> list[RegionFigures]:
    regions = session.exec(select(Region).order_by(col(Region.name))).all()
    return [region_figures(session=session, region=r) for r in regions]


def database_ok(*, session: Session) -> bool:
    try:
        session.exec(select(sa.literal(1))).one()
    except SQLAlchemyError:
        session.rollback()
        return False
    return True
