import pytest

from matching.geo import clean_pc4, distance_km, haversine_km, postcodes


def test_every_dutch_pc4_is_known_with_a_location():
    table = postcodes()
    assert len(table) > 4000
    assert table["6901"].place == "Zevenaar"


@pytest.mark.parametrize(("text", "pc4"), [
    ("6901", "6901"), ("6901 AB", "6901"), (" 6901ab", "6901"), ("0901", None),
    ("69", None), ("abcd", None),
])
def test_postcodes_are_read_as_people_write_them(text, pc4):
    assert clean_pc4(text) == pc4


def test_haversine_matches_a_known_distance():
    # Amsterdam Dam to Utrecht Dom is about 35 km as the crow flies.
    assert haversine_km(52.3731, 4.8926, 52.0907, 5.1214) == pytest.approx(35.2, abs=0.5)


def test_distance_between_postcodes_and_unknown_ones():
    assert 0 < distance_km("6901", "7001") < 40  # Zevenaar - Doetinchem
    assert distance_km("6901", "6901") == 0
    assert distance_km("6901", "0000") is None
