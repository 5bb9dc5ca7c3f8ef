"""A placement's ESCO occupation is looked up from its title when it is saved."""

from __future__ import annotations

import pytest

from app.services import occupations
from app.services import placements as service
from app.services.occupations import best_occupation
from tests.services.placements.test_placements import create, values


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


# --- the company's own choice ------------------------------------------------------------

def lasser_code() -> str:
    found = occupations.suggestions(text="lasser")
    assert found, "ESCO has welders"
    return found[0].code


def test_suggestions_skip_the_kind_of_placement_and_a_text_without_work_gets_none():
    assert any("lasser" in s.label for s in occupations.suggestions(text="BBL-plek lasser"))
    for text in ("Stage", "Stageplek", "BPV", "Leerbaan (BBL)", "", "asdf"):
        assert occupations.suggestions(text=text) == [], text


def test_an_occupation_that_esco_lists_twice_is_suggested_once():
    found = occupations.suggestions(text="onderwijsassistent")
    assert "5312.1" in [s.code for s in found]
    assert len({s.code for s in found}) == len(found)


def test_a_chosen_occupation_is_stored_with_its_esco_label_and_outlives_a_new_title(
        world, session):
    placement = create(session, world.home, title="Leerbaan autotechnicus (BBL)")
    code = lasser_code()
    occupations.choose_occupation(session=session, placement=placement, code=code)
    session.expire_all()
    assert (placement.occupation_code, placement.occupation_chosen) == (code, True)
    assert placement.occupation_label == occupations.occupation_label(code) != ""
    service.update_placement(session=session, placement=placement,
                             **{**values(), "title": "Stage softwareontwikkelaar"})
    assert placement.occupation_code == code


def test_choosing_none_clears_the_occupation_and_a_new_title_does_not_bring_one_back(
        world, session):
    placement = create(session, world.home, title="BPV-plek lasser")
    occupations.choose_occupation(session=session, placement=placement, code=occupations.NONE)
    assert (placement.occupation_code, placement.occupation_label) == ("", "")
    service.update_placement(session=session, placement=placement,
                             **{**values(), "title": "Stage softwareontwikkelaar"})
    assert placement.occupation_code == "" and placement.occupation_chosen


def test_automatic_finds_the_occupation_in_the_title_again_and_follows_new_titles(
        world, session):
    placement = create(session, world.home, title="BPV-plek lasser")
    found_in_title = placement.occupation_code
    occupations.choose_occupation(session=session, placement=placement, code=occupations.NONE)
    occupations.choose_occupation(session=session, placement=placement,
                                  code=occupations.AUTOMATIC)
    assert placement.occupation_code == found_in_title and not placement.occupation_chosen
    service.update_placement(session=session, placement=placement,
                             **{**values(), "title": "Stage softwareontwikkelaar"})
    assert placement.occupation_code not in ("", found_in_title)


def test_an_unknown_code_is_refused_at_its_field_and_nothing_changes(world, session):
    placement = create(session, world.home, title="BPV-plek lasser")
    before = (placement.occupation_code, placement.occupation_label)
    with pytest.raises(occupations.OccupationError, match="Choose one of the occupations") as e:
        occupations.choose_occupation(session=session, placement=placement, code="9999.9")
    assert e.value.field == "code"
    session.rollback()
    session.expire_all()
    assert (placement.occupation_code, placement.occupation_label) == before
    assert not placement.occupation_chosen


def test_a_closed_placement_keeps_its_occupation(world, session):
    placement = create(session, world.home, title="BPV-plek lasser")
    before = (placement.occupation_code, placement.occupation_label)
    service.close(session=session, placement=placement, user=world.home.company_user)
    with pytest.raises(occupations.OccupationError, match="closed"):
        occupations.choose_occupation(session=session, placement=placement,
                                      code=occupations.NONE)
    session.rollback()
    session.expire_all()
    assert (placement.occupation_code, placement.occupation_label) == before != ("", "")
    assert not placement.occupation_chosen


def test_chosen_occupations_are_examples_of_the_title_they_were_chosen_for(world, session):
    chosen = create(session, world.home, title="BBL-plek Autotechnicus zwaar transport")
    occupations.choose_occupation(session=session, placement=chosen, code=lasser_code())
    service.update_placement(session=session, placement=chosen,
                             **{**values(), "title": "Stage softwareontwikkelaar"})
    twice = create(session, world.home, title="Autotechnicus zwaar transport (BBL-plek)")
    occupations.choose_occupation(session=session, placement=twice, code=lasser_code())
    create(session, world.home, title="BPV-plek lasser")  # found in the title, not chosen
    none = create(session, world.home, title="Stage constructiewerker")
    occupations.choose_occupation(session=session, placement=none, code=occupations.NONE)
    rows = occupations.chosen_examples(session=session)
    uri = next(o.uri for o in occupations.normaliser().occupations_ if o.code == lasser_code())
    assert rows == [{"text": "Autotechnicus zwaar transport", "target_uri": uri,
                     "source": "talentmatch"}]
