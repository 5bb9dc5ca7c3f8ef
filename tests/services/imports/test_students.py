"""Importing students: values, keys, accounts, scope, and all-or-nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select
from werkzeug.security import check_password_hash

from app.models import (
    Gender,
    Level,
    Pathway,
    Role,
    StudentGender,
    StudentProfile,
    StudentTheme,
    Theme,
    User,
)
from app.models.base import local_today
from app.services.accounts import authenticate, has_usable_password

from .test_support import (
    STUDENT_HEADER,
    count,
    csv_bytes,
    do_import,
    messages,
    scope_of,
    student_row,
    students_file,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")


def profile(session, number: str) -> StudentProfile:
    return session.exec(select(StudentProfile).where(
        StudentProfile.student_number == number)).one()


def theme_slugs(session, student: StudentProfile) -> set[str]:
    return set(session.exec(select(Theme.slug).join(StudentTheme).where(
        StudentTheme.student_id == student.id)).all())


def gender_of(session, student: StudentProfile) -> Gender | None:
    return session.exec(select(StudentGender.gender).where(
        StudentGender.student_id == student.id)).first()


def table_counts(session) -> tuple[int, ...]:
    return tuple(count(session, model) for model in
                 (StudentProfile, StudentGender, StudentTheme, User))


def with_columns(extra: dict[str, str], code: str, *rows: dict) -> bytes:
    header = [*STUDENT_HEADER, *extra]
    body = [[*student_row(code, **row), *(row.get(f"_{name}", value)
                                          for name, value in extra.items())]
            for row in rows or ({},)]
    return csv_bytes([header, *body])


def test_a_new_student_gets_a_profile_gender_row_and_themes(session, world):
    report = do_import(session, "students", students_file(world.home.school.code))
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    student = profile(session, "900001")
    assert (student.first_name, student.last_name, student.birth_year) == ("Noor", "Jansen",
                                                                          2011)
    assert (student.level, student.school_year, student.postcode, student.travel_km) == (
        Level.vmbo_kb, 3, "6901", 15)
    assert student.school_id == world.home.school.id
    assert student.interests_text == "solderen en robots"
    assert student.user_id is None
    assert gender_of(session, student) is Gender.girl
    assert theme_slugs(session, student) == {"robotica", "elektrotechniek"}


def test_gender_is_never_stored_on_the_profile(session, world):
    do_import(session, "students", students_file(world.home.school.code))
    assert not any("gender" in name for name in StudentProfile.model_fields)
    assert gender_of(session, profile(session, "900001")) is Gender.girl


def test_an_empty_gender_is_not_given_for_a_new_student(session, world):
    do_import(session, "students", students_file(world.home.school.code, {"gender": ""}))
    assert gender_of(session, profile(session, "900001")) is Gender.not_given


def test_themes_may_be_separated_by_semicolons_or_bars_and_forgive_spelling(
        session, world):
    do_import(session, "students", students_file(
        world.home.school.code, {"number": "1", "themes": "robotika|Lassen"},
        {"number": "2", "themes": "ICT; elektro ; 3D-printen"}))
    assert theme_slugs(session, profile(session, "1")) == {"robotica", "lassen"}
    assert theme_slugs(session, profile(session, "2")) == {
        "ict-programmeren", "elektrotechniek", "3d-printen"}


def test_an_unknown_theme_suggests_the_closest_ones(session, world):
    report = do_import(session, "students", students_file(
        world.home.school.code, {"number": "1", "themes": "roobtcia"},
        {"number": "2", "themes": "zwemmen"}))
    assert [(p.line, p.column) for p in report.problems] == [(2, "themes"), (3, "themes")]
    assert report.problems[0].message == (
        "Unknown theme 'roobtcia'. Did you mean Robotica?")
    assert "The import help lists the themes" in report.problems[1].message


@pytest.mark.parametrize("cell", ["", "weet ik nog niet", "Weet ik nog niet.", "GEEN",
                                  "undecided", "-"])
def test_a_new_student_without_a_theme_is_undecided_not_a_problem(session, world, cell):
    report = do_import(session, "students", students_file(world.home.school.code,
                                                           {"themes": cell}))
    assert report.ok and report.created == 1, messages(report)
    assert theme_slugs(session, profile(session, "900001")) == set()


def test_an_empty_themes_cell_keeps_the_themes_and_undecided_clears_them(session, world):
    code = world.home.school.code
    do_import(session, "students", students_file(code, {"number": "1", "themes": "lassen"}))
    student = profile(session, "1")
    kept = do_import(session, "students", students_file(code, {"number": "1", "themes": ""}))
    assert (kept.updated, kept.unchanged) == (0, 1)
    assert theme_slugs(session, student) == {"lassen"}
    cleared = do_import(session, "students", students_file(
        code, {"number": "1", "themes": "weet ik nog niet"}))
    assert cleared.updated == 1 and cleared.changes[0].columns == ("themes",)
    assert theme_slugs(session, student) == set()
    again = do_import(session, "students", students_file(
        code, {"number": "1", "themes": "geen idee"}))
    assert (again.updated, again.unchanged) == (0, 1)


def test_undecided_next_to_a_theme_is_a_problem_on_its_line_and_column(session, world):
    report = do_import(session, "students", students_file(
        world.home.school.code, {"number": "1", "themes": "robotica"},
        {"number": "2", "themes": "geen; robotica"}))
    assert [(p.line, p.column) for p in report.problems] == [(3, "themes")]
    assert report.problems[0].message.startswith(
        "'geen' means the student has no theme yet, but the cell names themes too.")
    assert count(session, StudentProfile) == 6  # the fixture's students only


def test_the_office_theme_is_a_theme_students_may_name(session, world):
    report = do_import(session, "students", students_file(
        world.home.school.code, {"themes": "administratie; zorg"}))
    assert report.ok, messages(report)
    assert theme_slugs(session, profile(session, "900001")) == {"kantoor-administratie", "zorg"}


def test_a_dream_job_column_fills_updates_and_keeps_the_dream_job(session, world):
    code = world.home.school.code

    def dream(job: str):
        return do_import(session, "students", with_columns(
            {"Droombaan": ""}, code, {"number": "1", "_Droombaan": job}))

    assert dream("Elektricien bij  TenneT").created == 1
    student = profile(session, "1")
    assert student.dream_job == "Elektricien bij TenneT"
    assert dream("Elektricien bij TenneT").unchanged == 1
    changed = dream("Dronepiloot")
    assert changed.updated == 1 and changed.changes[0].columns == ("Droombaan",)
    assert dream("").unchanged == 1  # an empty cell keeps what the student said
    session.refresh(student)
    assert student.dream_job == "Dronepiloot"


def test_a_new_student_without_a_dream_job_column_has_none(session, world):
    do_import(session, "students", students_file(world.home.school.code))
    assert profile(session, "900001").dream_job == ""


def test_a_too_long_dream_job_is_a_problem_on_its_line_and_column(session, world):
    report = do_import(session, "students", with_columns(
        {"dream job": ""}, world.home.school.code, {"number": "1", "_dream job": "kok"},
        {"number": "2", "_dream job": "x" * 201}))
    assert [(p.line, p.column) for p in report.problems] == [(3, "dream job")]
    assert "at most 200 fit" in report.problems[0].message
    assert count(session, StudentProfile) == 6


def test_a_dry_run_of_dream_jobs_and_undecided_themes_writes_nothing(session, world):
    code = world.home.school.code
    do_import(session, "students", with_columns(
        {"droomberoep": ""}, code, {"number": "1", "themes": "lassen", "_droomberoep": "lasser"}))
    report = do_import(session, "students", with_columns(
        {"droomberoep": ""}, code,
        {"number": "1", "themes": "weet ik nog niet", "_droomberoep": "dierenarts"},
        {"number": "2", "themes": "", "_droomberoep": "kapper"}), dry_run=True)
    assert (report.created, report.updated) == (1, 1), messages(report)
    assert set(report.changes[0].columns) == {"droomberoep", "themes"}
    student = profile(session, "1")
    session.refresh(student)
    assert (student.dream_job, theme_slugs(session, student)) == ("lasser", {"lassen"})
    assert count(session, StudentProfile) == 7


def test_pathway_comes_from_the_level_text_or_a_leerweg_column(session, world):
    code = world.home.other_school.code
    do_import(session, "students", with_columns(
        {"leerweg": ""}, code,
        {"number": "1", "level": "mbo 3 bbl", "_leerweg": ""},
        {"number": "2", "level": "mbo-4", "_leerweg": "BOL"},
        {"number": "3", "level": "vmbo", "_leerweg": "kb"}))
    assert (profile(session, "1").level, profile(session, "1").pathway) == (
        Level.mbo_3, Pathway.bbl)
    assert (profile(session, "2").level, profile(session, "2").pathway) == (
        Level.mbo_4, Pathway.bol)
    assert (profile(session, "3").level, profile(session, "3").pathway) == (
        Level.vmbo_kb, None)


def test_a_prefix_column_goes_in_front_of_the_last_name(session, world):
    do_import(session, "students", with_columns(
        {"tussenvoegsel": ""}, world.home.school.code, {"last_name": "Berg",
                                                          "_tussenvoegsel": "van den"}))
    assert profile(session, "900001").last_name == "van den Berg"


def test_a_class_column_fills_the_class(session, world):
    do_import(session, "students", with_columns({"klas": "3B"}, world.home.school.code))
    assert profile(session, "900001").class_name == "3B"


@pytest.mark.parametrize(("column", "value", "message"), [
    ("birth_year", "1985", "1985 is not between 1990 and"),
    ("birth_year", str(local_today().year), "is not between 1990 and"),
    ("birth_year", "twee", "'twee' is not a whole number"),
    ("year", "7", "7 is not between 1 and 6"),
    ("year", "0", "0 is not between 1 and 6"),
    ("travel_km", "501", "501 is not between 0 and 500"),
    ("travel_km", "-1", "-1 is not between 0 and 500"),
    ("postcode", "1000", "Postcode 1000 does not exist"),
    ("postcode", "abc", "'abc' is not a postcode"),
    ("level", "KB", "'KB' alone is not clear"),
    ("gender", "q", "is not a gender we know"),
    ("first_name", "x" * 81, "This text has 81 characters; at most 80 fit"),
    ("student_number", "9" * 33, "at most 32 fit"),
    ("first_name", "", "This cell is empty. Fill in voornaam (first_name)."),
    ("school_code", "", "This cell is empty. Fill in schoolcode (school_code)."),
])
def test_each_bad_value_is_a_problem_on_its_line_and_column(
        session, world, column, value, message):
    field = {"student_number": "number"}.get(column, column)
    report = do_import(session, "students", students_file(
        world.home.school.code, {"number": "1"}, {"number": "2", field: value}))
    assert [(p.line, p.column) for p in report.problems] == [(3, column)]
    assert message in report.problems[0].message


def test_primary_school_pupils_may_be_in_group_8(session, world):
    report = do_import(session, "students", students_file(
        world.home.school.code, {"level": "basisschool", "year": 8, "birth_year": 2014}))
    assert report.ok, messages(report)


def test_every_problem_of_every_row_is_reported_at_once(session, world):
    report = do_import(session, "students", students_file(
        world.home.school.code,
        {"number": "1", "birth_year": "1800", "postcode": "1000"},
        {"number": "2"},
        {"number": "3", "level": "x", "themes": "zwemmen"}))
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "birth_year"), (2, "postcode"), (4, "level"), (4, "themes")]


def test_one_bad_row_writes_nothing_at_all(session, world):
    before = table_counts(session)
    report = do_import(session, "students", students_file(
        world.home.school.code, *({"number": str(n)} for n in range(20)),
        {"number": "x", "postcode": "1000"}))
    assert not report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert table_counts(session) == before


def test_unknown_school_says_which_code_to_use(session, world):
    report = do_import(session, "students", students_file("XX99"))
    assert [(p.line, p.column) for p in report.problems] == [(2, "school_code")]
    assert "Unknown school code 'XX99'" in report.problems[0].message


def test_a_school_code_is_found_whatever_its_case(session, world):
    report = do_import(session, "students", students_file(world.home.school.code.lower()))
    assert report.ok, messages(report)


def test_the_same_student_twice_is_a_problem_on_the_second_line_naming_the_first(
        session, world):
    report = do_import(session, "students", students_file(
        world.home.school.code, {"number": "1"}, {"number": "2"}, {"number": "1"}))
    assert [(p.line, p.column) for p in report.problems] == [(4, "student_number")]
    assert "already on line 2" in report.problems[0].message
    assert count(session, StudentProfile) == 6


def test_the_same_number_at_two_schools_is_two_students(session, world):
    data = csv_bytes([STUDENT_HEADER, student_row(world.home.school.code, "1"),
                      student_row(world.home.other_school.code, "1")])
    assert do_import(session, "students", data).created == 2


def test_importing_the_same_file_again_changes_nothing(session, world):
    data = students_file(world.home.school.code, {"number": "1"}, {"number": "2"})
    do_import(session, "students", data)
    before = table_counts(session)
    report = do_import(session, "students", data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert table_counts(session) == before


def test_a_changed_file_updates_the_students_and_replaces_their_themes(session, world):
    code = world.home.school.code
    do_import(session, "students", students_file(code, {"number": "1"}, {"number": "2"}))
    report = do_import(session, "students", students_file(
        code, {"number": "1", "postcode": "6902", "level": "vmbo-tl", "themes": "lassen"},
        {"number": "2"}))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    student = profile(session, "1")
    assert (student.postcode, student.level) == ("6902", Level.vmbo_tl)
    assert theme_slugs(session, student) == {"lassen"}
    assert count(session, StudentProfile) == 8
    (change,) = report.changes
    assert (change.line, change.action, change.key) == (2, "update", f"{code} 1")
    assert set(change.columns) == {"level", "postcode", "themes"}


def test_an_existing_student_from_the_fixture_is_updated_not_doubled(session, world):
    existing = world.home.student
    report = do_import(session, "students", students_file(
        world.home.school.code, {"number": existing.student_number, "first_name": "Sanne"}))
    assert report.updated == 1 and report.created == 0
    session.refresh(existing)
    assert existing.last_name == "Jansen"


def test_an_empty_gender_or_interests_cell_keeps_what_the_student_gave(session, world):
    student = world.home.student  # a girl with interests "robots bouwen en solderen"
    do_import(session, "students", students_file(
        world.home.school.code, {"number": student.student_number, "first_name": "Sanne",
                                 "last_name": "de Vries", "gender": "", "interests": ""}))
    session.refresh(student)
    assert gender_of(session, student) is Gender.girl
    assert student.interests_text == "robots bouwen en solderen"


def test_a_written_gender_replaces_the_old_one(session, world):
    student = world.home.student
    do_import(session, "students", students_file(
        world.home.school.code, {"number": student.student_number, "gender": "onbekend"}))
    assert gender_of(session, student) is Gender.not_given


def test_a_dry_run_reports_the_counts_and_writes_nothing(session, world):
    code = world.home.school.code
    do_import(session, "students", students_file(code, {"number": "1"}))
    before = table_counts(session)
    report = do_import(session, "students", students_file(
        code, {"number": "1", "postcode": "6902"}, {"number": "2"}, {"number": "3"}),
        dry_run=True)
    assert report.ok and report.dry_run
    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    assert [(c.line, c.action) for c in report.changes] == [
        (2, "update"), (3, "create"), (4, "create")]
    assert table_counts(session) == before
    assert profile(session, "1").postcode == "6901"


def test_an_email_column_creates_a_student_account_without_a_usable_password(
        session, world):
    school = world.home.school
    do_import(session, "students", with_columns(
        {"e-mail": ""}, school.code, {"_e-mail": "Noor.Jansen@Leerling.Example"}))
    student = profile(session, "900001")
    user = session.get(User, student.user_id)
    assert user.email == "noor.jansen@leerling.example"
    assert (user.role, user.school_id, user.region_id) == (Role.student, school.id,
                                                          school.region_id)
    assert user.display_name == "Noor Jansen"
    assert not has_usable_password(user)
    for guess in ("", "talentmatch-demo", "noor.jansen@leerling.example"):
        assert not check_password_hash(user.password_hash, guess)
        assert authenticate(session=session, email=user.email, password=guess) is None


def test_two_new_accounts_get_different_password_hashes(session, world):
    do_import(session, "students", with_columns(
        {"email": ""}, world.home.school.code, {"number": "1", "_email": "a@x.example"},
        {"number": "2", "_email": "b@x.example"}))
    hashes = session.exec(select(User.password_hash).where(User.email.like("%@x.example"))).all()
    assert len(set(hashes)) == 2


def test_an_existing_student_without_account_gets_one_on_re_import(session, world):
    code = world.home.school.code
    do_import(session, "students", students_file(code))
    report = do_import(session, "students", with_columns({"email": "noor@x.example"}, code))
    assert report.updated == 1
    assert report.changes[0].columns == ("email",)
    assert profile(session, "900001").user_id is not None
    again = do_import(session, "students", with_columns({"email": "noor@x.example"}, code))
    assert again.unchanged == 1


def test_an_email_of_another_account_is_a_problem(session, world):
    report = do_import(session, "students", with_columns(
        {"email": world.home.counsellor.email.upper()}, world.home.school.code))
    assert [(p.line, p.column) for p in report.problems] == [(2, "email")]
    assert "already used by another account" in report.problems[0].message


def test_an_email_of_another_students_profile_is_a_problem(session, world):
    other = session.get(User, world.home.classmate.user_id)
    report = do_import(session, "students", with_columns(
        {"email": other.email}, world.home.school.code))
    assert "already used by another account" in messages(report)


def test_a_student_with_an_account_keeps_its_address(session, world):
    student = world.home.student
    own = world.home.student_user.email
    ok = do_import(session, "students", with_columns(
        {"email": own}, world.home.school.code, {"number": student.student_number}))
    assert ok.ok, messages(ok)
    other = do_import(session, "students", with_columns(
        {"email": "nieuw@x.example"}, world.home.school.code,
        {"number": student.student_number}))
    assert "already has an account with another e-mail address" in messages(other)


def test_the_same_email_twice_in_a_file_is_a_problem(session, world):
    report = do_import(session, "students", with_columns(
        {"email": "zelfde@x.example"}, world.home.school.code, {"number": "1"},
        {"number": "2"}))
    assert [(p.line, p.column) for p in report.problems] == [(3, "email")]
    assert "already on line 2" in report.problems[0].message


def test_a_student_who_asked_for_deletion_is_not_imported_again(session, world):
    student = world.home.student
    student.deletion_requested_at = student.created_at
    session.add(student)
    session.commit()
    report = do_import(session, "students", students_file(
        world.home.school.code, {"number": student.student_number}))
    assert "asked for their data to be deleted" in messages(report)


# --- who may import which students ----------------------------------------------------

def test_a_counsellor_imports_students_of_their_own_school(session, world):
    scope = scope_of(session, world.home.counsellor)
    report = do_import(session, "students", students_file(world.home.school.code), scope)
    assert report.ok, messages(report)


def test_a_counsellor_cannot_import_students_of_another_school(session, world):
    before = table_counts(session)
    scope = scope_of(session, world.home.counsellor)
    data = csv_bytes([STUDENT_HEADER, student_row(world.home.school.code, "1"),
                      student_row(world.home.other_school.code, "2"),
                      student_row(world.away.school.code, "3")])
    report = do_import(session, "students", data, scope)
    assert [(p.line, p.column) for p in report.problems] == [(3, "school_code"),
                                                            (4, "school_code")]
    assert report.problems[0].message == (
        f"You can only import students of your own school ({world.home.school.code}), "
        f"not of school {world.home.other_school.code}.")
    assert table_counts(session) == before


def test_a_counsellor_is_told_their_own_code_for_an_unknown_school(session, world):
    scope = scope_of(session, world.home.counsellor)
    report = do_import(session, "students", students_file("XX99"), scope)
    assert report.problems[0].message == (
        f"Unknown school code 'XX99'. Use the code of your school, {world.home.school.code}.")


@pytest.mark.parametrize("who", ["coordinator", "company_user", "student_user"])
def test_others_may_not_import_students(session, world, who):
    scope = scope_of(session, getattr(world.home, who))
    report = do_import(session, "students", students_file(world.home.school.code), scope)
    assert [(p.line, p.message) for p in report.problems] == [
        (0, "Your account may not import this kind of file.")]


def test_problems_found_in_the_database_come_with_the_value_problems_at_once(session, world):
    report = do_import(session, "students", with_columns(
        {"email": ""}, world.home.school.code, {"number": "1", "postcode": "1000"},
        {"number": "2", "_email": world.home.counsellor.email}))
    assert [(p.line, p.column) for p in report.problems] == [(2, "postcode"), (3, "email")]


def test_a_real_address_replaces_the_login_name_of_a_printed_code_sheet(session, world):
    student = world.home.student
    account = session.get(User, student.user_id)
    account.email = f"{world.home.school.code.lower()}-s1@login.talentmatch.invalid"
    session.add(account)
    session.commit()
    report = do_import(session, "students", with_columns(
        {"email": "Sanne.Echt@x.example"}, world.home.school.code,
        {"number": student.student_number}))
    assert report.ok, messages(report)
    session.expire_all()
    assert session.get(User, student.user_id).email == "sanne.echt@x.example"
