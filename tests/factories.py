"""Small builders for test data. Each flushes (so ids exist); the caller commits."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.models import (
    Activity,
    ActivityKind,
    Attendance,
    Company,
    CompanyContact,
    Consent,
    ConsentGiver,
    Gender,
    Level,
    MatchProposal,
    Participation,
    Pillar,
    Placement,
    PlacementKind,
    PlacementStatus,
    Region,
    Role,
    School,
    SchoolKind,
    StudentGender,
    StudentProfile,
    TalentObservation,
    User,
    school_year_of,
)
from app.models.base import local_today

_numbers = itertools.count(1)


def born_fifteen_years_ago() -> int:
    """A third-year student is about 15 (born 2011 in 2026). Counted from today, so she stays
    15, and maybe under the consent age of 16, whatever year the suite runs in."""
    return local_today().year - 15


def _n() -> int:
    return next(_numbers)


def _save(session: Session, obj):
    session.add(obj)
    session.flush()
    return obj


def make_region(session: Session, name: str) -> Region:
    return _save(session, Region(slug=name.lower().replace(" ", "-"), name=name))


def make_school(session: Session, region: Region, kind: SchoolKind = SchoolKind.vmbo) -> School:
    n = _n()
    return _save(session, School(code=f"T{n:03d}", name=f"Testcollege {n}", kind=kind,
                                 postcode="6901", place="Zevenaar", region_id=region.id))


def make_user(session: Session, role: Role, *, password_hash: str, school: School | None = None,
              region: Region | None = None, name: str | None = None) -> User:
    n = _n()
    return _save(session, User(
        email=f"{role.value}{n}@test.example", role=role, display_name=name or f"{role.value} {n}",
        password_hash=password_hash, school_id=school.id if school else None,
        region_id=region.id if region else (school.region_id if school else None)))


def make_student(session: Session, school: School, *, password_hash: str,
                 gender: Gender = Gender.girl, first_name: str = "Sanne") -> StudentProfile:
    user = make_user(session, Role.student, password_hash=password_hash, school=school,
                     name=first_name)
    profile = _save(session, StudentProfile(
        user_id=user.id, school_id=school.id, student_number=f"S{_n():05d}",
        first_name=first_name, last_name="de Vries", birth_year=born_fifteen_years_ago(),
        level=Level.vmbo_kb,
        school_year=3, class_name="3B", postcode="6901", travel_km=15,
        interests_text="robots bouwen en solderen"))
    _save(session, StudentGender(student_id=profile.id, gender=gender))
    return profile


def make_company(session: Session, region: Region, *, password_hash: str) -> tuple[Company, User]:
    n = _n()
    company = _save(session, Company(name=f"Testbedrijf {n} B.V.", kvk=f"{10000000 + n:08d}",
                                     sector="installatie", postcode="6902", place="Zevenaar",
                                     region_id=region.id, recognised=True))
    contact = make_user(session, Role.company, password_hash=password_hash)
    _save(session, CompanyContact(company_id=company.id, user_id=contact.id))
    return company, contact


def make_placement(session: Session, company: Company,
                   status: PlacementStatus = PlacementStatus.open, capacity: int = 2) -> Placement:
    n = _n()
    return _save(session, Placement(
        company_id=company.id, code=f"P{n}", title=f"Snuffelstage elektrotechniek {n}",
        kind=PlacementKind.snuffelstage, levels=[Level.vmbo_kb.value], status=status,
        postcode=company.postcode, place=company.place, capacity=capacity))


def make_activity(session: Session, region: Region, *, school: School | None = None,
                  host: Company | None = None,
                  kind: ActivityKind = ActivityKind.tech_week) -> Activity:
    day = date(2025, 10, 7)
    return _save(session, Activity(
        code=f"A{_n()}", kind=kind, pillar=Pillar.kiezen, title="Week van de Techniek",
        starts_on=day, school_year=school_year_of(day), postcode="6901", place="Zevenaar",
        region_id=region.id, school_id=school.id if school else None,
        host_company_id=host.id if host else None))


@dataclass
class Side:
    """One region's worth of objects, so tests can compare 'mine' with 'someone else's'."""

    region: Region
    school: School
    other_school: School
    student: StudentProfile
    student_user: User
    classmate: StudentProfile
    other_school_student: StudentProfile
    counsellor: User
    coordinator: User
    company: Company
    company_user: User
    placement: Placement
    draft_placement: Placement
    activity: Activity
    other_activity: Activity


@dataclass
class World:
    home: Side
    away: Side
    admin: User


def build_side(session: Session, name: str, *, password_hash: str) -> Side:
    region = make_region(session, name)
    school = make_school(session, region)
    other_school = make_school(session, region, SchoolKind.mbo)
    student = make_student(session, school, password_hash=password_hash)
    classmate = make_student(session, school, password_hash=password_hash,
                             gender=Gender.boy, first_name="Daan")
    other_school_student = make_student(session, other_school, password_hash=password_hash,
                                        first_name="Fleur")
    counsellor = make_user(session, Role.counsellor, password_hash=password_hash, school=school)
    coordinator = make_user(session, Role.coordinator, password_hash=password_hash, region=region)
    company, company_user = make_company(session, region, password_hash=password_hash)
    placement = make_placement(session, company)
    draft = make_placement(session, company, status=PlacementStatus.draft)
    activity = make_activity(session, region, school=school, host=company)
    other_activity = make_activity(session, region, school=other_school,
                                   kind=ActivityKind.girlsday)
    _save(session, Participation(activity_id=activity.id, student_id=student.id,
                                 attendance=Attendance.attended))
    _save(session, TalentObservation(activity_id=activity.id, student_id=student.id,
                                     observer_id=counsellor.id, strength=4,
                                     skills="heel precies bij het solderen",
                                     observed_on=activity.starts_on))
    student_user = session.get(User, student.user_id)
    return Side(region, school, other_school, student, student_user, classmate,
                other_school_student, counsellor, coordinator, company, company_user,
                placement, draft, activity, other_activity)


def build_world(session: Session, *, password_hash: str) -> World:
    home = build_side(session, "Liemers", password_hash=password_hash)
    away = build_side(session, "Achterhoek", password_hash=password_hash)
    admin = make_user(session, Role.admin, password_hash=password_hash)
    session.commit()
    return World(home, away, admin)


def make_proposal(session: Session, student: StudentProfile, placement: Placement,
                  status=None, explanation: str = "Je bent goed in solderen.") -> MatchProposal:
    from app.models import ProposalStatus

    return _save(session, MatchProposal(
        student_id=student.id, placement_id=placement.id, score=0.8,
        status=status or ProposalStatus.student_accepted, explanation=explanation))


def give_consent(session: Session, student: StudentProfile) -> Consent:
    return _save(session, Consent(student_id=student.id, given_by=ConsentGiver.school))
