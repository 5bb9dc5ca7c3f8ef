"""What the object pages show next to the object itself."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from ..models import (
    Activity,
    ActivityTheme,
    Company,
    Participation,
    Placement,
    PlacementStatus,
    PlacementTheme,
    Region,
    School,
    StudentProfile,
    StudentTheme,
    Theme,
)
from .rows import row_of


@dataclass(frozen=True)
class StudentDetail:
    student: StudentProfile
    school: School
    themes: list[Theme]


def student_detail(*, session: Session, student: StudentProfile) -> StudentDetail:
    themes = session.exec(select(Theme).join(StudentTheme)
                          .where(StudentTheme.student_id == student.id)
                          .order_by(col(Theme.label_nl))).all()
    return StudentDetail(student, row_of(session, School, student.school_id), list(themes))


@dataclass(frozen=True)
class SchoolDetail:
    school: School
    region: Region
    students: int


def school_detail(*, session: Session, school: School) -> SchoolDetail:
    students = session.exec(select(func.count()).select_from(StudentProfile)
                            .where(StudentProfile.school_id == school.id)).one()
    return SchoolDetail(school, row_of(session, Region, school.region_id), students)


@dataclass(frozen=True)
class CompanyDetail:
    company: Company
    region: Region
    placements: list[Placement]


def company_detail(*, session: Session, company: Company, include_drafts: bool) -> CompanyDetail:
    query = select(Placement).where(Placement.company_id == company.id)
    if not include_drafts:
        query = query.where(Placement.status != PlacementStatus.draft)
    placements = session.exec(query.order_by(col(Placement.title))).all()
    return CompanyDetail(company, row_of(session, Region, company.region_id), list(placements))


@dataclass(frozen=True)
class PlacementDetail:
    placement: Placement
    company: Company
    themes: list[Theme]


def placement_detail(*, session: Session, placement: Placement) -> PlacementDetail:
    themes = session.exec(select(Theme).join(PlacementTheme)
                          .where(PlacementTheme.placement_id == placement.id)
                          .order_by(col(Theme.label_nl))).all()
    return PlacementDetail(placement, row_of(session, Company, placement.company_id), list(themes))


@dataclass(frozen=True)
class ActivityDetail:
    activity: Activity
    region: Region
    host: Company | None
    themes: list[Theme]
    participants: int


def activity_detail(*, session: Session, activity: Activity) -> ActivityDetail:
    themes = session.exec(select(Theme).join(ActivityTheme)
                          .where(ActivityTheme.activity_id == activity.id)
                          .order_by(col(Theme.label_nl))).all()
    participants = session.exec(select(func.count()).select_from(Participation)
                                .where(Participation.activity_id == activity.id)).one()
    host = session.get(Company, activity.host_company_id) if activity.host_company_id else None
    return ActivityDetail(activity, row_of(session, Region, activity.region_id), host,
                          list(themes), participants)
