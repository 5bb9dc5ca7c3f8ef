"""Importing regions and schools: a new region starts from an empty database with files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app import migrate
from app.db import make_engine
from app.models import Region, Role, School, SchoolKind, StudentProfile, Theme
from app.services import reference
from matching.taxonomy import load_themes
from tests import factories

from .imports.test_support import count, csv_bytes, do_import, messages, scope_of

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
REGIONS = ["name", "slug", "answer_days"]
SCHOOLS = ["brin", "name", "kind", "levels", "postcode", "place", "region"]


def example(kind: str) -> bytes:
    return (EXAMPLES / f"{kind}.csv").read_bytes()


def rows_file(header: list[str], *rows: dict, delimiter: str = ",") -> bytes:
    return csv_bytes([header, *([row.get(name, "") for name in header] for row in rows)],
                     delimiter)


def school(session, code: str) -> School:
    return session.exec(select(School).where(School.code == code)).one()


@pytest.fixture
def migrated(empty_database_url):
    """A database made by `talentmatch init-db` and nothing else: no seed, no fixtures."""
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def test_a_fresh_database_takes_the_example_regions_schools_and_students(migrated):
    session = migrated
    assert count(session, Region) == count(session, School) == 0
    assert count(session, Theme) == len(load_themes())  # from the migrations
    for kind, created in (("regions", 4), ("schools", 4), ("students", 4)):
        report = do_import(session, kind, example(kind))
        assert report.problems == (), (kind, messages(report))
        assert (report.created, report.updated) == (created, 0), kind
    for kind in ("regions", "schools", "students"):
        report = do_import(session, kind, example(kind))
        assert report.ok and report.created == report.updated == 0, kind
    assert {r.slug: r.answer_days for r in session.exec(select(Region)).all()} == {
        "liemers": 10, "achterhoek": 10, "noord-holland-noord": 10, "zaanstreek-waterland": 10}
    kreekland, lyceum, college, primary = (school(session, code) for code in (
        "85NR", "30XK00", "25PT00", "04ZB00"))
    assert (kreekland.name, kreekland.kind, kreekland.place, kreekland.levels) == (
        "Het Kreekland College", SchoolKind.vmbo, "Zevenaar",
        ["vmbo_bb", "vmbo_kb", "vmbo_gl", "vmbo_tl"])
    assert (lyceum.kind, lyceum.levels) == (SchoolKind.havo_vwo, ["vmbo_tl", "havo", "vwo"])
    assert (college.levels, college.place) == (["mbo_2", "mbo_3", "mbo_4"], "Doetinchem")
    assert (primary.kind, primary.levels, primary.place) == (
        SchoolKind.primary, ["basisonderwijs"], "Alkmaar")
    students = session.exec(select(StudentProfile)).all()
    assert {s.school_id for s in students} == {kreekland.id}


def test_bad_rows_name_their_line_and_column_and_nothing_is_written(session):
    regions = rows_file(REGIONS, {"name": "Liemers", "slug": "de liemers"},
                        {"name": "", "answer_days": "12"},
                        {"name": "Achterhoek", "answer_days": "45"},
                        {"name": "Twente"})
    report = do_import(session, "regions", regions)
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "slug"), (3, "name"), (4, "answer_days")]
    assert "is not a slug" in report.problems[0].message
    assert "Fill in naam (name)" in report.problems[1].message
    assert "between 1 and 30" in report.problems[2].message
    assert count(session, Region) == 0

    reference.create_region(session=session, name="Liemers")
    schools = rows_file(
        SCHOOLS,
        {"brin": "85N", "name": "Kreekland", "kind": "vmbo", "postcode": "6903",
         "region": "liemers"},
        {"brin": "85NR", "name": "Kreekland", "kind": "universiteit", "postcode": "1000",
         "region": "twente"},
        {"brin": "86NR", "name": "ROC", "kind": "mbo", "levels": "havo", "postcode": "6901",
         "region": "liemers"},
        {"brin": "87NR", "name": "Goed", "kind": "vmbo", "postcode": "6901", "region": "liemers"},
        {"brin": "87nr", "name": "Dubbel", "kind": "vmbo", "postcode": "6901",
         "region": "liemers"})
    report = do_import(session, "schools", schools)
    assert [(p.line, p.column) for p in report.problems] == [
        (2, "brin"), (3, "kind"), (3, "postcode"), (3, "region"), (4, "levels"), (6, "brin")]
    text = messages(report)
    assert "'85N' is not a BRIN code" in text
    assert "'universiteit' is not a kind of school" in text
    assert "Postcode 1000 does not exist" in text
    assert "Unknown region 'twente'. Write one of: liemers" in text
    assert "A school of kind mbo does not teach havo" in text
    assert "87NR is already on line 5" in text
    assert count(session, School) == 0


def test_a_region_is_updated_by_its_slug_or_its_name_and_its_slug_stays(session):
    assert do_import(session, "regions", rows_file(
        REGIONS, {"name": "Noord-Holland Noord"}, {"name": "Liemers", "slug": "lmr"})).ok
    report = do_import(session, "regions", rows_file(
        REGIONS, {"name": "noord-holland noord", "answer_days": "14"},
        {"name": "De Liemers", "slug": "lmr"}, {"name": "Achterhoek", "answer_days": "5"}),
        dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (1, 2, 0)
    assert [(c.line, c.action, c.columns) for c in report.changes] == [
        (2, "update", ("name", "answer_days")), (3, "update", ("name",)), (4, "create", ())]
    assert count(session, Region) == 2  # a dry run
    assert do_import(session, "regions", rows_file(
        REGIONS, {"name": "noord-holland noord", "answer_days": "14"},
        {"name": "De Liemers", "slug": "lmr"})).ok
    regions = {r.slug: (r.name, r.answer_days) for r in session.exec(select(Region)).all()}
    assert regions == {"noord-holland-noord": ("noord-holland noord", 14),
                       "lmr": ("De Liemers", 10)}


def test_names_and_slugs_of_other_regions_are_problems_not_changes(session):
    reference.create_region(session=session, name="Liemers")
    reference.create_region(session=session, name="Achterhoek", slug="liemers-oost")
    report = do_import(session, "regions", rows_file(
        REGIONS, {"name": "Liemers", "slug": "liemers-oost"},
        {"name": "Liemers Oost"}, {"name": "Twente"}, {"name": "twente"}))
    text = messages(report)
    assert "2|name|There is already a region named Liemers, with the slug liemers" in text
    assert "3|slug|The slug made from this name, liemers-oost, is taken by the region " \
           "Achterhoek" in text
    assert "5|slug|The region twente is already on line 4" in text
    assert count(session, Region) == 2


def test_a_school_is_updated_by_its_brin_code_keeping_what_the_file_leaves_empty(session):
    reference.create_region(session=session, name="Liemers")
    first = {"brin": "85NR", "name": "Kreekland", "kind": "vmbo", "levels": "vmbo-gl|vmbo-tl",
             "postcode": "6903", "place": "Zevenaar-Zuid", "region": "liemers"}
    assert do_import(session, "schools", rows_file(SCHOOLS, first)).created == 1
    again = {**first, "levels": "", "place": "", "name": "Het Kreekland College"}
    report = do_import(session, "schools", rows_file(SCHOOLS, again))
    assert [(c.action, c.columns) for c in report.changes] == [("update", ("name",))]
    kreekland = school(session, "85NR")
    assert (kreekland.levels, kreekland.place) == (["vmbo_gl", "vmbo_tl"], "Zevenaar-Zuid")
    moved = {**again, "kind": "havo", "postcode": "7001"}
    report = do_import(session, "schools", rows_file(SCHOOLS, moved))
    assert report.changes[0].columns == ("kind", "levels", "postcode", "place")
    session.refresh(kreekland)
    assert (kreekland.kind, kreekland.levels, kreekland.place) == (
        SchoolKind.havo_vwo, ["havo"], "Doetinchem")


def test_the_operator_names_the_region_and_an_import_does_not_move_a_school(session):
    reference.create_region(session=session, name="Liemers")
    reference.create_region(session=session, name="Achterhoek")
    row = {"brin": "85NR", "name": "Kreekland", "kind": "vmbo", "postcode": "6903"}
    report = do_import(session, "schools", rows_file(SCHOOLS[:-1], row))
    assert [(p.line, p.column) for p in report.problems] == [(1, None)]
    assert "Add a column regio (region)" in report.problems[0].message
    assert do_import(session, "schools", rows_file(SCHOOLS, {**row, "region": "Liemers"})).ok
    report = do_import(session, "schools", rows_file(SCHOOLS, {**row, "region": "achterhoek"}))
    assert "Kreekland is in the region Liemers; an import does not move it" in messages(report)


def test_a_coordinator_imports_the_schools_of_their_own_region_only(session, password_hash):
    liemers = reference.create_region(session=session, name="Liemers")
    achterhoek = reference.create_region(session=session, name="Achterhoek")
    reference.create_school(session=session, code="12AB", name="Graafschap", kind="mbo",
                            postcode="7001", region=achterhoek)
    coordinator = factories.make_user(session, Role.coordinator, password_hash=password_hash,
                                      region=liemers)
    session.commit()
    scope = scope_of(session, coordinator)
    assert scope.refusal("schools") is None and scope.refusal("regions") is not None
    own = {"brin": "85NR", "name": "Kreekland", "kind": "vmbo", "postcode": "6903"}
    report = do_import(session, "schools", rows_file(SCHOOLS[:-1], own), scope=scope)
    assert report.ok and report.created == 1
    assert school(session, "85NR").region_id == liemers.id
    report = do_import(session, "schools", rows_file(
        SCHOOLS, {**own, "region": "achterhoek"},
        {"brin": "12AB", "name": "Graafschap", "kind": "mbo", "postcode": "7001",
         "region": "liemers"}), scope=scope)
    text = messages(report)
    assert "2|region|You can only import schools of your own region, Liemers" in text
    assert "3|brin|BRIN code 12AB belongs to a school in another region" in text
    report = do_import(session, "regions", rows_file(REGIONS, {"name": "Twente"}), scope=scope)
    assert "may not import this kind of file" in messages(report)
    assert count(session, Region) == 2


def test_a_counsellor_imports_neither(session, world):
    scope = scope_of(session, world.home.counsellor)
    assert scope.refusal("regions") is not None and scope.refusal("schools") is not None


def test_a_file_of_the_other_kind_is_recognised_but_one_name_column_is_no_sign(session):
    report = do_import(session, "schools", example("regions"))
    assert "It looks like a file of regions" in messages(report)
    # A regions file needs only a name: a schools file chosen as regions must not make
    # a region of every school.
    report = do_import(session, "regions", example("schools"))
    assert [(p.line, p.column) for p in report.problems] == [(1, None)]
    assert "It looks like a file of schools: choose that kind" in messages(report)
    assert count(session, Region) == 0
    report = do_import(session, "companies", csv_bytes([["kvk", "naam"], ["70000001", "X"]]))
    assert "looks like a file of" not in messages(report)


@pytest.mark.parametrize(("role", "kinds"), [
    ("admin", ["regions", "schools"]), ("coordinator", ["schools"]), ("counsellor", [])])
def test_the_import_page_offers_the_new_kinds_to_whom_may_import_them(
        world, login, role, kinds):
    user = {"admin": world.admin, "coordinator": world.home.coordinator,
            "counsellor": world.home.counsellor}[role]
    client = login(user)
    page = client.get("/imports/").get_data(as_text=True)
    help_page = client.get("/imports/help").get_data(as_text=True)
    for kind in ("regions", "schools"):
        assert (f'value="{kind}"' in page) is (kind in kinds), kind
        assert (f'id="{kind}"' in help_page) is (kind in kinds), kind
        example_file = client.get(f"/imports/examples/{kind}.csv")
        assert example_file.status_code == (200 if kind in kinds else 404)


def test_a_coordinator_uploads_a_schools_file_on_the_page(world, login, session):
    client = login(world.home.coordinator)
    data = rows_file(SCHOOLS[:-1], {"brin": "85NR", "name": "Kreekland", "kind": "vmbo",
                                    "postcode": "6903"}, delimiter=";")
    response = client.post("/imports/", data={"kind": "schools",
                                              "file": (io.BytesIO(data), "scholen.csv")})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert school(session, "85NR").region_id == world.home.region.id
