"""A file of 10,000 rows imports in one go, and again without doubles."""

from __future__ import annotations

import pytest

from app.models import Participation, StudentGender, StudentProfile, StudentTheme, User

from .test_support import (
    STUDENT_HEADER,
    count,
    csv_bytes,
    do_import,
    messages,
    student_row,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")
ROWS = 10_000
THEMES = ["robotica|lassen", "ict; elektrotechniek", "bouw", "3d-printen|media en vormgeving"]
LEVELS = ["vmbo-kb", "vmbo tl", "havo", "mbo 3 bbl"]


def big_students_file(school_code: str, *, change_every: int = 0) -> bytes:
    rows = [[*STUDENT_HEADER, "email"]]
    for n in range(ROWS):
        postcode = "6902" if change_every and n % change_every == 0 else "6901"
        rows.append([*student_row(school_code, f"L{n:06d}", first_name=f"Leerling{n}",
                                  level=LEVELS[n % 4], themes=THEMES[n % 4],
                                  gender=["meisje", "jongen", "", "x"][n % 4],
                                  postcode=postcode),
                     f"leerling{n}@school.example"])
    return csv_bytes(rows, ";")


def totals(session) -> tuple[int, ...]:
    return tuple(count(session, model)
                 for model in (StudentProfile, StudentGender, StudentTheme, User))


def test_ten_thousand_students_import_and_re_import_without_doubles(session, world):
    data = big_students_file(world.home.school.code)
    before = totals(session)
    first = do_import(session, "students", data)
    assert first.ok, messages(first)[:2000]
    assert (first.created, first.updated, first.unchanged, first.rows) == (ROWS, 0, 0, ROWS)
    after = totals(session)
    assert after[0] - before[0] == ROWS
    assert after[1] - before[1] == ROWS
    assert after[3] - before[3] == ROWS

    again = do_import(session, "students", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, ROWS)
    assert totals(session) == after

    changed = do_import(session, "students",
                        big_students_file(world.home.school.code, change_every=100))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 100, ROWS - 100)
    assert totals(session) == after


def test_ten_thousand_rows_with_one_mistake_write_nothing(session, world):
    data = big_students_file(world.home.school.code).replace(
        b"\r\nL009999;", b"\r\nL000001;")  # the last line repeats the number of line 3
    before = totals(session)
    report = do_import(session, "students", data)
    assert [(p.line, p.column) for p in report.problems] == [(ROWS + 1, "student_number")]
    assert "already on line 3" in report.problems[0].message
    assert totals(session) == before


def test_ten_thousand_participations_import_in_one_go(session, world):
    do_import(session, "students", big_students_file(world.home.school.code))
    activity = world.home.activity  # no capacity
    data = csv_bytes([["activity_code", "student_number"],
                      *([activity.code, f"L{n:06d}"] for n in range(ROWS))])
    before = count(session, Participation)
    report = do_import(session, "participations", data)
    assert report.created == ROWS, messages(report)[:2000]
    assert count(session, Participation) == before + ROWS
    assert do_import(session, "participations", data).unchanged == ROWS
