"""Students: profile, account, gender and stated interests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.models import (
    Consent,
    ConsentGiver,
    Gender,
    Level,
    Pathway,
    PlacementKind,
    Role,
    SchoolKind,
    StudentGender,
    StudentProfile,
    StudentTheme,
)
from app.services.students import CONSENT_AGE

from .context import Build, at
from .organisations import SchoolInfo
from .refdata import words
from .sampling import apportion, monday_on_or_after, weighted_sample
from .taxonomy import Taxonomy, ThemeInfo

# The programme reaches vmbo and mbo most; primary pupils through activities.
STUDENT_KIND_SHARE = {
    SchoolKind.primary: 0.20,
    SchoolKind.vmbo: 0.30,
    SchoolKind.havo_vwo: 0.10,
    SchoolKind.mbo: 0.30,
    SchoolKind.hbo: 0.10,
}
# Per school kind: (level, weight, first year, last year); primary years are "groep" 5-8.
LEVELS = {
    SchoolKind.primary: ((Level.basis, 1, 5, 8),),
    SchoolKind.vmbo: ((Level.vmbo_bb, 25, 1, 4), (Level.vmbo_kb, 30, 1, 4),
                      (Level.vmbo_gl, 15, 1, 4), (Level.vmbo_tl, 30, 1, 4)),
    SchoolKind.havo_vwo: ((Level.havo, 55, 1, 5), (Level.vwo, 45, 1, 6)),
    SchoolKind.mbo: ((Level.mbo_1, 5, 1, 1), (Level.mbo_2, 25, 1, 2),
                     (Level.mbo_3, 30, 1, 3), (Level.mbo_4, 40, 1, 4)),
    SchoolKind.hbo: ((Level.hbo, 1, 1, 4),),
}
# Age on 1 October 2025 of a pupil in "year 0" of the school kind, without delay.
AGE_BEFORE_YEAR_ONE = {
    SchoolKind.primary: 3, SchoolKind.vmbo: 11, SchoolKind.havo_vwo: 11,
    SchoolKind.mbo: 15, SchoolKind.hbo: 17,
}
# Girls' share by school kind; technical mbo tracks have the fewest girls.
GIRL_SHARE = {
    SchoolKind.primary: 0.49, SchoolKind.vmbo: 0.38, SchoolKind.havo_vwo: 0.48,
    SchoolKind.mbo: 0.24, SchoolKind.hbo: 0.32,
}
OTHER_SHARE, NOT_GIVEN_SHARE = 0.015, 0.03
# What pupils write leans mildly towards gender-typical topics, as surveys find; the themes
# they pick and the talent observed in them do not depend on gender at all.
TYPICAL_TOPICS = {Gender.girl: ("zorgtechnologie", "media-vormgeving", "3d-printen"),
                  Gender.boy: ("motorvoertuigen", "lassen")}
TYPICAL_TOPIC_SHARE = 0.1
PRIMARY_FAVOURITES = {"robotica", "3d-printen", "bouw", "ict-programmeren", "duurzame-energie"}
HOME_RADIUS_KM = {SchoolKind.primary: 4, SchoolKind.vmbo: 12, SchoolKind.havo_vwo: 12,
                  SchoolKind.mbo: 20, SchoolKind.hbo: 25}
TRAVEL_KM = {SchoolKind.primary: (5, 10), SchoolKind.vmbo: (5, 20),
             SchoolKind.havo_vwo: (5, 20), SchoolKind.mbo: (10, 40), SchoolKind.hbo: (15, 40)}
TEXT_GROUP = {SchoolKind.primary: "primary", SchoolKind.vmbo: "secondary",
              SchoolKind.havo_vwo: "secondary", SchoolKind.mbo: "mbo", SchoolKind.hbo: "hbo"}


@dataclass(slots=True)
class StudentInfo:
    id: int
    school: SchoolInfo
    level: Level
    year: int
    birth_year: int
    gender: Gender
    user: dict


def add_students(build: Build, schools: list[SchoolInfo], taxonomy: Taxonomy,
                 total: int) -> list[StudentInfo]:
    rng = build.rng
    kinds = list(STUDENT_KIND_SHARE)
    students: list[StudentInfo] = []
    for kind, kind_total in zip(kinds, apportion(total, list(STUDENT_KIND_SHARE.values())),
                                strict=True):
        of_kind = [s for s in schools if s.kind is kind]
        sizes = apportion(kind_total, [rng.uniform(0.6, 1.4) for _ in of_kind])
        for school, size in zip(of_kind, sizes, strict=True):
            first_number = rng.randrange(100_000, 900_000, 1000)
            for k in range(size):
                students.append(_add_student(build, school, taxonomy, len(students) + 1,
                                             str(first_number + k)))
    return students


def _add_student(build: Build, school: SchoolInfo, taxonomy: Taxonomy, n: int,
                 number: str) -> StudentInfo:
    rng, kind = build.rng, school.kind
    level, _, first, last = rng.choices(LEVELS[kind], [w for _, w, _, _ in LEVELS[kind]])[0]
    year = rng.randint(first, last)
    pathway = _pathway(build, level)
    gender = _gender(build, kind)
    late = kind in (SchoolKind.mbo, SchoolKind.hbo)
    # Staying down a year happens; twice is for older pupils, never in primary school.
    if kind is SchoolKind.primary:
        delay = rng.choices((0, 1), (85, 15))[0]
    else:
        delay = rng.choices((0, 1, 2), (50, 30, 20) if late else (70, 22, 8))[0]
    age = AGE_BEFORE_YEAR_ONE[kind] + year + delay
    # Born after 1 October: a year younger on that day than the calendar years say.
    birth_year = 2025 - age - int(rng.random() < 0.25)
    first_name, last_name = build.person(gender.value)
    picked = _themes(build, taxonomy, kind)
    available_from, available_until, days, wanted = _availability(build, kind, pathway, year)
    joined = at(date(2025, 9, 1) + timedelta(days=rng.randint(0, 40)), 10)
    user = build.user(Role.student, f"s{n}@students.talentmatch.example",
                      f"{first_name} {last_name}", school_id=school.id, created_at=joined)
    low, high = TRAVEL_KM[kind]
    row = build.rows.add(
        StudentProfile, user_id=user["id"], school_id=school.id, student_number=number,
        first_name=first_name, last_name=last_name, birth_year=birth_year, level=level,
        pathway=pathway, school_year=year, class_name=f"{year}{rng.choice('ABCD')}",
        postcode=rng.choice(build.atlas.near(school.postcode, HOME_RADIUS_KM[kind])).pc4,
        travel_km=rng.randint(low, high), available_from=available_from,
        available_until=available_until, days_per_week=days,
        wanted_kinds=[k.value for k in wanted],
        interests_text=_interests(build, taxonomy, kind, picked, gender, year), dream_job="",
        wants_role_model=rng.random() < 0.2, deletion_requested_at=None, anonymised_at=None,
        created_at=joined, updated_at=joined,
    )
    build.rows.add(StudentGender, student_id=row["id"], gender=gender)
    _consent(build, school, row, joined)
    for theme in picked:
        build.rows.add(StudentTheme, student_id=row["id"], theme_id=theme.id)
    return StudentInfo(row["id"], school, level, year, birth_year, gender, user)


def _consent(build: Build, school: SchoolInfo, student: dict, joined: datetime) -> None:
    """Most pupils who may be under 16 have a consent on file; some are still waiting."""
    if 2025 - student["birth_year"] > CONSENT_AGE or build.rng.random() >= 0.85:
        return
    giver = build.rng.choices(
        (ConsentGiver.parent, ConsentGiver.guardian, ConsentGiver.school), (70, 5, 25))[0]
    name = "" if giver is ConsentGiver.school else (
        f"{build.rng.choice('ABCDEFGHJKLMNPRSTW')}. {student['last_name']}")
    build.rows.add(Consent, student_id=student["id"], given_by=giver, given_by_name=name,
                   recorded_by_id=school.staff_id, given_at=joined + timedelta(days=3),
                   withdrawn_at=None, withdrawn_by_id=None, note="")


def _pathway(build: Build, level: Level) -> Pathway | None:
    if not level.value.startswith("mbo"):
        return None
    bbl_share = 0.15 if level is Level.mbo_4 else 0.3
    return Pathway.bbl if build.rng.random() < bbl_share else Pathway.bol


def _gender(build: Build, kind: SchoolKind) -> Gender:
    girl = GIRL_SHARE[kind]
    boy = 1 - girl - OTHER_SHARE - NOT_GIVEN_SHARE
    return build.rng.choices((Gender.girl, Gender.boy, Gender.other, Gender.not_given),
                             (girl, boy, OTHER_SHARE, NOT_GIVEN_SHARE))[0]


def _themes(build: Build, taxonomy: Taxonomy, kind: SchoolKind) -> list[ThemeInfo]:
    weights = [(1.0 if theme.technical else 0.3)
               * (2 if kind is SchoolKind.primary and theme.slug in PRIMARY_FAVOURITES else 1)
               for theme in taxonomy.all]
    count = build.rng.choices((1, 2, 3), (30, 45, 25))[0]
    return weighted_sample(build.rng, taxonomy.all, weights, count)


def _interests(build: Build, taxonomy: Taxonomy, kind: SchoolKind, picked: list[ThemeInfo],
               gender: Gender, year: int) -> str:
    rng = build.rng
    first = picked[0]
    second = picked[1] if len(picked) > 1 else first
    if gender in TYPICAL_TOPICS and rng.random() < TYPICAL_TOPIC_SHARE:
        second = taxonomy.by_slug[rng.choice(TYPICAL_TOPICS[gender])]
    a = rng.choice(first.said)
    b = rng.choice([s for s in second.said if s != a] or second.said)
    template = rng.choice(words("texts")["interests"][TEXT_GROUP[kind]])
    return template.format(a=a, b=b, role=first.role, year=year)


def _availability(build: Build, kind: SchoolKind, pathway: Pathway | None,
                  year: int) -> tuple[date | None, date | None, int | None, list[PlacementKind]]:
    """When a student can go on a placement, and which kinds of placement suit them."""
    rng = build.rng
    weeks = timedelta(weeks=1)
    if kind is SchoolKind.primary:
        return None, None, None, []
    if kind in (SchoolKind.vmbo, SchoolKind.havo_vwo):
        start = monday_on_or_after(date(2025, 10, 6) + rng.randint(0, 24) * weeks)
        return start, start + rng.randint(6, 30) * weeks, None, [PlacementKind.snuffelstage]
    if kind is SchoolKind.hbo:
        start = rng.choice((date(2026, 2, 2), date(2026, 9, 7), date(2027, 2, 1)))
        wanted = [PlacementKind.graduation_project if year == 4 else PlacementKind.hbo_internship]
        if rng.random() < 0.2:
            wanted.append(PlacementKind.fieldlab_project)
        return start, start + 20 * weeks, 5, wanted
    if pathway is Pathway.bbl:
        start = rng.choice((date(2025, 9, 1), date(2026, 8, 31)))
        return start, start + rng.choice((52, 104)) * weeks, 4, [PlacementKind.bbl_apprenticeship]
    start = rng.choice((date(2025, 11, 3), date(2026, 2, 2), date(2026, 9, 7)))
    return (start, start + rng.choice((20, 40)) * weeks, rng.choice((4, 5)),
            [PlacementKind.bol_internship])
