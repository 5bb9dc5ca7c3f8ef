"""Activities over two school years, who took part, and the talent observed there.

What lies after the day the data is made for is only registered: nobody attended it and nobody
was observed there yet. Of what happened, most registered students attended and a few were
absent (and so not observed).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from app.models import (
    Activity,
    ActivityKind,
    ActivityObserver,
    ActivityTheme,
    Attendance,
    Gender,
    Level,
    ObservationTheme,
    Participation,
    Pillar,
    SchoolKind,
    TalentObservation,
    school_year_of,
)

from .context import Build, at
from .organisations import CompanyInfo, RegionInfo, SchoolInfo
from .people import StudentInfo
from .refdata import words
from .sampling import monday_on_or_after, nth_weekday, school_day, weighted_sample
from .taxonomy import Taxonomy, ThemeInfo

SCHOOL_YEARS = (2024, 2025)  # 2024-2025 and 2025-2026; students' years are those of 2025-2026
PILLAR = {
    ActivityKind.tech_week: Pillar.kiezen,
    ActivityKind.talent_scouting: Pillar.kiezen,
    ActivityKind.technieklokaal: Pillar.leren,
    ActivityKind.girlsday: Pillar.kiezen,
    ActivityKind.pet_event: Pillar.kiezen,
    ActivityKind.company_visit: Pillar.werken,
    ActivityKind.guest_lesson: Pillar.leren,
    ActivityKind.fieldlab: Pillar.innoveren,
    ActivityKind.other: Pillar.kiezen,
}
KIND_WEIGHT = {
    ActivityKind.tech_week: 1, ActivityKind.talent_scouting: 2,
    ActivityKind.technieklokaal: 3, ActivityKind.girlsday: 1, ActivityKind.pet_event: 1,
    ActivityKind.company_visit: 2, ActivityKind.guest_lesson: 1.5,
    ActivityKind.fieldlab: 0.7, ActivityKind.other: 0.8,
}
# Participants (fewest, most), capacity, and the share of participants observed.
SIZE = {
    ActivityKind.tech_week: (40, 120, 200, 0.15),
    ActivityKind.talent_scouting: (12, 30, 30, 0.8),
    ActivityKind.technieklokaal: (15, 28, 28, 0.35),
    ActivityKind.girlsday: (8, 20, 20, 0.3),
    ActivityKind.pet_event: (50, 200, 300, 0.1),
    ActivityKind.company_visit: (10, 25, 25, 0.15),
    ActivityKind.guest_lesson: (15, 30, 30, 0.1),
    ActivityKind.fieldlab: (4, 12, 12, 0.6),
    ActivityKind.other: (20, 80, 100, 0.05),
}
# Who may take part: per school kind, the first and last year of the course at the time.
AUDIENCE = {
    ActivityKind.tech_week: {SchoolKind.primary: (5, 8), SchoolKind.vmbo: (1, 2),
                             SchoolKind.havo_vwo: (1, 2)},
    ActivityKind.talent_scouting: {SchoolKind.primary: (6, 8), SchoolKind.vmbo: (1, 2)},
    ActivityKind.technieklokaal: {SchoolKind.primary: (5, 8), SchoolKind.vmbo: (1, 4)},
    ActivityKind.girlsday: {SchoolKind.primary: (6, 8), SchoolKind.vmbo: (1, 4),
                            SchoolKind.havo_vwo: (1, 4)},
    ActivityKind.pet_event: {SchoolKind.primary: (6, 8), SchoolKind.vmbo: (1, 4),
                             SchoolKind.havo_vwo: (1, 3)},
    ActivityKind.company_visit: {SchoolKind.vmbo: (3, 4), SchoolKind.havo_vwo: (3, 6),
                                 SchoolKind.mbo: (1, 4)},
    ActivityKind.guest_lesson: {SchoolKind.vmbo: (1, 4), SchoolKind.havo_vwo: (1, 6),
                                SchoolKind.mbo: (1, 4), SchoolKind.hbo: (1, 4)},
    ActivityKind.fieldlab: {SchoolKind.mbo: (2, 4), SchoolKind.hbo: (1, 4)},
    ActivityKind.other: {SchoolKind.vmbo: (3, 4), SchoolKind.havo_vwo: (3, 6),
                         SchoolKind.mbo: (1, 4), SchoolKind.hbo: (1, 4)},
}
AT_SCHOOL = {ActivityKind.technieklokaal, ActivityKind.guest_lesson}
HOSTED = {ActivityKind.company_visit, ActivityKind.girlsday, ActivityKind.fieldlab,
          ActivityKind.guest_lesson}
# One draw for everyone: strength must not depend on gender or anything else about a pupil.
STRENGTH_WEIGHTS = (6, 16, 34, 29, 15)
# Registered students who did not come (ill, a test, a missed bus).
ABSENT_SHARE = 0.05


@dataclass(slots=True)
class Tally:
    """Participations and observations per student id, for picking the demo student."""

    participations: Counter[int]
    observations: Counter[int]


def can_join(kind: ActivityKind, student: StudentInfo, start_year: int, day: date) -> bool:
    """Whether the student, as they were in that school year, belongs to the audience."""
    year = student.year - (SCHOOL_YEARS[-1] - start_year)
    span = AUDIENCE[kind].get(student.school.kind)
    if span is None or not span[0] <= year <= span[1]:
        return False
    if kind is ActivityKind.fieldlab:
        return student.level not in (Level.mbo_1, Level.mbo_2)
    if kind is ActivityKind.girlsday:
        # Only the birth year is known: the youngest and oldest age possible on the day.
        return (student.gender is Gender.girl and day.year - student.birth_year - 1 >= 10
                and day.year - student.birth_year <= 15)
    return True


def _dates(rng: random.Random, kind: ActivityKind, start_year: int) -> tuple[date, date | None]:
    if kind is ActivityKind.tech_week:
        monday = monday_on_or_after(date(start_year, 10, 1))
        return monday, monday + timedelta(days=4)
    if kind is ActivityKind.girlsday:
        return nth_weekday(start_year + 1, 4, 3, 2), None  # second Thursday of April
    day = school_day(rng, start_year)
    if kind is ActivityKind.fieldlab:
        return day, day + timedelta(weeks=rng.randint(8, 12))
    return day, None


class ActivityPlanner:
    def __init__(self, build: Build, regions: list[RegionInfo], companies: list[CompanyInfo],
                 students: list[StudentInfo], taxonomy: Taxonomy,
                 today: date | None = None) -> None:
        """``today``: the day the data is made for, in the seeded years; None: every activity
        has happened."""
        self.build, self.regions, self.taxonomy = build, regions, taxonomy
        self.today = today
        self.companies = {r.slug: [c for c in companies if c.region is r] for r in regions}
        self.students: dict[str, list[StudentInfo]] = {r.slug: [] for r in regions}
        self.by_school: dict[int, list[StudentInfo]] = {}
        for student in students:
            self.students[student.school.region.slug].append(student)
            self.by_school.setdefault(student.school.id, []).append(student)
        self._pools: dict[tuple, list[StudentInfo]] = {}
        self._schools_cache: dict[tuple, list[SchoolInfo]] = {}
        self.tally = Tally(Counter(), Counter())

    def add_all(self, total: int) -> Tally:
        rng = self.build.rng
        # Every kind in both school years first, then the rest in proportion.
        plan = [(kind, year) for kind in ActivityKind for year in SCHOOL_YEARS]
        kinds = list(KIND_WEIGHT)
        plan += [(rng.choices(kinds, list(KIND_WEIGHT.values()))[0], rng.choice(SCHOOL_YEARS))
                 for _ in range(total - len(plan))]
        dated = [(kind, year, *_dates(rng, kind, year)) for kind, year in plan]
        dated.sort(key=lambda item: item[2])
        for n, (kind, year, starts_on, ends_on) in enumerate(dated, start=1):
            self._add(n, kind, year, starts_on, ends_on)
        return self.tally

    def _pool(self, kind: ActivityKind, year: int, day: date, scope: str | int,
              candidates: list[StudentInfo]) -> list[StudentInfo]:
        key = (kind, year, scope)  # the day matters only for Girlsday: one day a year
        if key not in self._pools:
            self._pools[key] = [s for s in candidates if can_join(kind, s, year, day)]
        return self._pools[key]

    def _schools(self, kind: ActivityKind, year: int, region: str) -> list[SchoolInfo]:
        """Schools of the region with someone in the audience (the region's pool is cached)."""
        key = (kind, year, region)
        if key not in self._schools_cache:
            pool = self._pools[key]
            self._schools_cache[key] = list({s.school.id: s.school for s in pool}.values())
        return self._schools_cache[key]

    def _add(self, n: int, kind: ActivityKind, year: int, starts_on: date,
             ends_on: date | None) -> None:
        rng = self.build.rng
        pools = {r.slug: self._pool(kind, year, starts_on, r.slug, self.students[r.slug])
                 for r in self.regions}
        # Only regions with someone in the audience; in a tiny run with none, it stays empty.
        regions = [r for r in self.regions if pools[r.slug]] or self.regions
        region = rng.choices(regions, [r.weight for r in regions])[0]
        pool = pools[region.slug]
        school = None
        if kind in AT_SCHOOL and pool:
            school = rng.choice(self._schools(kind, year, region.slug))
            pool = self._pool(kind, year, starts_on, school.id, self.by_school[school.id])
        company = self._host(kind, region) if kind in HOSTED else None
        themes = self._themes(kind, company)
        activity = self._activity_row(n, kind, year, starts_on, ends_on, region, school,
                                      company, themes)
        for theme in themes:
            self.build.rows.add(ActivityTheme, activity_id=activity["id"], theme_id=theme.id)
        scout = self._observer(kind, region, company)
        if scout is not None:
            self.build.rows.add(ActivityObserver, activity_id=activity["id"], user_id=scout["id"])
        low, high, capacity, observed = SIZE[kind]
        for student in rng.sample(pool, min(len(pool), rng.randint(low, high), capacity)):
            self._participate(activity, student, themes, observed, scout)

    def _observer(self, kind: ActivityKind, region: RegionInfo,
                  company: CompanyInfo | None) -> dict | None:
        """Scouts watch at talent scouting; a host company's contact at what it hosts."""
        if kind is ActivityKind.talent_scouting:
            return self.build.rng.choice(region.scouts)
        if company is not None and company.contacts:
            return company.contacts[0]
        return None

    def _host(self, kind: ActivityKind, region: RegionInfo) -> CompanyInfo:
        candidates = self.companies[region.slug]  # never empty: at least 120 companies
        if kind is ActivityKind.girlsday:
            candidates = [c for c in candidates if c.female_role_model] or candidates
        return self.build.rng.choice(candidates)

    def _themes(self, kind: ActivityKind, company: CompanyInfo | None) -> list[ThemeInfo]:
        rng, by_slug = self.build.rng, self.taxonomy.by_slug
        if company is not None:
            own = [by_slug[slug] for slug in company.theme_slugs]
            return weighted_sample(rng, own, range(len(own), 0, -1), rng.randint(1, 2))
        count = rng.randint(2, 3) if kind is ActivityKind.girlsday else rng.randint(1, 3)
        return rng.sample(self.taxonomy.technical, count)

    def _activity_row(self, n: int, kind: ActivityKind, year: int, starts_on: date,
                      ends_on: date | None, region: RegionInfo, school: SchoolInfo | None,
                      company: CompanyInfo | None, themes: list[ThemeInfo]) -> dict:
        rng = self.build.rng
        if company is not None and kind is not ActivityKind.guest_lesson:
            where = company.postcode
        elif school is not None:
            where = school.postcode
        else:
            where = self.build.atlas.pick(rng, region.slug, town=True)
        texts = words("texts")["activities"][kind.value]
        fill = {"place": where.place, "region": region.name,
                "company": company.name if company else "", "theme": themes[0].label_lower,
                "role": themes[0].role, "project": rng.choice(themes[0].projects)}
        return self.build.rows.add(
            Activity, code=f"TM-{year}-{n:05d}", kind=kind, pillar=PILLAR[kind],
            title=rng.choice(texts["titles"]).format(**fill),
            description=rng.choice(texts["descriptions"]).format(**fill),
            starts_on=starts_on, ends_on=ends_on, school_year=school_year_of(starts_on),
            postcode=where.pc4, place=where.place, region_id=region.id,
            school_id=school.id if school else None,
            host_company_id=company.id if company else None, capacity=SIZE[kind][2],
            created_by_id=region.coordinator["id"],
            created_at=at(starts_on - timedelta(days=rng.randint(45, 90)), 9),
        )

    def _participate(self, activity: dict, student: StudentInfo, themes: list[ThemeInfo],
                     observed: float, scout: dict | None) -> None:
        rng, rows = self.build.rng, self.build.rows
        day: date = activity["starts_on"]
        registered_at = at(day - timedelta(days=rng.randint(3, 21)), 9)
        # Everything is drawn whatever the day, so that the same seed gives the same
        # activities, participants and talent for every day the data is made for; what has
        # not happened yet is left out afterwards.
        absent = rng.random() < ABSENT_SHARE
        seen = self._observation(activity, student, themes, scout) \
            if rng.random() < observed else None
        if self.today is not None and day > self.today:
            rows.add(Participation, activity_id=activity["id"], student_id=student.id,
                     registered_by_id=student.school.staff_id, registered_at=registered_at,
                     attendance=Attendance.registered, attendance_set_by_id=None,
                     attendance_set_at=None)
            return
        rows.add(Participation, activity_id=activity["id"], student_id=student.id,
                 registered_by_id=student.school.staff_id, registered_at=registered_at,
                 attendance=Attendance.absent if absent else Attendance.attended,
                 attendance_set_by_id=student.school.staff_id, attendance_set_at=at(day, 17))
        if absent:
            return
        self.tally.participations[student.id] += 1
        if seen is None:
            return
        observation, theme = seen
        observation = rows.add(TalentObservation, **observation)
        rows.add(ObservationTheme, observation_id=observation["id"], theme_id=theme.id)
        self.tally.observations[student.id] += 1

    def _observation(self, activity: dict, student: StudentInfo, themes: list[ThemeInfo],
                     scout: dict | None) -> tuple[dict, ThemeInfo]:
        """What an observer would see of the student on the day, and its theme."""
        rng, day = self.build.rng, activity["starts_on"]
        theme = rng.choice(themes)
        texts = words("texts")
        skills = rng.choice(theme.skills if rng.random() < 0.75 else texts["observation_skills"])
        return {
            "activity_id": activity["id"], "student_id": student.id,
            "observer_id": (scout or {}).get("id") or student.school.staff_id,
            "strength": rng.choices(range(1, 6), STRENGTH_WEIGHTS)[0], "skills": skills,
            "note": rng.choice(texts["observation_notes"]),
            "shared_with_companies": (student.school.kind is not SchoolKind.primary
                                      and rng.random() < 0.3),
            "observed_on": day, "created_at": at(day, 16), "updated_at": at(day, 16),
        }, theme
