from datetime import date

import numpy as np

from matching.profiles import ThemeProfiler
from matching.taxonomy import default_matcher, load_themes, themes_for_occupation

from .records import TODAY, observed, placement, student


def test_themes_are_found_in_free_text_including_misspellings_and_gender_forms():
    found = default_matcher().find_in_text("Ik vind robotika gaaf en wil automonteuse worden")
    assert set(found) >= {"robotica", "motorvoertuigen"}


def test_free_text_that_names_no_theme_finds_nothing_rather_than_a_guess():
    assert default_matcher().find_in_text("ik hou van paarden en tekenen") == {}


def test_an_occupation_code_links_to_its_themes_fully_and_its_isco_group_half():
    assert themes_for_occupation("7411.1.1")["elektrotechniek"] == 1.0
    assert themes_for_occupation("9999.9") == {}
    assert themes_for_occupation("") == {}


def test_a_placement_profile_is_a_distribution_over_themes():
    profiler = ThemeProfiler().fit()
    vector = profiler.placement(placement(themes=("elektrotechniek", "robotica")))
    assert vector.sum() == np.float32(1.0) or abs(float(vector.sum()) - 1.0) < 1e-6
    assert profiler.placement(placement(themes=(), title="Vakantiewerk", description="")).sum() == 0


def test_interest_and_talent_are_kept_apart():
    profiler = ThemeProfiler().fit()
    record = student(themes=("bouw",), observations=(observed("robotica"),))
    index = profiler.index_
    assert profiler.interest(record)[index["bouw"]] == 1.0
    assert profiler.interest(record)[index["robotica"]] == 0.0
    assert profiler.talent(record, TODAY)[index["robotica"]] > 0.5
    assert profiler.talent(record, TODAY)[index["bouw"]] == 0.0


def test_talent_saturates_at_one_however_much_evidence_there_is():
    profiler = ThemeProfiler().fit()
    record = student(observations=tuple(observed("robotica", 5, date(2026, 1, 1))
                                        for _ in range(20)))
    assert 0.99 < profiler.talent(record, TODAY)[profiler.index_["robotica"]] <= 1.0


def test_a_dream_job_reaches_its_themes_through_the_occupation_lookup():
    profiler = ThemeProfiler(occupation_lookup=lambda text: "7411.1.1").fit()
    vector = profiler.interest(student(themes=(), dream_job="iets met stroom"))
    assert vector[profiler.index_["elektrotechniek"]] == np.float32(profiler.occupation_weight)


def test_a_lookup_given_to_fit_still_counts_as_one_given_to_the_constructor():
    # app/services/talent_gap.py passes it to fit, as the profiler took it before.
    record = student(themes=(), dream_job="iets met stroom")
    given_late = ThemeProfiler().fit(themes=load_themes(),
                                     occupation_lookup=lambda text: "7411.1.1")
    given_first = ThemeProfiler(occupation_lookup=lambda text: "7411.1.1").fit(
        themes=load_themes())
    assert given_late.interest(record).tolist() == given_first.interest(record).tolist()
    assert given_late.occupation_lookup is None


def test_a_theme_named_just_after_a_negation_is_not_an_interest():
    matcher = default_matcher()
    assert "bouw" not in matcher.find_in_text("ik wil absoluut niet in de bouw werken")
    assert matcher.find_in_text("geen bouw, wel robots") == {"robotica": 1.0}
