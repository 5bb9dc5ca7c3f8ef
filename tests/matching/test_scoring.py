from datetime import date

import numpy as np
import pytest

from matching.scoring import COMPONENTS, MatchScorer

from .records import TODAY, observed, placement, student, took_part


def fit(*placements, **params):
    return MatchScorer(today=TODAY, **params).fit(list(placements))


def test_every_component_lies_between_zero_and_one_and_the_score_is_their_weighted_sum():
    scorer = fit(placement(description="Je soldeert printplaten en bouwt schakelkasten"))
    pair = scorer.pair(student(interests="solderen en schakelkasten",
                               observations=(observed("elektrotechniek"),)), 0)
    assert set(pair.components) == set(COMPONENTS)
    assert all(0.0 <= value <= 1.0 for value in pair.components.values())
    expected = sum(scorer.weights_[name] * pair.components[name] for name in COMPONENTS)
    assert pair.score == pytest.approx(expected, abs=1e-3)


def test_a_level_the_placement_does_not_take_excludes_the_pair():
    scorer = fit(placement(levels=("mbo_3", "mbo_4")))
    assert scorer.pair(student(level="mbo_2"), 0) is None
    assert scorer.score_one(student(level="mbo_2"))[0] == -np.inf


def test_a_placement_open_to_every_level_takes_any_level_but_scores_level_fit_lower():
    scorer = fit(placement(levels=()), placement(2))
    open_to_all, named = scorer.pair(student(), 0), scorer.pair(student(), 1)
    assert open_to_all.components["level"] < named.components["level"] == 1.0


def test_beyond_the_travel_limit_excludes_and_nearer_scores_higher():
    # 6901 Zevenaar; 6902 next door; 1011 Amsterdam is about 100 km away.
    scorer = fit(placement(1, postcode="6902"), placement(2, postcode="1011"),
                 placement(3, postcode="6941"))
    scores = scorer.score_one(student(travel_km=25))
    assert scores[1] == -np.inf
    assert scorer.pair(student(travel_km=25), 0).components["distance"] > \
        scorer.pair(student(travel_km=25), 2).components["distance"]


def test_an_unknown_postcode_never_excludes_and_scores_distance_in_the_middle():
    scorer = fit(placement(postcode="1011"))
    pair = scorer.pair(student(postcode=None), 0)
    assert pair is not None and pair.components["distance"] == 0.5 and pair.distance_km is None


def test_no_overlap_of_the_periods_excludes_and_partial_overlap_scores_the_share():
    scorer = fit(placement(starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31)))
    assert scorer.pair(student(available_from=date(2026, 4, 1),
                               available_until=date(2026, 6, 1)), 0) is None
    half = scorer.pair(student(available_from=date(2026, 3, 16),
                               available_until=date(2026, 6, 1)), 0)
    assert half.components["period"] == pytest.approx(16 / 31, abs=1e-3)


def test_a_kind_the_student_does_not_want_excludes_and_no_wish_means_any_kind():
    scorer = fit(placement(kind="snuffelstage"))
    assert scorer.pair(student(wanted_kinds=("bol_internship",)), 0) is None
    assert scorer.pair(student(wanted_kinds=()), 0) is not None


def test_talent_evidence_counts_without_stated_interest():
    scorer = fit(placement())
    no_interest = student(themes=(), interests="")
    shown = student(themes=(), interests="", observations=(observed("elektrotechniek"),))
    assert scorer.pair(no_interest, 0) is None or scorer.pair(no_interest, 0).score < \
        scorer.pair(shown, 0).score
    assert scorer.pair(shown, 0).components["talent"] > 0.5


def test_observations_fade_with_age_and_weaker_ones_count_less():
    scorer = fit(placement())
    fresh = scorer.pair(student(observations=(observed("elektrotechniek", 5, date(2026, 1, 1)),)),
                        0)
    old = scorer.pair(student(observations=(observed("elektrotechniek", 5, date(2023, 1, 1)),)),
                      0)
    weak = scorer.pair(student(observations=(observed("elektrotechniek", 1, date(2026, 1, 1)),)),
                       0)
    assert fresh.components["talent"] > old.components["talent"] > 0
    assert fresh.components["talent"] > weak.components["talent"] > 0


def test_taking_part_counts_less_than_being_observed():
    scorer = fit(placement())
    part = scorer.pair(student(participations=(took_part("elektrotechniek"),)), 0)
    seen = scorer.pair(student(observations=(observed("elektrotechniek"),)), 0)
    assert 0 < part.components["talent"] < seen.components["talent"]


def test_misspelled_and_english_interests_still_find_their_theme():
    scorer = fit(placement(1, themes=("robotica",), title="Stage robots programmeren"),
                 placement(2, themes=("bouw",), title="Meewerken op de bouwplaats"))
    for text in ("ik vind robotika gaaf", "I like robotics", "ROBOTS!!"):
        scores = scorer.score_one(student(themes=(), interests=text))
        assert scores[0] > scores[1], text


def test_compound_words_match_their_parts():
    scorer = fit(placement(1, themes=(), title="Installatietechniek: warmtepompen plaatsen"),
                 placement(2, themes=(), title="Kantoorwerk administratie"))
    pair = scorer.pair(student(themes=(), interests="ik wil iets met installaties en techniek"),
                       0)
    assert pair.components["text"] > 0
    assert scorer.score_one(student(themes=(), interests="installatie"))[0] > \
        scorer.score_one(student(themes=(), interests="installatie"))[1]


def test_an_empty_profile_gets_no_candidates_rather_than_random_ones():
    scorer = fit(placement(1), placement(2))
    table = scorer.score([student(1, themes=(), interests=""), student(2)])
    assert table.insufficient.tolist() == [True, False]
    assert table.scores[0].nnz == 0 and table.scores[1].nnz == 2


def test_score_keeps_the_best_candidates_in_order_and_agrees_with_score_one():
    placements = [placement(i, postcode=pc, themes=(theme,))
                  for i, (pc, theme) in enumerate(
                      [("6902", "elektrotechniek"), ("6903", "bouw"), ("6921", "robotica"),
                       ("6941", "elektrotechniek"), ("1011", "elektrotechniek")], start=1)]
    scorer = MatchScorer(today=TODAY, candidates_k=3).fit(placements)
    students = [student(1, interests="robots en elektro"), student(2, postcode=None),
                student(3, postcode="6921", themes=("bouw",))]
    table = scorer.score(students)
    for row, record in enumerate(students):
        one = scorer.score_one(record)
        finite = np.flatnonzero(np.isfinite(one))
        best = finite[np.argsort(-one[finite], kind="stable")][:3]
        stored = table.scores[row]
        order = stored.indices[np.argsort(-stored.data, kind="stable")]
        assert sorted(order.tolist()) == sorted(best.tolist())
        assert np.allclose(np.sort(stored.data)[::-1], np.sort(one[best])[::-1], atol=1e-5)
        assert table.admissible[row] == len(finite)


def test_weights_are_rescaled_and_unknown_or_negative_weights_are_refused():
    scorer = fit(placement(), weights={"text": 2.0})
    assert sum(scorer.weights_.values()) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown score components: colour"):
        fit(placement(), weights={"colour": 1.0})
    with pytest.raises(ValueError, match="non-negative"):
        fit(placement(), weights={"text": -1.0})
    with pytest.raises(ValueError, match="finite"):
        fit(placement(), weights={"text": float("inf")})


def test_placement_feedback_raises_the_score_of_a_well_liked_placement():
    scorer = fit(placement(1, feedback_positive=9, feedback_total=10),
                 placement(2, feedback_positive=1, feedback_total=10))
    liked, disliked = scorer.pair(student(), 0), scorer.pair(student(), 1)
    assert liked.components["feedback"] > 0.5 > disliked.components["feedback"]
    assert liked.score > disliked.score


def test_scoring_without_placements_or_students_works():
    scorer = fit()
    assert scorer.score([student()]).scores.shape == (1, 0)
    assert fit(placement()).score([]).scores.shape == (0, 1)


def test_one_pair_at_a_time_agrees_with_the_grid_for_every_pair():
    placements = [placement(1), placement(2, levels=("mbo_3",)), placement(3, postcode="1011"),
                  placement(4, themes=("bouw",), starts_on=None, ends_on=None),
                  placement(5, kind="snuffelstage", levels=())]
    scorer = fit(*placements)
    students = [student(1), student(2, level="mbo_3", postcode=None),
                student(3, wanted_kinds=("snuffelstage",), observations=(observed("bouw"),)),
                student(4, available_from=None, available_until=None, interests="bouwen")]
    batch = scorer.prepare(students)
    rows = [i for i in range(len(students)) for _ in placements]
    cols = [j for _ in students for j in range(len(placements))]
    pairs = scorer.pairs(batch, rows, cols)
    for i, j, pair in zip(rows, cols, pairs, strict=True):
        grid = scorer.score_one(students[i])[j]
        if pair is None:
            assert grid == -np.inf
        else:
            assert pair.score == pytest.approx(float(grid), abs=1e-4)


def test_a_forced_pair_is_scored_even_when_a_hard_rule_excludes_it():
    scorer = fit(placement(levels=("hbo",)))
    assert scorer.pair(student(), 0) is None
    forced = scorer.pair(student(), 0, force=True)
    assert forced is not None and forced.score > 0


def test_a_placement_without_an_end_runs_on_and_one_without_a_start_ends_on_its_end_date():
    ongoing = fit(placement(starts_on=date(2026, 2, 1), ends_on=None))
    later = student(available_from=date(2026, 3, 1), available_until=date(2026, 6, 1))
    assert ongoing.pair(later, 0).components["period"] == 1.0
    until_june = fit(placement(starts_on=None, ends_on=date(2026, 6, 30)))
    assert until_june.pair(student(available_from=date(2026, 7, 1),
                                   available_until=date(2026, 9, 1)), 0) is None
    assert until_june.pair(student(available_from=date(2026, 6, 1),
                                   available_until=date(2026, 9, 1)), 0) is not None
