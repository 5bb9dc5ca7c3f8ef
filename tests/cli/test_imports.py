"""`talentmatch import KIND FILE [--dry-run] [--lang nl|en]`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlmodel import select

from app.cli import main
from app.models import Activity, StudentProfile
from tests.services.imports.test_support import (
    ACTIVITY_HEADER,
    STUDENT_HEADER,
    count,
    csv_bytes,
    student_row,
    students_file,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")


@pytest.fixture
def run(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", database_url)

    def invoke(kind: str, data: bytes, *options: str):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(data)
        return CliRunner().invoke(main, ["import", kind, str(path), *options],
                                  catch_exceptions=False)

    return invoke


def test_a_correct_file_is_imported_and_summarised(run, session, world):
    result = run("students", students_file(world.home.school.code, {"number": "1"},
                                           {"number": "2"}), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Students: 2 added, 0 updated, 0 unchanged." in result.output
    assert session.exec(select(StudentProfile).where(
        StudentProfile.student_number == "2")).one().school_id == world.home.school.id


def test_importing_the_same_file_again_reports_it_unchanged(run, session, world):
    data = students_file(world.home.school.code)
    run("students", data)
    result = run("students", data, "--lang", "en")
    assert "0 added, 0 updated, 1 unchanged" in result.output
    assert count(session, StudentProfile) == 7


def test_problems_are_printed_per_line_and_column_nothing_is_written_and_exit_is_1(
        run, session, world):
    before = count(session, StudentProfile)
    data = csv_bytes([STUDENT_HEADER, student_row(world.home.school.code, "1"),
                      student_row("XX99", "2"),
                      student_row(world.home.school.code, "3", birth_year="1800")])
    result = run("students", data, "--lang", "en")
    assert result.exit_code == 1
    assert "line 3, column school_code: Unknown school code 'XX99'" in result.output
    assert "line 4, column birth_year: 1800 is not between 1990 and" in result.output
    assert "Nothing was imported: 2 problems to fix." in result.output
    assert count(session, StudentProfile) == before


def test_a_problem_with_the_whole_file_is_printed_as_such(run, world):
    result = run("students", b"\x00\x01\x02junk", "--lang", "en")
    assert result.exit_code == 1
    assert "file: This is not a CSV file" in result.output


def test_a_dry_run_lists_what_would_change_and_writes_nothing(run, session, world):
    before = count(session, StudentProfile)
    student = world.home.student
    result = run("students", students_file(
        world.home.school.code, {"number": student.student_number, "first_name": "Sanne",
                                 "last_name": "de Vries", "postcode": "6902"},
        {"number": "2"}), "--dry-run", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing was written." in result.output
    assert "1 would be added, 1 updated, 0 unchanged" in result.output
    code = world.home.school.code
    assert f"line 2: update {code} {student.student_number} (" in result.output
    assert f"line 3: new {code} 2" in result.output
    assert count(session, StudentProfile) == before


def test_the_command_line_imports_activities_into_the_region_the_file_names(
        run, session, world):
    data = csv_bytes([[*ACTIVITY_HEADER, "regio"],
                      ["TM-1", "gastles", "leren", "14-10-2026", "Gastles lassen", "6903",
                       world.away.company.kvk, "lassen", "30", "Achterhoek"]])
    result = run("activities", data)
    assert result.exit_code == 0, result.output
    activity = session.exec(select(Activity).where(Activity.code == "TM-1")).one()
    assert activity.region_id == world.away.region.id
    assert activity.created_by_id is None


def test_an_unknown_kind_is_refused_by_the_command(run, world):
    result = CliRunner().invoke(main, ["import", "invoices", "x.csv"])
    assert result.exit_code == 2
    assert "'invoices' is not one of" in result.output


def test_the_help_names_the_kinds_and_options():
    result = CliRunner().invoke(main, ["import", "--help"])
    assert result.exit_code == 0
    for text in ("students", "observations", "companies", "placements", "--dry-run", "--lang"):
        assert text in result.output


def test_a_file_above_the_websites_upload_limit_is_refused_before_it_is_read(
        run, session, world, tmp_path):
    before = count(session, StudentProfile)
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.write(csv_bytes([STUDENT_HEADER, student_row(world.home.school.code, "1")]))
        handle.truncate(21 * 1024 * 1024)  # sparse: 21 MB on paper, nothing on disk
    result = CliRunner().invoke(main, ["import", "students", str(big), "--lang", "en"])
    assert result.exit_code == 1
    assert (f"{big} is 21.0 MB, more than the import limit of 20 MB. Split the file, or raise "
            "the limit with --max-size MB (for example --max-size 21).") in result.output
    assert count(session, StudentProfile) == before


def test_max_size_sets_the_limit_in_megabytes(run, session, world):
    before = count(session, StudentProfile)
    data = students_file(world.home.school.code, {"number": "1"}, {"number": "2"})
    refused = run("students", data, "--max-size", str(100 / 1024 / 1024))
    assert refused.exit_code == 1
    assert "meer dan de importlimiet" in refused.output and "--max-size" in refused.output
    assert count(session, StudentProfile) == before
    accepted = run("students", data, "--max-size", "1", "--lang", "en")
    assert accepted.exit_code == 0, accepted.output
    assert "Students: 2 added" in accepted.output


def test_max_size_must_be_a_positive_number_of_megabytes(run, world):
    result = run("students", students_file(world.home.school.code), "--max-size", "0")
    assert result.exit_code == 2 and "--max-size" in result.output
