"""`talentmatch region add` and `talentmatch school add`, and importing both from files."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from app.models import Region, School, SchoolKind
from tests.services.imports.test_support import count

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_a_region_is_added_with_its_slug_and_answer_time(cli, session):
    result = cli("region", "add", "Noord-Holland Noord", "--answer-days", "12", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Added the region Noord-Holland Noord (slug noord-holland-noord; companies answer " \
           "within 12 working days)." in result.output
    region = session.exec(select(Region)).one()
    assert (region.slug, region.answer_days) == ("noord-holland-noord", 12)


def test_a_region_that_cannot_be_added_says_why_in_dutch_by_default(cli, session):
    assert cli("region", "add", "Liemers").exit_code == 0
    result = cli("region", "add", "liemers", "--slug", "de-liemers")
    assert result.exit_code == 1
    assert "Er is al een regio met de naam Liemers" in result.output
    result = cli("region", "add", "Twente", "--slug", "Twente Oost", "--lang", "en")
    assert result.exit_code == 1 and "'twente oost' is not a slug" in result.output
    result = cli("region", "add", "Twente", "--answer-days", "0", "--lang", "en")
    assert "from 1 to 30" in result.output
    assert count(session, Region) == 1


def test_a_school_is_added_to_a_region_with_its_levels(cli, session):
    cli("region", "add", "Liemers")
    result = cli("school", "add", "--brin", "30xk00", "--name", "Liemers Lyceum", "--kind",
                 "havo/vwo", "--postcode", "6901 AB", "--region", "Liemers", "--levels",
                 "vmbo-tl|havo|vwo", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Added the school 30XK00 Liemers Lyceum in Zevenaar (region Liemers), for vmbo-tl, " \
           "havo, vwo." in result.output
    school = session.exec(select(School)).one()
    assert (school.kind, school.levels, school.postcode) == (
        SchoolKind.havo_vwo, ["vmbo_tl", "havo", "vwo"], "6901")
    result = cli("school", "add", "--brin", "85NR", "--name", "Het Kreekland College",
                 "--kind", "vmbo", "--postcode", "6903", "--region", "liemers")
    assert result.exit_code == 0, result.output
    assert session.exec(select(School).where(School.code == "85NR")).one().levels == [
        "vmbo_bb", "vmbo_kb", "vmbo_gl", "vmbo_tl"]


def test_a_school_that_cannot_be_added_says_what_to_fix(cli, session):
    cli("region", "add", "Liemers")
    base = ["school", "add", "--name", "School", "--postcode", "6901", "--lang", "en"]
    cases = [
        (["--brin", "85N", "--kind", "vmbo", "--region", "liemers"], "is not a BRIN code"),
        (["--brin", "85NR", "--kind", "universiteit", "--region", "liemers"],
         "'universiteit' is not a kind of school"),
        (["--brin", "85NR", "--kind", "vmbo", "--region", "twente"],
         "Unknown region 'twente'. Write one of: liemers"),
        (["--brin", "85NR", "--kind", "hbo", "--region", "liemers", "--levels", "vmbo-kb"],
         "A school of kind hbo does not teach vmbo-kb"),
        (["--brin", "85NR", "--kind", "vmbo", "--region", "liemers", "--levels", "vmbo-x"],
         "is not a level"),
    ]
    for options, message in cases:
        result = cli(*base, *options)
        assert result.exit_code == 1 and message in result.output, (options, result.output)
    assert count(session, School) == 0


def test_the_example_regions_and_schools_import_from_the_command_line(cli, session):
    result = cli("import", "regions", str(EXAMPLES / "regions.csv"), "--lang", "en")
    assert result.exit_code == 0 and "Regions: 4 added" in result.output, result.output
    result = cli("import", "schools", str(EXAMPLES / "schools.csv"), "--lang", "en")
    assert result.exit_code == 0 and "Schools: 4 added" in result.output, result.output
    result = cli("import", "schools", str(EXAMPLES / "schools.csv"))
    assert "Scholen: 0 toegevoegd, 0 bijgewerkt, 4 ongewijzigd." in result.output
