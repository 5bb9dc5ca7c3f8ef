"""What people write in the cells, and what it becomes."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import ActivityKind, Gender, Level, Pathway, Pillar
from app.services.imports.values import (
    Invalid,
    parse_date,
    parse_gender,
    parse_kind,
    parse_kvk,
    parse_level,
    parse_pillar,
    parse_postcode,
    text_value,
    whole_number,
)


@pytest.mark.parametrize(("text", "pathway", "expected"), [
    ("vmbo_kb", "", (Level.vmbo_kb, None)),
    ("vmbo-kb", "", (Level.vmbo_kb, None)),
    ("VMBO KB", "", (Level.vmbo_kb, None)),
    ("vmbo kader", "", (Level.vmbo_kb, None)),
    ("vmbo-bbl", "", (Level.vmbo_bb, None)),
    ("vmbo", "TL", (Level.vmbo_tl, None)),
    ("vmbo", "bbl", (Level.vmbo_bb, None)),
    ("mavo", "", (Level.vmbo_tl, None)),
    ("havo", "", (Level.havo, None)),
    ("vwo", "", (Level.vwo, None)),
    ("gymnasium", "", (Level.vwo, None)),
    ("basisonderwijs", "", (Level.basis, None)),
    ("basisschool", "", (Level.basis, None)),
    ("po", "", (Level.basis, None)),
    ("mbo 2", "", (Level.mbo_2, None)),
    ("mbo-4", "", (Level.mbo_4, None)),
    ("MBO4", "", (Level.mbo_4, None)),
    ("mbo niveau 3", "", (Level.mbo_3, None)),
    ("entree", "", (Level.mbo_1, None)),
    ("mbo 3 bbl", "", (Level.mbo_3, Pathway.bbl)),
    ("mbo-2 BOL", "", (Level.mbo_2, Pathway.bol)),
    ("mbo 4", "bbl", (Level.mbo_4, Pathway.bbl)),
    ("mbo 4", "Beroepsopleidende leerweg", (Level.mbo_4, Pathway.bol)),
    ("hbo", "", (Level.hbo, None)),
])
def test_levels_as_people_write_them(text, pathway, expected):
    assert parse_level(text, pathway) == expected


@pytest.mark.parametrize(("text", "pathway", "message", "column"), [
    ("KB", "", "'KB' alone is not clear: write vmbo-kb", None),
    ("vmbo", "", "needs the track", None),
    ("mbo", "", "needs the mbo level", None),
    ("mbo 5", "", "is not a level", None),
    ("vmbo gt", "", "write vmbo-gl or vmbo-tl", None),
    ("universiteit", "", "is not a level. Write one of: basisonderwijs", None),
    ("havo", "bbl", "only for mbo students", "pathway"),
    ("mbo 3 bbl", "bol", "keep one", "pathway"),
    ("vmbo-kb", "tl", "does not fit the level", "pathway"),
    ("mbo 2", "deeltijd", "is not a pathway", "pathway"),
])
def test_unclear_levels_say_what_to_write(text, pathway, message, column):
    with pytest.raises(Invalid) as raised:
        parse_level(text, pathway)
    assert message in raised.value.message
    assert raised.value.column == column


@pytest.mark.parametrize(("text", "expected"), [
    ("meisje", Gender.girl), ("Girl", Gender.girl), ("V", Gender.girl), ("f", Gender.girl),
    ("vrouw", Gender.girl), ("jongen", Gender.boy), ("boy", Gender.boy), ("M", Gender.boy),
    ("man", Gender.boy), ("anders", Gender.other), ("other", Gender.other), ("X", Gender.other),
    ("", Gender.not_given), ("onbekend", Gender.not_given), ("not given", Gender.not_given),
    ("not_given", Gender.not_given),
])
def test_genders_in_dutch_and_english(text, expected):
    assert parse_gender(text) is expected


def test_an_unknown_gender_lists_what_to_write():
    with pytest.raises(Invalid, match="meisje, jongen or anders"):
        parse_gender("q")


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-10-07", date(2025, 10, 7)), ("07-10-2025", date(2025, 10, 7)),
    ("7-10-2025", date(2025, 10, 7)), ("07/10/2025", date(2025, 10, 7)),
    ("7.10.2025", date(2025, 10, 7)), ("2025-10-07 00:00:00", date(2025, 10, 7)),
])
def test_dates_iso_and_dutch(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("10/7/25", "is not a date. Write it as 2025-10-07 or 7-10-2025"),
    ("morgen", "is not a date"),
    ("31-02-2025", "is not a date that exists"),
    ("2025-13-01", "is not a date that exists"),
    ("7-10-0225", "The year of '7-10-0225' looks wrong"),
])
def test_bad_dates_say_how_to_write_them(text, message):
    with pytest.raises(Invalid) as raised:
        parse_date(text)
    assert message in raised.value.message


@pytest.mark.parametrize(("text", "expected"), [
    ("Week van de Techniek", ActivityKind.tech_week), ("week_van_de_techniek",
                                                        ActivityKind.tech_week),
    ("Girlsday", ActivityKind.girlsday), ("Girls Day", ActivityKind.girlsday),
    ("talentscouting", ActivityKind.talent_scouting),
    ("technieklokaal", ActivityKind.technieklokaal), ("PET", ActivityKind.pet_event),
    ("bedrijfsbezoek", ActivityKind.company_visit), ("company visit",
                                                     ActivityKind.company_visit),
    ("gastles", ActivityKind.guest_lesson), ("fieldlab", ActivityKind.fieldlab),
    ("anders", ActivityKind.other), ("other", ActivityKind.other),
])
def test_kinds_of_activity_by_dutch_and_english_names(text, expected):
    assert parse_kind(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("kiezen", Pillar.kiezen), ("Choosing", Pillar.kiezen), ("leren", Pillar.leren),
    ("learning", Pillar.leren), ("Werken in de techniek", Pillar.werken),
    ("working", Pillar.werken), ("innoveren", Pillar.innoveren),
    ("innovating", Pillar.innoveren),
])
def test_pillars_by_dutch_and_english_names(text, expected):
    assert parse_pillar(text) is expected


def test_unknown_kind_and_pillar_list_the_choices():
    with pytest.raises(Invalid, match="Week van de Techniek, talentscouting"):
        parse_kind("feestje")
    with pytest.raises(Invalid, match="kiezen, leren, werken or innoveren"):
        parse_pillar("spelen")


def test_postcodes_must_be_dutch_and_exist():
    assert parse_postcode("6901 AB") == ("6901", "Zevenaar")
    with pytest.raises(Invalid, match="is not a postcode"):
        parse_postcode("AB12")
    with pytest.raises(Invalid, match="Postcode 1000 does not exist"):
        parse_postcode("1000")


def test_kvk_numbers_have_eight_digits_and_get_back_a_dropped_leading_zero():
    assert parse_kvk("1234 5678") == "12345678"
    assert parse_kvk("1234567") == "01234567"
    with pytest.raises(Invalid, match="is not a KvK number"):
        parse_kvk("12345")


def test_whole_numbers_in_range():
    assert whole_number("15", low=0, high=500) == 15
    assert whole_number("15 km", low=0, high=500, unit="km") == 15
    assert whole_number("12,0", low=0, high=500) == 12
    with pytest.raises(Invalid, match="'12,5' is not a whole number"):
        whole_number("12,5", low=0, high=500)
    with pytest.raises(Invalid, match="501 is not between 0 and 500"):
        whole_number("501", low=0, high=500)
    with pytest.raises(Invalid, match="of 1 or more"):
        whole_number("0", low=1)


def test_text_longer_than_the_column_says_how_long():
    assert text_value("  Noor   van  Dijk ", limit=20) == "Noor van Dijk"
    with pytest.raises(Invalid, match="This text has 81 characters; at most 80 fit"):
        text_value("x" * 81, limit=80)
