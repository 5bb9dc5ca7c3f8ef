"""The demo data generator: sizes, realism rules, determinism and refusing to run twice."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from dataclasses import dataclass, fields
from statistics import mean

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from app.db import make_engine
from app.models import (
    Activity,
    ActivityKind,
    ActivityObserver,
    ActivityTheme,
    Company,
    CompanyContact,
    Gender,
    Level,
    Participation,
    Pathway,
    Placement,
    PlacementKind,
    PlacementStatus,
    PlacementTheme,
    Region,
    Role,
    School,
    SchoolKind,
    StudentGender,
    StudentProfile,
    StudentTheme,
    TalentObservation,
    Theme,
    User,
    metadata,
    school_year_of,
)
from seeds import DEMO_ACCOUNTS, SeedSummary, generate
from seeds.refdata import REFERENCE_DIR

# Shaped like a werkzeug hash; nothing here checks it, so nothing needs to hash.
DUMMY_HASH = "scrypt:32768:8:1$seedtests$" + "0" * 128
SCHOOL_YEARS = {"2024-2025", "2025-2026"}
PILLAR_OF = {
    ActivityKind.tech_week: "kiezen", ActivityKind.talent_scouting: "kiezen",
    ActivityKind.technieklokaal: "leren", ActivityKind.girlsday: "kiezen",
    ActivityKind.pet_event: "kiezen", ActivityKind.company_visit: "werken",
    ActivityKind.guest_lesson: "leren", ActivityKind.fieldlab: "innoveren",
    ActivityKind.other: "kiezen",
}
VMBO = {Level.vmbo_bb, Level.vmbo_kb, Level.vmbo_gl, Level.vmbo_tl}
MBO = {Level.mbo_1, Level.mbo_2, Level.mbo_3, Level.mbo_4}


@dataclass
class Seeded:
    engine: sa.Engine
    summary: SeedSummary


@pytest.fixture(scope="module")
def seeded(request, tmp_path_factory, scratch_database):
    """One default run shared by the read-only tests: generating takes a moment."""
    if scratch_database is None:
        path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = scratch_database()
    engine = make_engine(url)
    metadata.create_all(engine)
    with Session(engine) as session:
        summary = generate(session, password_hash=DUMMY_HASH)
    yield Seeded(engine, summary)
    engine.dispose()
    if scratch_database is not None:
        scratch_database.drop(url)


@pytest.fixture
def db(seeded):
    with Session(seeded.engine) as session:
        yield session


def _count(session: Session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def _dump(session: Session) -> dict[str, list]:
    """Every row of every table in key order; session tokens are secrets, not seed data."""
    dump = {}
    for table in metadata.sorted_tables:
        columns = [c for c in table.c if (table.name, c.name) != ("user", "session_token")]
        query = sa.select(*columns).order_by(*table.primary_key.columns)
        dump[table.name] = [tuple(row) for row in session.execute(query)]
    return dump


def test_default_run_meets_the_minimum_sizes_and_reports_true_counts(seeded, db):
    summary = seeded.summary
    assert (summary.regions, summary.students, summary.activities) == (4, 600, 60)
    assert (summary.companies, summary.placements) == (120, 300)
    assert summary.schools >= 20
    assert summary.themes >= 19
    assert summary.participations > summary.activities
    assert summary.observations > 0
    models = {"regions": Region, "schools": School, "students": StudentProfile,
              "users": User, "activities": Activity, "participations": Participation,
              "observations": TalentObservation, "companies": Company,
              "placements": Placement, "themes": Theme}
    assert {f.name for f in fields(SeedSummary)} == set(models)
    for name, model in models.items():
        assert getattr(summary, name) == _count(db, model), name


def test_schools_of_every_kind_have_unique_brin_like_codes_in_every_region(db):
    schools = db.exec(select(School)).all()
    assert {SchoolKind.primary, SchoolKind.vmbo, SchoolKind.mbo, SchoolKind.hbo} <= {
        s.kind for s in schools}
    assert {s.region_id for s in schools} == set(db.exec(select(Region.id)).all())
    codes = [s.code for s in schools]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"\d{2}[A-Z]{2}", code) for code in codes)


def test_demo_regions_are_the_four_of_the_domain(db):
    assert set(db.exec(select(Region.name)).all()) == {
        "Liemers", "Achterhoek", "Noord-Holland Noord", "Zaanstreek-Waterland"}


def test_themes_carry_dutch_and_english_labels_synonyms_and_esco_codes(db):
    themes = {t.slug: t for t in db.exec(select(Theme)).all()}
    robotics = themes["robotica"]
    assert (robotics.label_nl, robotics.label_en) == ("Robotica", "Robotics")
    assert "robotika" in robotics.synonyms
    assert all(re.fullmatch(r"\d{4}(\.\d+)*", code) for t in themes.values()
               for code in t.esco_codes)
    assert not themes["horeca"].technical
    assert sum(t.technical for t in themes.values()) >= 19


def test_girls_are_a_realistic_minority_and_fewer_still_in_mbo(db):
    rows = db.exec(select(StudentProfile.level, StudentGender.gender)
                   .join(StudentGender, StudentGender.student_id == StudentProfile.id)).all()
    assert len(rows) == 600  # every student has a gender row
    genders = Counter(gender for _, gender in rows)
    assert 0.30 <= genders[Gender.girl] / len(rows) <= 0.45
    assert genders[Gender.other] + genders[Gender.not_given] > 0
    mbo = [gender for level, gender in rows if level in MBO]
    assert Counter(mbo)[Gender.girl] / len(mbo) < genders[Gender.girl] / len(rows)


def test_students_fit_their_school_and_level(db):
    schools = {s.id: s for s in db.exec(select(School)).all()}
    users = {u.id: u for u in db.exec(select(User).where(User.role == Role.student)).all()}
    themed = set(db.exec(select(StudentTheme.student_id)).all())
    kind_levels = {SchoolKind.primary: {Level.basis}, SchoolKind.vmbo: VMBO,
                   SchoolKind.havo_vwo: {Level.havo, Level.vwo}, SchoolKind.mbo: MBO,
                   SchoolKind.hbo: {Level.hbo}}
    age_range = {SchoolKind.primary: (7, 13), SchoolKind.vmbo: (11, 19),
                 SchoolKind.havo_vwo: (11, 19), SchoolKind.mbo: (15, 24),
                 SchoolKind.hbo: (17, 26)}
    for student in db.exec(select(StudentProfile)).all():
        kind = schools[student.school_id].kind
        assert student.level in kind_levels[kind]
        assert (student.pathway is not None) == (student.level in MBO)
        low, high = age_range[kind]
        assert low <= 2025 - student.birth_year <= high
        assert 5 <= student.travel_km <= 40
        assert users[student.user_id].school_id == student.school_id
        assert student.id in themed and student.interests_text
        if kind is SchoolKind.primary:
            assert student.wanted_kinds == []
        elif kind in (SchoolKind.vmbo, SchoolKind.havo_vwo):
            assert student.wanted_kinds == ["snuffelstage"]
        elif kind is SchoolKind.mbo:
            wanted = "bbl_apprenticeship" if student.pathway is Pathway.bbl else "bol_internship"
            assert student.wanted_kinds == [wanted]
            assert student.available_from < student.available_until


def test_activities_cover_every_kind_in_both_school_years_each_with_participants(db):
    activities = db.exec(select(Activity)).all()
    assert {(a.kind, a.school_year) for a in activities} == {
        (kind, year) for kind in ActivityKind for year in SCHOOL_YEARS}
    joined = Counter(db.exec(select(Participation.activity_id)).all())
    themed = set(db.exec(select(ActivityTheme.activity_id)).all())
    hosted = {ActivityKind.company_visit, ActivityKind.girlsday, ActivityKind.fieldlab}
    for activity in activities:
        assert activity.pillar.value == PILLAR_OF[activity.kind]
        assert activity.school_year == school_year_of(activity.starts_on)
        assert 0 < joined[activity.id] <= activity.capacity
        assert activity.id in themed
        if activity.kind in hosted:
            assert activity.host_company_id is not None


def test_girlsday_participants_are_all_girls_aged_10_to_15(db):
    rows = db.exec(
        select(Activity.starts_on, StudentProfile.birth_year, StudentGender.gender)
        .join(Participation, Participation.activity_id == Activity.id)
        .join(StudentProfile, StudentProfile.id == Participation.student_id)
        .join(StudentGender, StudentGender.student_id == StudentProfile.id)
        .where(Activity.kind == ActivityKind.girlsday)).all()
    assert rows
    for day, birth_year, gender in rows:
        assert gender is Gender.girl
        # Only the birth year is stored: the youngest and oldest she can be on the day.
        youngest, oldest = day.year - birth_year - 1, day.year - birth_year
        assert youngest >= 10 and oldest <= 15


def test_observations_are_made_on_the_day_by_the_activitys_observer_or_school_staff(db):
    rows = db.exec(
        select(TalentObservation, Activity.starts_on, User.school_id, User.region_id,
               StudentProfile.school_id)
        .join(Activity, Activity.id == TalentObservation.activity_id)
        .join(User, User.id == TalentObservation.observer_id)
        .join(StudentProfile, StudentProfile.id == TalentObservation.student_id)).all()
    assert len(rows) == _count(db, TalentObservation)
    schools = {s.id: s for s in db.exec(select(School)).all()}
    assigned = set(db.exec(select(ActivityObserver.activity_id, ActivityObserver.user_id)).all())
    by_assigned_observer = 0
    for observation, day, observer_school, observer_region, student_school in rows:
        assert observation.observed_on == day
        assert 1 <= observation.strength <= 5 and observation.skills
        if (observation.activity_id, observation.observer_id) in assigned:
            by_assigned_observer += 1
        elif schools[student_school].kind is SchoolKind.primary:
            assert observer_region == schools[student_school].region_id
        else:
            assert observer_school == student_school
    assert by_assigned_observer > 0


def test_scouts_observe_at_talent_scouting_in_their_own_region(db):
    rows = db.exec(select(Activity, User).join(ActivityObserver,
                                               ActivityObserver.activity_id == Activity.id)
                   .join(User, User.id == ActivityObserver.user_id)).all()
    scouting = [(a, u) for a, u in rows if a.kind is ActivityKind.talent_scouting]
    assert scouting
    assert all(u.role is Role.observer and u.region_id == a.region_id for a, u in scouting)


def test_observed_strength_has_the_same_distribution_for_girls_and_boys(db):
    rows = db.exec(select(TalentObservation.strength, StudentGender.gender)
                   .join(StudentGender,
                         StudentGender.student_id == TalentObservation.student_id)).all()
    girls = [s for s, g in rows if g is Gender.girl]
    boys = [s for s, g in rows if g is Gender.boy]
    assert len(girls) > 50 and len(boys) > 50
    assert abs(mean(girls) - mean(boys)) < 0.3
    for strength in range(1, 6):
        assert abs(girls.count(strength) / len(girls) - boys.count(strength) / len(boys)) < 0.1


def test_the_themes_students_pick_do_not_depend_on_gender(db):
    rows = db.exec(select(StudentGender.gender, Theme.technical)
                   .join(StudentTheme, StudentTheme.student_id == StudentGender.student_id)
                   .join(Theme, Theme.id == StudentTheme.theme_id)).all()
    students = Counter(db.exec(select(StudentGender.gender)).all())
    for_girls = [technical for gender, technical in rows if gender is Gender.girl]
    for_boys = [technical for gender, technical in rows if gender is Gender.boy]
    assert abs(len(for_girls) / students[Gender.girl]
               - len(for_boys) / students[Gender.boy]) < 0.2  # themes per student
    assert abs(mean(for_girls) - mean(for_boys)) < 0.05  # share of technical themes


def test_kvk_numbers_are_unique_eight_digit_strings(db):
    numbers = db.exec(select(Company.kvk)).all()
    assert len(numbers) == 120 == len(set(numbers))
    assert all(re.fullmatch(r"\d{8}", number) for number in numbers)


def test_every_postcode_is_a_real_one_from_the_reference_file_in_the_right_region(db):
    with (REFERENCE_DIR / "postcodes.csv").open(encoding="utf-8") as handle:
        region_of = {row["pc4"]: row["region"] for row in csv.DictReader(handle)}
    slugs = {r.id: r.slug for r in db.exec(select(Region)).all()}
    for model in (School, Company, Activity):
        for postcode, region_id in db.exec(select(model.postcode, model.region_id)).all():
            assert region_of.get(postcode) == slugs[region_id], (model.__name__, postcode)
    school_region = {s.id: slugs[s.region_id] for s in db.exec(select(School)).all()}
    for postcode, school_id in db.exec(select(StudentProfile.postcode,
                                              StudentProfile.school_id)).all():
        assert region_of.get(postcode) == school_region[school_id]
    company_postcode = dict(db.exec(select(Company.id, Company.postcode)).all())
    for postcode, company_id in db.exec(select(Placement.postcode, Placement.company_id)).all():
        assert postcode == company_postcode[company_id]


def test_every_role_has_users_who_share_the_given_hash_but_not_a_session(db):
    users = db.exec(select(User)).all()
    assert {u.role for u in users} == set(Role)
    assert {u.password_hash for u in users} == {DUMMY_HASH}
    assert len({u.session_token for u in users}) == len(users)
    assert len({u.email for u in users}) == len(users)
    counsellors = {u.school_id for u in users if u.role is Role.counsellor}
    above_primary = set(db.exec(select(School.id).where(School.kind != SchoolKind.primary)).all())
    assert counsellors == above_primary
    assert sorted(u.region_id for u in users if u.role is Role.coordinator) == sorted(
        db.exec(select(Region.id)).all())
    contacts = Counter(db.exec(select(CompanyContact.company_id)).all())
    assert len(contacts) == 120 and set(contacts.values()) <= {1, 2}


def test_demo_accounts_belong_to_the_liemers_vmbo_school_and_a_busy_liemers_company(db):
    users = {u.email: u for u in db.exec(select(User)).all()}
    for role, email in DEMO_ACCOUNTS:
        assert users[email].role is role
    liemers = db.exec(select(Region).where(Region.slug == "liemers")).one()
    student_user = users["student@talentmatch.example"]
    school = db.get(School, student_user.school_id)
    assert (school.kind, school.region_id) == (SchoolKind.vmbo, liemers.id)
    student = db.exec(select(StudentProfile)
                      .where(StudentProfile.user_id == student_user.id)).one()
    assert db.scalar(select(sa.func.count()).where(Participation.student_id == student.id)) >= 2
    assert db.scalar(select(sa.func.count())
                     .where(TalentObservation.student_id == student.id)) >= 2
    assert users["counsellor@talentmatch.example"].school_id == school.id
    assert users["coordinator@talentmatch.example"].region_id == liemers.id
    contact = db.exec(select(CompanyContact).where(
        CompanyContact.user_id == users["company@talentmatch.example"].id)).one()
    company = db.get(Company, contact.company_id)
    assert company.region_id == liemers.id
    assert db.scalar(select(sa.func.count()).where(Placement.company_id == company.id)) >= 3


def test_placement_kinds_fit_their_levels_and_recognition(db):
    placements = db.exec(select(Placement)).all()
    companies = {c.id: c for c in db.exec(select(Company)).all()}
    themed = set(db.exec(select(PlacementTheme.placement_id)).all())
    allowed = {PlacementKind.snuffelstage: VMBO | {Level.havo},
               PlacementKind.bol_internship: MBO - {Level.mbo_1},
               PlacementKind.bbl_apprenticeship: MBO,
               PlacementKind.hbo_internship: {Level.hbo},
               PlacementKind.graduation_project: {Level.hbo},
               PlacementKind.fieldlab_project: {Level.mbo_4, Level.hbo}}
    for placement in placements:
        assert placement.levels and set(placement.levels) <= {lv.value for lv in
                                                              allowed[placement.kind]}
        if placement.kind in (PlacementKind.bol_internship, PlacementKind.bbl_apprenticeship):
            assert placement.kind.value in companies[placement.company_id].recognised_for
        assert 1 <= placement.capacity <= 4 and placement.places_taken == 0
        assert placement.starts_on <= placement.ends_on
        assert placement.starts_on.year >= 2025 and placement.ends_on.year <= 2027
        assert placement.application_deadline < placement.starts_on
        assert placement.id in themed
    statuses = Counter(p.status for p in placements)
    assert statuses[PlacementStatus.open] / len(placements) > 0.6
    assert set(statuses) == set(PlacementStatus)


def test_placements_have_hours_that_fit_their_days(db):
    placements = db.exec(select(Placement)).all()
    for placement in placements:
        days, hours = placement.days_per_week, placement.hours_per_week
        assert 1 <= days <= 5 and 1 <= hours <= 40 and hours <= 10 * days, placement.code
    # A pupil's snuffelstage day is shorter than an mbo student's working day.
    per_day = {p.kind: p.hours_per_week / p.days_per_week for p in placements}
    assert per_day[PlacementKind.snuffelstage] < per_day[PlacementKind.bol_internship]


def test_a_second_run_on_a_seeded_database_refuses_without_writing(db):
    before = _count(db, User), _count(db, StudentProfile)
    with pytest.raises(ValueError, match="already has data"):
        generate(db, password_hash=DUMMY_HASH)
    db.rollback()
    assert (_count(db, User), _count(db, StudentProfile)) == before


def test_the_same_arguments_give_identical_rows(seeded, db, session):
    generate(session, password_hash=DUMMY_HASH)
    assert _dump(session) == _dump(db)


def test_existing_users_are_kept_and_later_rows_get_fresh_ids(session):
    first = User(email="beheer@example.org", password_hash=DUMMY_HASH, role=Role.admin,
                 display_name="Beheer")
    session.add(first)
    session.commit()
    summary = generate(session, password_hash=DUMMY_HASH)
    assert _count(session, User) == summary.users + 1
    assert session.scalar(sa.select(sa.func.min(User.id)).where(User.id != first.id)) > first.id
    seeded_max = session.scalar(sa.select(sa.func.max(User.id)))
    later = User(email="later@example.org", password_hash=DUMMY_HASH, role=Role.admin,
                 display_name="Later")
    session.add(later)
    session.commit()  # on PostgreSQL this needs the id sequence moved past the seeded ids
    assert later.id > seeded_max


def test_refuses_when_an_existing_user_has_a_demo_address(session):
    session.add(User(email="admin@talentmatch.example", password_hash=DUMMY_HASH,
                     role=Role.admin, display_name="Beheer"))
    session.commit()
    with pytest.raises(ValueError, match="admin@talentmatch.example"):
        generate(session, password_hash=DUMMY_HASH)
    assert _count(session, Region) == 0


@pytest.mark.parametrize(("arguments", "message"), [
    ({"students": 10}, "at least 100 students"),
    ({"placements": 0}, "at least 100 students and 10 placements"),
    ({"password_hash": ""}, "password_hash is empty"),
])
def test_rejects_runs_too_small_to_show_anything_or_without_a_hash(session, arguments, message):
    with pytest.raises(ValueError, match=message):
        generate(session, **{"password_hash": DUMMY_HASH, **arguments})
