"""`talentmatch export recommendations FILE [--top N]`: each student's short list as a table."""

from __future__ import annotations

import csv
from collections import Counter

from click.testing import CliRunner
from openpyxl import load_workbook
from sqlmodel import select

from app.cli import main
from app.models import MatchPin, MatchProposal, PinKind, Placement, StudentProfile
from matching.scoring import COMPONENTS


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_recommendations_list_each_students_best_placements_with_parts_and_reason(
        world, cli, session, tmp_path):
    result = cli("export", "recommendations", str(tmp_path / "r.csv"), "--top", "3")
    assert result.exit_code == 0, result.output
    rows = read(tmp_path / "r.csv")
    assert rows and "recommendation(s) for" in result.output
    assert set(COMPONENTS) <= set(rows[0]) and {"technical", "talent_led", "reason"} <= set(rows[0])
    per_student = Counter((row["school_code"], row["student_number"]) for row in rows)
    assert max(per_student.values()) <= 3
    for key in per_student:
        own = [r for r in rows if (r["school_code"], r["student_number"]) == key]
        assert [int(r["rank"]) for r in own] == list(range(1, len(own) + 1))
        # Best first; a placement kept for talent may stand above better-scored ones.
        plain = [float(r["score"]) for r in own if r["talent_led"] == "no"]
        assert plain == sorted(plain, reverse=True)
    assert all(row["reason"].endswith((".", "?")) for row in rows)
    numbers = {s.student_number for s in session.exec(select(StudentProfile)).all()}
    assert {row["student_number"] for row in rows} <= numbers


def test_a_pair_that_was_excluded_is_not_recommended(world, cli, session, tmp_path):
    cli("export", "recommendations", str(tmp_path / "before.csv"))
    first = read(tmp_path / "before.csv")[0]
    student = session.exec(select(StudentProfile).where(
        StudentProfile.student_number == first["student_number"])).first()
    placement = session.exec(select(Placement).where(
        Placement.code == first["placement_code"])).first()
    session.add(MatchPin(student_id=student.id, placement_id=placement.id,
                         kind=PinKind.exclude))
    session.commit()
    cli("export", "recommendations", str(tmp_path / "after.csv"))
    after = read(tmp_path / "after.csv")
    assert not any(r["student_number"] == first["student_number"]
                   and r["placement_code"] == first["placement_code"] for r in after)


def test_recommendations_for_one_school_as_xlsx_and_in_english(world, cli, tmp_path):
    code = world.home.school.code
    result = cli("export", "recommendations", str(tmp_path / "r.xlsx"), "--school", code,
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    values = list(load_workbook(tmp_path / "r.xlsx").active.values)
    header = list(values[0])
    assert len(values) > 1
    assert {row[header.index("school_code")] for row in values[1:]} == {code}
    assert not any(" je " in str(row[header.index("reason")]) for row in values[1:])


def test_recommendations_refuse_a_bad_file_name_or_scope(world, cli, session):
    bad = CliRunner().invoke(main, ["export", "recommendations", "out.pdf"])
    assert bad.exit_code == 2 and ".csv or .xlsx" in bad.output
    unknown = CliRunner().invoke(main, ["export", "recommendations", "out.csv",
                                        "--region", "Narnia"])
    assert unknown.exit_code == 2 and "no region is called" in unknown.output
    assert session.exec(select(MatchProposal)).first() is None


def test_every_column_of_the_recommendations_has_its_own_name(world, cli, tmp_path):
    cli("export", "recommendations", str(tmp_path / "r.csv"))
    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle, delimiter=";"))
    assert len(header) == len(set(header))
    assert {"interest_stance", "talent_level"} <= set(header)


def test_students_read_in_several_chunks_get_the_same_recommendations(
        world, cli, session, tmp_path, monkeypatch):
    from app.services import recommendations

    cli("export", "recommendations", str(tmp_path / "first.csv"))
    first = read(tmp_path / "first.csv")
    # Every student has a pair they turned down, so every chunk maps exclusions to columns.
    for row in (r for r in first if r["rank"] == "1"):
        student = session.exec(select(StudentProfile).where(
            StudentProfile.student_number == row["student_number"])).one()
        placement = session.exec(select(Placement).where(
            Placement.code == row["placement_code"])).one()
        session.add(MatchPin(student_id=student.id, placement_id=placement.id,
                             kind=PinKind.exclude))
    session.commit()
    cli("export", "recommendations", str(tmp_path / "one.csv"))
    # One student per chunk: the loop over chunks runs once per student, as it does past
    # 2,000 students in a real region.
    monkeypatch.setattr(recommendations, "_CHUNK", 1)
    result = cli("export", "recommendations", str(tmp_path / "many.csv"))
    assert result.exit_code == 0, result.output
    one, many = read(tmp_path / "one.csv"), read(tmp_path / "many.csv")
    assert len({row["student_number"] for row in one}) > 1
    assert many == one
