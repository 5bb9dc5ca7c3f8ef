"""Files as spreadsheets save them: separators, encodings, headers, line numbers, junk."""

from __future__ import annotations

import os

import pytest
from sqlmodel import select

from app.models import StudentProfile
from app.services.imports import WHOLE_FILE

from .test_support import (
    STUDENT_HEADER,
    count,
    csv_bytes,
    csv_text,
    do_import,
    messages,
    student_row,
    students_file,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

DUTCH_HEADER = ["leerlingnummer", "voornaam", "achternaam", "geboortejaar", "schoolcode",
                "niveau", "leerjaar", "postcode", "reisafstand", "geslacht", "interesses",
                "thema's"]

pytestmark = pytest.mark.usefixtures("themes")


def names(session):
    return {p.student_number: (p.first_name, p.last_name)
            for p in session.exec(select(StudentProfile)).all()}


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_comma_and_semicolon_files_both_import(session, world, delimiter):
    data = students_file(world.home.school.code, {"number": "1"}, {"number": "2"},
                         delimiter=delimiter)
    report = do_import(session, "students", data)
    assert report.ok, messages(report)
    assert report.created == 2


def test_dutch_headers_in_any_case_with_accents_spaces_and_units_are_recognised(
        session, world):
    header = ["Leerling nummer", "VOORNAAM", "Achter_naam", "Geboortejaar", "BRIN",
              "Niveau", "Leerjaar", "Postcode", "Reisafstand (km)", "Geslacht", "Interesses",
              "Thema’s"]
    report = do_import(session, "students",
                       students_file(world.home.school.code, header=header, delimiter=";"))
    assert report.ok, messages(report)
    assert report.created == 1


def test_dutch_and_english_headers_mean_the_same_columns(session, world):
    code = world.home.school.code
    dutch = do_import(session, "students", students_file(code, header=DUTCH_HEADER),
                      dry_run=True)
    english = do_import(session, "students", students_file(code), dry_run=True)
    assert dutch.ok and english.ok
    assert dutch.created == english.created == 1


def test_utf8_with_byte_order_mark_keeps_accents_and_the_first_header(session, world):
    data = b"\xef\xbb\xbf" + students_file(world.home.school.code, {"first_name": "Zoë"})
    report = do_import(session, "students", data)
    assert report.ok, messages(report)
    assert names(session)["900001"][0] == "Zoë"


def test_windows_1252_file_with_accents_is_read(session, world):
    data = students_file(world.home.school.code, {"first_name": "André", "last_name": "Gülen"},
                         delimiter=";").decode().encode("cp1252")
    report = do_import(session, "students", data)
    assert report.ok, messages(report)
    assert names(session)["900001"] == ("André", "Gülen")


@pytest.mark.parametrize(("separator", "named"), [("\t", "tab"), ("|", "|")])
def test_a_file_with_another_separator_gets_one_problem_that_says_so(
        session, world, separator, named):
    text = csv_text([STUDENT_HEADER, student_row(world.home.school.code)], separator)
    report = do_import(session, "students", text)
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.line == 1
    assert f"seems to use {named} as separator" in problem.message


def test_rows_with_another_separator_than_the_header_are_pointed_out(session, world):
    code = world.home.school.code
    text = csv_text([STUDENT_HEADER, student_row(code, "1")]) + csv_text(
        [student_row(code, "2")], ";")
    report = do_import(session, "students", text)
    assert [p.line for p in report.problems] == [3]
    assert "another separator" in report.problems[0].message
    assert count(session, StudentProfile) == 6


def test_a_row_with_more_values_than_columns_is_a_problem(session, world):
    text = csv_text([STUDENT_HEADER, student_row(world.home.school.code) + ["extra"]])
    report = do_import(session, "students", text)
    assert [(p.line, p.column) for p in report.problems] == [(2, None)]
    assert "13 values but the header has 12 columns" in report.problems[0].message


def test_a_missing_column_is_one_problem_naming_it_and_the_columns_found(
        session, world):
    header = [h for h in DUTCH_HEADER if h != "geboortejaar"]
    rows = [header] + [[c for i, c in enumerate(student_row(world.home.school.code, str(n)))
                        if i != 3] for n in range(5)]
    report = do_import(session, "students", csv_bytes(rows, ";"))
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.line, problem.column) == (1, None)
    assert "The column geboortejaar (birth_year) is missing" in problem.message
    assert "'leerlingnummer', 'voornaam'" in problem.message


def test_several_missing_columns_are_still_one_problem(session, world):
    report = do_import(session, "students", "student_number,first_name\n1,Noor\n")
    assert len(report.problems) == 1
    assert "The columns achternaam (last_name), geboortejaar (birth_year)" in (
        report.problems[0].message)


def test_a_file_of_another_kind_is_recognised(session, world):
    report = do_import(session, "activities", "activity_code,student_number\nA1,S1\n")
    assert len(report.problems) == 1
    assert "It looks like a file of participations" in report.problems[0].message


def test_the_same_column_twice_is_a_problem(session, world):
    header = [*STUDENT_HEADER, "voornaam"]
    text = csv_text([header, [*student_row(world.home.school.code), "Noor"]])
    report = do_import(session, "students", text)
    assert [(p.line, p.column) for p in report.problems] == [(1, "voornaam")]
    assert "'first_name' and 'voornaam' are the same column" in report.problems[0].message


def test_unknown_columns_are_left_alone_and_reported(session, world):
    header = [*STUDENT_HEADER, "Mentor"]
    text = csv_text([header, [*student_row(world.home.school.code), "meneer Bos"]])
    report = do_import(session, "students", text)
    assert report.ok, messages(report)
    assert report.ignored_columns == ("Mentor",)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b" ; ; \n"])
def test_an_empty_file_is_one_problem(session, world, data):
    report = do_import(session, "students", data)
    assert [(p.line, p.column) for p in report.problems] == [(WHOLE_FILE, None)]
    assert "The file is empty" in report.problems[0].message


def test_a_header_without_rows_is_a_problem(session, world):
    report = do_import(session, "students", csv_text([STUDENT_HEADER]))
    assert "no rows below it" in messages(report)


def test_empty_lines_above_the_header_are_a_problem(session, world):
    report = do_import(session, "students", "\n" + csv_text([STUDENT_HEADER]))
    assert [p.line for p in report.problems] == [2]
    assert "must be the first line" in report.problems[0].message


def test_binary_junk_is_refused_with_one_clear_problem(session, world):
    junk = bytes(range(256)) * 4 + os.urandom(2000)
    report = do_import(session, "students", junk)
    assert [(p.line, p.column) for p in report.problems] == [(WHOLE_FILE, None)]
    assert "not a CSV file" in report.problems[0].message


def test_control_characters_without_nul_bytes_are_refused(session, world):
    report = do_import(session, "students", b"student_number\x02\x03,first\x1b\n1,2\n")
    assert "does not look like a CSV file: line 1" in messages(report)


def test_an_excel_workbook_gets_told_how_to_save_as_csv(session, world):
    report = do_import(session, "students", b"PK\x03\x04\x14\x00\x06\x00" + os.urandom(200))
    assert "This is an Excel workbook" in messages(report)


def test_a_utf16_file_gets_told_how_to_save_as_csv(session, world):
    data = csv_text([STUDENT_HEADER]).encode("utf-16")
    assert "UTF-16" in messages(do_import(session, "students", data))


def test_text_that_is_neither_utf8_nor_windows_1252_is_refused(session, world):
    report = do_import(session, "students", b"student_number,first_name\n1,\x81\x8d\x90\n")
    assert "cannot be read" in messages(report)


def test_line_numbers_are_spreadsheet_rows_with_empty_lines_and_multiline_cells(
        session, world):
    code = world.home.school.code
    cell = "regel 1\nregel 2\nregel 3"
    text = (csv_text([STUDENT_HEADER, student_row(code, "1", interests=cell)])
            + "\r\n"  # an empty line: skipped, but the spreadsheet still counts it
            + csv_text([student_row(code, "2", postcode="0000")]))
    report = do_import(session, "students", text)
    assert [(p.line, p.column) for p in report.problems] == [(4, "postcode")]


def test_cells_are_trimmed(session, world):
    row = [f"  {cell}  " for cell in student_row(world.home.school.code)]
    report = do_import(session, "students", csv_text([STUDENT_HEADER, row]))
    assert report.ok, messages(report)
    assert names(session)["900001"] == ("Noor", "Jansen")
