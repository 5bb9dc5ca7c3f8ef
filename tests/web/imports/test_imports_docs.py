"""The import documentation and example files: complete, in step, and importable."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from app.models import (
    ActivityObserver,
    Company,
    CompanyContact,
    Participation,
    Placement,
    PlacementEvent,
    Role,
    School,
    SchoolKind,
    StudentProfile,
    TalentObservation,
    User,
)
from app.services.imports import COLUMNS, KINDS, ImportScope, run_import
from tests import factories
from tests.services.imports.test_support import add_themes, count

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs" / "imports.md"
EXAMPLES = ROOT / "docs" / "examples"
PACKAGED = ROOT / "app" / "templates" / "imports" / "examples"


def test_every_kind_has_one_example_file_in_the_docs_and_in_the_package():
    assert sorted(p.name for p in EXAMPLES.glob("*.csv")) == sorted(f"{k}.csv" for k in KINDS)
    for kind in KINDS:
        assert (EXAMPLES / f"{kind}.csv").read_bytes() == (PACKAGED / f"{kind}.csv").read_bytes(), (
            f"docs/examples/{kind}.csv and app/templates/imports/examples/{kind}.csv differ")


def test_the_examples_show_both_separators_and_both_languages():
    students = (EXAMPLES / "students.csv").read_text(encoding="utf-8")
    activities = (EXAMPLES / "activities.csv").read_text(encoding="utf-8")
    assert students.startswith("leerlingnummer;voornaam;")
    assert activities.startswith("code,kind,pillar,date,")


def test_the_documentation_names_every_column_in_dutch_english_and_its_other_names():
    text = DOCS.read_text(encoding="utf-8")
    for kind, columns in COLUMNS.items():
        assert f"## {kind.capitalize()}" in text
        assert f"examples/{kind}.csv" in text
        for column in columns:
            for name in column.names:
                assert name in text, f"docs/imports.md does not mention {name!r} ({kind})"


@pytest.fixture
def demo_like(session, password_hash):
    """What the example files refer to, as in the demo data."""
    add_themes(session)
    region = factories.make_region(session, "Liemers")
    school = School(code="85NR", name="Het Kreekland College", kind=SchoolKind.vmbo,
                    postcode="6903", place="Zevenaar", region_id=region.id)
    session.add(school)
    session.flush()
    counsellor = User(email="counsellor@talentmatch.example", role=Role.counsellor,
                      display_name="Decaan", password_hash=password_hash, school_id=school.id,
                      region_id=region.id)
    session.add(counsellor)
    # The demo's talent scout, not yet assigned: the observations file assigns them.
    session.add(User(email="scout@talentmatch.example", role=Role.observer,
                     display_name="Scout", password_hash=password_hash, region_id=region.id))
    session.commit()
    return counsellor


@pytest.mark.parametrize("who", ["operator", "counsellor"])
def test_the_example_files_import_in_order_and_again_without_changes(session, demo_like, who):
    scope = (ImportScope.operator() if who == "operator"
             else ImportScope.for_user(session=session, user=demo_like))
    kinds = [kind for kind in KINDS if scope.refusal(kind) is None]
    assert kinds == (list(KINDS) if who == "operator"
                     else ["students", "activities", "participations", "observations"])
    # In the order README's "Setting up a region" gives: hosts before their activities.
    order = ("regions", "schools", "companies", "placements", "students", "activities",
             "participations", "observations")
    kinds = sorted(kinds, key=order.index)
    if who == "counsellor":
        # A counsellor imports no companies: the activities' hosts are there already.
        region_id = session.exec(select(School.region_id)).first()
        for kvk in ("83456789", "81234567"):
            session.add(Company(name=f"Bedrijf {kvk}", kvk=kvk, sector="installatie",
                                postcode="6903", place="Zevenaar", region_id=region_id))
        session.commit()
    for round_ in ("first", "again"):
        for kind in kinds:
            report = run_import(session=session, kind=kind, scope=scope, dry_run=False,
                                data=(EXAMPLES / f"{kind}.csv").read_bytes())
            assert report.ok, (kind, report.problems)
            if round_ == "first":
                assert report.created > 0 and report.updated == 0, kind
            else:
                assert report.created == report.updated == 0, kind
    assert count(session, StudentProfile) == 4
    assert count(session, Participation) == 5
    assert count(session, TalentObservation) == 4
    assert count(session, ActivityObserver) == 1  # the scout, assigned by the import
    lieke = session.exec(select(StudentProfile).where(
        StudentProfile.student_number == "895900")).one()
    assert lieke.last_name == "van der Heijden" and lieke.user_id is not None
    if who == "operator":
        assert count(session, Company) == 3
        assert count(session, CompanyContact) == 1
        assert count(session, Placement) == count(session, PlacementEvent) == 4
