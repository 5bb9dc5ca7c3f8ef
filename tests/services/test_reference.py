"""Regions and schools by the reference service: the rules every way in shares."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import Level, Region, School, SchoolKind
from app.models.organisations import levels_of_kind
from app.services import reference
from app.services.errors import ServiceError
from tests import factories


def test_a_region_gets_a_slug_from_its_name_and_the_usual_answer_time(session):
    region = reference.create_region(session=session, name="  Noord-Holland   Noord ")
    assert (region.name, region.slug, region.answer_days) == (
        "Noord-Holland Noord", "noord-holland-noord", 10)
    assert reference.slug_for("Rijk van Nijmegen & Land van Maas en Waal") == (
        "rijk-van-nijmegen-land-van-maas-en-waal")
    assert reference.slug_for("Zuidoost-Brabant (Eindhoven)") == "zuidoost-brabant-eindhoven"


def test_a_region_keeps_a_given_slug_and_answer_time(session):
    region = reference.create_region(session=session, name="Liemers", slug="LIEMERS",
                                     answer_days=15)
    assert (region.slug, region.answer_days) == ("liemers", 15)


@pytest.mark.parametrize(("arguments", "field", "message"), [
    ({"name": ""}, "name", "Give the name of the region"),
    ({"name": "x" * 121}, "name", "120 characters"),
    ({"name": "Liemers", "slug": "de liemers"}, "slug", "is not a slug"),
    ({"name": "Liemers", "slug": "liemers-"}, "slug", "is not a slug"),
    ({"name": "Liemers", "answer_days": 0}, "answer_days", "from 1 to 30"),
    ({"name": "Liemers", "answer_days": 31}, "answer_days", "from 1 to 30"),
    ({"name": "???"}, "slug", "No slug can be made"),
])
def test_a_region_that_cannot_be_saved_says_what_to_fix(session, arguments, field, message):
    with pytest.raises(reference.RegionDataError) as error:
        reference.create_region(session=session, **arguments)
    assert error.value.field == field and message in str(error.value)
    assert isinstance(error.value, ServiceError)


def test_region_names_and_slugs_are_unique_whatever_the_case(session):
    reference.create_region(session=session, name="Liemers")
    with pytest.raises(reference.RegionDataError, match="already a region named Liemers"):
        reference.create_region(session=session, name="liemers", slug="de-liemers")
    with pytest.raises(reference.RegionDataError, match="slug liemers is taken"):
        reference.create_region(session=session, name="De Liemers", slug="liemers")


def test_a_region_is_found_by_slug_or_name_and_changed_by_what_is_given(session):
    region = reference.create_region(session=session, name="Zaanstreek-Waterland")
    assert reference.find_region(session, "zaanstreek-waterland") is region
    assert reference.find_region(session, "Zaanstreek Waterland") is region
    assert reference.find_region(session, "Waterland") is None
    reference.update_region(session=session, region=region, answer_days=12)
    assert (region.name, region.slug, region.answer_days) == (
        "Zaanstreek-Waterland", "zaanstreek-waterland", 12)
    other = reference.create_region(session=session, name="Achterhoek")
    with pytest.raises(reference.RegionDataError, match="already a region named"):
        reference.update_region(session=session, region=other, name="zaanstreek waterland")


# --- schools ---------------------------------------------------------------------------------


@pytest.fixture
def liemers(session) -> Region:
    return reference.create_region(session=session, name="Liemers")


def test_a_school_gets_the_levels_of_its_kind_and_the_place_of_its_postcode(session, liemers):
    school = reference.create_school(session=session, code=" 85nr ", name="Het Kreekland College",
                                     kind="VMBO", postcode="6903 AB", region=liemers)
    assert (school.code, school.kind, school.postcode, school.place, school.region_id) == (
        "85NR", SchoolKind.vmbo, "6903", "Zevenaar", liemers.id)
    assert school.levels == ["vmbo_bb", "vmbo_kb", "vmbo_gl", "vmbo_tl"]


@pytest.mark.parametrize(("word", "kind", "levels"), [
    ("basisschool", SchoolKind.primary, ["basisonderwijs"]),
    ("havo", SchoolKind.havo_vwo, ["havo"]),
    ("Gymnasium", SchoolKind.havo_vwo, ["vwo"]),
    ("havo/vwo", SchoolKind.havo_vwo, ["havo", "vwo"]),
    ("mavo", SchoolKind.vmbo, ["vmbo_tl"]),
    ("ROC", SchoolKind.mbo, ["mbo_1", "mbo_2", "mbo_3", "mbo_4"]),
    ("hogeschool", SchoolKind.hbo, ["hbo"]),
    ("primary", SchoolKind.primary, ["basisonderwijs"]),
])
def test_the_kind_is_read_as_people_write_it(session, liemers, word, kind, levels):
    school = reference.create_school(session=session, code="12AB", name="School", kind=word,
                                     postcode="6901", region=liemers)
    assert (school.kind, school.levels) == (kind, levels)


def test_given_levels_are_kept_in_ladder_order_and_must_fit_the_kind(session, liemers):
    school = reference.create_school(
        session=session, code="12AB01", name="Liemers Lyceum", kind=SchoolKind.havo_vwo,
        postcode="6901", region=liemers, levels=["vwo", "vmbo_tl", "havo", "vwo"],
        place="Zevenaar-Oost")
    assert (school.levels, school.place) == (["vmbo_tl", "havo", "vwo"], "Zevenaar-Oost")
    with pytest.raises(reference.SchoolDataError) as error:
        reference.create_school(session=session, code="12AC", name="ROC", kind="mbo",
                                postcode="6901", region=liemers, levels=["havo", "mbo_2"])
    assert error.value.field == "levels"
    assert "A school of kind mbo does not teach havo. Choose from: mbo-1, mbo-2, mbo-3, " \
           "mbo-4" in str(error.value)


@pytest.mark.parametrize(("arguments", "field", "message"), [
    ({"code": "85N"}, "code", "is not a BRIN code"),
    ({"code": "85NR1"}, "code", "is not a BRIN code"),
    ({"code": "8ANR"}, "code", "is not a BRIN code"),
    ({"name": " "}, "name", "Give the name of the school"),
    ({"kind": "universiteit"}, "kind", "is not a kind of school"),
    ({"postcode": "0000"}, "postcode", "4 digits of a Dutch postcode"),
    ({"postcode": "abc"}, "postcode", "4 digits of a Dutch postcode"),
    ({"place": "x" * 121}, "place", "120 characters"),
])
def test_a_school_that_cannot_be_saved_says_what_to_fix(session, liemers, arguments, field,
                                                        message):
    values = {"code": "85NR", "name": "School", "kind": "vmbo", "postcode": "6901",
              **arguments}
    with pytest.raises(reference.SchoolDataError) as error:
        reference.create_school(session=session, region=liemers, **values)
    assert error.value.field == field and message in str(error.value)
    assert session.exec(select(School)).all() == []


def test_a_brin_code_is_used_once(session, liemers):
    reference.create_school(session=session, code="85NR", name="Het Kreekland College",
                            kind="vmbo", postcode="6903", region=liemers)
    with pytest.raises(reference.SchoolDataError, match="already used by Het Kreekland"):
        reference.create_school(session=session, code="85nr", name="Ander College",
                                kind="mbo", postcode="6901", region=liemers)


def test_a_school_changes_what_is_given_and_follows_a_new_kind_and_postcode(session, liemers):
    school = reference.create_school(session=session, code="85NR", name="Het Kreekland College",
                                     kind="vmbo", postcode="6903", region=liemers,
                                     levels=["vmbo_gl", "vmbo_tl"])
    reference.update_school(session=session, school=school, name="Kreekland")
    assert (school.name, school.levels, school.place) == (
        "Kreekland", ["vmbo_gl", "vmbo_tl"], "Zevenaar")
    reference.update_school(session=session, school=school, kind="havo/vwo", postcode="7001")
    assert (school.kind, school.levels, school.postcode, school.place) == (
        SchoolKind.havo_vwo, ["havo", "vwo"], "7001", "Doetinchem")
    with pytest.raises(reference.SchoolDataError, match="does not teach mbo-2"):
        reference.update_school(session=session, school=school, levels=["mbo_2"])
    session.rollback()
    assert session.get(School, school.id).levels == ["havo", "vwo"]


def test_schools_made_elsewhere_teach_every_level_of_their_kind(session):
    """The model's default: a school saved without levels, by the ORM or in bulk."""
    region = factories.make_region(session, "Liemers")
    school = factories.make_school(session, region, kind=SchoolKind.mbo)
    assert school.levels == levels_of_kind(SchoolKind.mbo)
    assert [Level(v) for v in levels_of_kind("havo_vwo")] == [Level.havo, Level.vwo]
