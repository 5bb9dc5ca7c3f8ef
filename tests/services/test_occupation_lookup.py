"""A placement's ESCO occupation is looked up from its title when it is saved."""

from __future__ import annotations

from app.services import placements as service
from app.services.occupations import best_occupation
from tests.services.test_placements import create, values


def test_a_clear_title_finds_its_occupation_and_noise_finds_none():
    code, label = best_occupation("BBL-plek ICT-medewerker")
    assert code.startswith("35") and "ICT" in label
    assert best_occupation("qwerty") == ("", "")
    assert best_occupation("Stage") == ("", "")  # only the kind of placement, no work named


def test_the_kind_of_placement_in_a_title_is_not_read_as_the_work():
    assert best_occupation("Hbo-stage: een app voor het inplannen van onderhoud")[1] != \
        "stage manager"


def test_saving_a_placement_stores_the_occupation_and_a_new_title_looks_again(world, session):
    placement = create(session, world.home, title="BPV-plek lasser")
    first = placement.occupation_code
    assert first and placement.occupation_label
    service.update_placement(session=session, placement=placement,
                             **{**values(), "title": "Stage softwareontwikkelaar"})
    assert placement.occupation_code and placement.occupation_code != first
