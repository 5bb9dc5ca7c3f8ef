"""The fairness cohort benchmark's generator and import, on a handful of twin pairs."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from sqlmodel import func, select

from app.models import (
    ActivityObserver,
    Participation,
    StudentGender,
    StudentProfile,
    StudentTheme,
    TalentObservation,
)
from benchmarks.cohort_data import KINDS, build_cohort
from benchmarks.fairness_cohort import add_reference, import_cohort


def rows(data: bytes) -> list[dict]:
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture(scope="module")
def cohort():
    return build_cohort(pairs=6, seed=18)  # undecided, creative and scouted pairs


def test_twins_share_school_level_home_and_activities_but_not_gender(cohort):
    students = {(r["schoolcode"], r["leerlingnummer"]): r for r in rows(cohort.files["students"])}
    joined = defaultdict(set)
    for r in rows(cohort.files["participations"]):
        joined[(r["schoolcode"], r["leerlingnummer"])].add(r["activiteitcode"])
    assert len(cohort.pairs) == 6 and len(students) == 12
    for pair in cohort.pairs:
        girl, boy = students[(pair.school, pair.girl)], students[(pair.school, pair.boy)]
        assert (girl["geslacht"], boy["geslacht"]) == ("meisje", "jongen")
        shared = ("niveau", "leerweg", "leerjaar", "klas", "postcode", "reisafstand",
                  "achternaam")
        assert [girl[k] for k in shared] == [boy[k] for k in shared]
        assert joined[(pair.school, pair.girl)] == joined[(pair.school, pair.boy)]
        if pair.stance == "equal":
            assert girl["thema's"] == boy["thema's"]


def test_twins_have_the_same_observations_apart_from_the_pronoun(cohort):
    seen = defaultdict(list)
    for r in rows(cohort.files["observations"]):
        seen[(r["school_code"], r["student_number"])].append(
            (r["activity_code"], r["themes"], r["strength"], r["skills"], r["observer_email"],
             r["note"].replace("Ze ", "X ").replace("Hij ", "X ")))
    for pair in cohort.pairs:
        girl, boy = seen[(pair.school, pair.girl)], seen[(pair.school, pair.boy)]
        assert girl == boy
        assert pair.strength == max((int(o[2]) for o in girl), default=0)


def test_the_same_seed_gives_the_same_files_and_another_seed_others(cohort):
    assert build_cohort(pairs=6, seed=18).files == cohort.files
    assert build_cohort(pairs=6, seed=19).files["students"] != cohort.files["students"]


def test_the_flipped_cohort_differs_in_gender_and_the_students_own_words_only(cohort):
    flipped = cohort.flipped()
    assert {k: v for k, v in flipped.files.items() if k != "students"} == {
        k: v for k, v in cohort.files.items() if k != "students"}
    for before, after in zip(rows(cohort.files["students"]), rows(flipped.files["students"]),
                             strict=True):
        assert {before["geslacht"], after["geslacht"]} == {"meisje", "jongen"}
        if "mijn broer" in before["interesses"]:  # a girl about her twin
            assert "mijn zus" in after["interesses"] and "mijn broer" not in after["interesses"]
        same = {k for k in before if k not in ("geslacht", "interesses", "droombaan")}
        assert {k: before[k] for k in same} == {k: after[k] for k in same}
    assert set(flipped.genders.values()) == {"girl", "boy"}
    assert all(flipped.genders[k] != g for k, g in cohort.genders.items())


def test_the_cohort_imports_through_the_documented_formats(session, cohort):
    add_reference(session, cohort)
    reports = import_cohort(session, cohort)
    assert list(reports) == list(KINDS)
    assert all(report.ok and report.created for report in reports.values())

    def count(model) -> int:
        return session.exec(select(func.count()).select_from(model)).one()

    assert count(StudentProfile) == count(StudentGender) == 12
    assert count(Participation) == len(rows(cohort.files["participations"]))
    assert count(TalentObservation) == len(rows(cohort.files["observations"]))
    # Scouts named in the observations file were assigned by the import.
    scouted = {r["observer_email"] for r in rows(cohort.files["observations"])
               if "scouting" in r["observer_email"]}
    assert scouted and count(ActivityObserver) > 0
    undecided = {p.girl for p in cohort.pairs if p.stance in ("undecided", "creative")}
    themed = set(session.exec(select(StudentProfile.student_number).join(
        StudentTheme, StudentTheme.student_id == StudentProfile.id)).all())
    assert undecided and not undecided & themed  # no theme is an answer, not a problem
    again = import_cohort(session, cohort)
    assert all(r.created == r.updated == 0 for r in again.values())
