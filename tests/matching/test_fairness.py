"""The fairness audit: its figures against hand-computed cases, and two synthetic cohorts that
fail when the girls/boys exposure ratio of technical placements falls below its bound. The
groups of stated interest and talent, and the headline, are in test_fairness_strata.py."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
import scipy.sparse as sp

from matching.fairness import (
    FairnessAudit,
    discounts,
    exposure,
    flipped,
    ndcg,
    proxy_auc,
    ranked,
    standardised_ratio,
    technical_placements,
)
from matching.gender import flip_gender
from matching.scoring import MatchScorer, ScoreTable
from matching.taxonomy import load_themes

from .records import TODAY, observed, placement, student, took_part

TECHNICAL = [t.slug for t in load_themes() if t.technical]
OTHER = [t.slug for t in load_themes() if not t.technical]
POSTCODES = ["6901", "6902", "6903", "6921", "6941", "7001", "7009", "6951"]


# -- the pieces, by hand ------------------------------------------------------------------------

def test_discounts_are_one_over_log2_of_rank_plus_one():
    assert discounts(5) == pytest.approx([1, 1 / math.log2(3), 0.5, 1 / math.log2(5),
                                          1 / math.log2(6)])


def test_exposure_weighs_technical_placements_by_position_and_shares_them():
    technical = np.array([[True, False, True], [False, False, False], [True, True, False]])
    listed = np.array([[True, True, True], [True, False, False], [False, False, False]])
    found = exposure(technical, listed)
    weighted, share = found.weighted, found.share
    assert weighted == pytest.approx([1 + 0.5, 0.0, 0.0])
    assert share[:2] == pytest.approx([2 / 3, 0.0]) and np.isnan(share[2])


def test_ndcg_against_the_ideal_order_and_none_without_anything_relevant():
    got = ndcg(np.array([[0.5, 1.0, 0.0], [0.0, 0.0, np.nan]]),
               np.array([[1.0, 0.5, 0.0], [0.0, 0.0, 0.0]]))
    expected = (0.5 + 1 / math.log2(3)) / (1 + 0.5 / math.log2(3))
    assert got[0] == pytest.approx(expected) and np.isnan(got[1])


def test_the_ratio_is_standardised_over_strata_holding_girls_and_boys():
    values = np.array([1, 3, 2, 1, 2, 2, 9.0])
    girls = np.array([1, 1, 0, 1, 0, 0, 1], dtype=bool)
    boys = ~girls
    strata = np.array([0, 0, 0, 1, 1, 1, 2])
    # Stratum 0: girls 2, boys 2, three students; stratum 1: girls 1, boys 2, three
    # students; stratum 2 has no boys and is left out.
    assert standardised_ratio(values, girls, boys, strata) == pytest.approx(
        (3 * 2 + 3 * 1) / (3 * 2 + 3 * 2))
    assert standardised_ratio(values, girls, boys, np.arange(7)) is None


def test_rankings_are_best_first_with_ties_to_the_lower_placement():
    scores = sp.csr_matrix(np.array([[0.2, 0.5, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0],
                                     [0.1, 0.0, 0.0, 0.3]], dtype=np.float32))
    table = ScoreTable(scores=scores, insufficient=np.zeros(3, bool),
                       admissible=np.zeros(3, np.int64))
    found = ranked(table, 2)
    cols, values = found.columns, found.scores
    assert cols.tolist() == [[1, 2], [-1, -1], [3, 0]]
    assert values[0] == pytest.approx([0.5, 0.5]) and np.isnan(values[1]).all()


def test_the_proxy_auc_sees_a_perfect_proxy_and_no_proxy_in_noise():
    rng = np.random.default_rng(3)
    labels = rng.random(400) < 0.5
    assert proxy_auc(labels[:, None].astype(float), labels) == pytest.approx(1.0)
    assert abs(proxy_auc(rng.random((400, 5)), labels) - 0.5) < 0.1
    assert proxy_auc(np.ones((5, 1)), np.array([True, False, False, False, False])) is None


def test_flipping_gender_swaps_words_both_ways_and_in_every_text():
    assert flip_gender("Zij wil monteuse worden, net als haar moeder.") == \
        "Hij wil monteur worden, net als zijn vader."
    assert flip_gender("Ik ben een jongen") == "Ik ben een meisje"
    record = student(interests="ik ben een meisje", dream_job="elektricienne",
                     observations=(observed("elektrotechniek", skills="zij soldeert netjes"),))
    twin = flipped([record])[0]
    assert (twin.interests, twin.dream_job, twin.observations[0].skills) == \
        ("ik ben een jongen", "elektricien", "hij soldeert netjes")


def test_a_placement_is_technical_when_its_themes_weigh_mostly_technical():
    scorer = MatchScorer(today=TODAY).fit([
        placement(1, title="Stage", themes=("elektrotechniek",)),
        placement(2, title="Stage", themes=("zorg",)),
        placement(3, title="Stage", themes=("zorg", "handel", "robotica")),
        placement(4, title="Stage", themes=()),
    ])
    assert technical_placements(scorer).tolist() == [True, False, False, False]


# -- a whole audit, by hand --------------------------------------------------------------------

def small_case():
    """Two placements at the same spot: P1 technical, P2 not. Two girls and two boys in two
    strata; the second pair differs only in the words they wrote."""
    places = [placement(1, title="Stage elektrotechniek", description="in het magazijn",
                        themes=("elektrotechniek",)),
              placement(2, title="Stage zorg", description="op een kantoor", themes=("zorg",))]
    keen = {"themes": ("elektrotechniek",), "observations": (observed("elektrotechniek"),)}
    students = [
        student(1, **keen),  # girl: P1, P2
        student(2, **keen),  # boy: P1, P2
        student(3, themes=(), interests="ik ben een meisje en werk graag op een kantoor"),
        student(4, themes=(), interests="ik ben een jongen, een magazijn lijkt me wat"),
        student(5, themes=(), interests="kantoor"),  # gender other: in no girls/boys figure
    ]
    return MatchScorer(today=TODAY).fit(places), students, ["girl", "boy", "girl", "boy",
                                                            "other"]


def test_a_small_audit_matches_the_figures_worked_out_by_hand():
    scorer, students, genders = small_case()
    report = FairnessAudit(scorer, random_state=1).fit(students, genders).report_
    second = 1 / math.log2(3)
    # Girl 3 sees P2 first (her words), boy 4 sees P1 first (his); the others see P1 first.
    assert report.exposure_girls == pytest.approx((1 + second) / 2)
    assert report.exposure_boys == pytest.approx(1.0)
    # By talent: strong (girl 1, boy 2: exposure 1 each) and none (girl 3: second, boy 4: 1),
    # two students each.
    assert report.exposure_by_talent.value == pytest.approx(
        (2 * 1 + 2 * second) / (2 * 1 + 2 * 1))
    assert report.exposure_by_talent.low <= report.exposure_by_talent.value \
        <= report.exposure_by_talent.high
    # By stated interest too, girl 3 (office: only other themes) and boy 4 (nothing named)
    # are apart, and only the keen pair is compared.
    assert report.exposure.value == pytest.approx(1.0)
    assert report.share.value == pytest.approx(1.0)
    assert report.students == {"girl": 2, "boy": 2, "other": 1, "not_given": 0}
    assert report.ranked == {"girl": 2, "boy": 2}
    assert (report.placements, report.technical_placements) == (2, 1)
    groups = {(g.stance, g.talent): (g.girls, g.boys) for g in report.groups}
    assert groups == {("technical", "strong"): (1, 1), ("other", "none"): (1, 0),
                      ("none", "none"): (0, 1)}
    # Without the round's proposals there are no proposal figures and no headline.
    assert not report.proposals_given and report.headline.status == "no_proposals"
    assert all(g.proposed_girls is None for g in report.groups)
    # Relevance needs interest or talent: only students 1 and 2 have it, both ranked ideally.
    assert (report.ndcg_girls, report.ndcg_boys) == (pytest.approx(1.0), pytest.approx(1.0))
    assert report.ndcg_difference.value == pytest.approx(0.0)
    # Students 3 and 4 wrote "meisje"/"jongen": flipped, nothing changes.
    cf = report.counterfactual
    assert (cf.students_flipped, cf.max_score_change, cf.rankings_changed) == (2, 0.0, 0)
    assert cf.unchanged and report.proxy.students == 4


def test_the_report_is_plain_json_and_repeatable_with_its_seed():
    scorer, students, genders = small_case()
    first = FairnessAudit(scorer, random_state=4).fit(students, genders).report_.to_json()
    again = FairnessAudit(scorer, random_state=4).fit(students, genders).report_.to_json()
    first.pop("seconds"), again.pop("seconds")
    assert first == again and first["format"] == "talentmatch-fairness/2"
    assert first["exposure_by_talent"]["value"] == pytest.approx(0.8155, abs=1e-4)
    assert first["counterfactual"]["unchanged"] is True


def test_without_bootstrap_no_interval_and_a_large_cohort_is_sampled():
    scorer, students, genders = small_case()
    report = FairnessAudit(scorer, n_bootstrap=0).fit(students, genders).report_
    assert report.exposure.low is None and report.exposure.high is None
    many = [replace(s, id=100 + n) for n in range(8) for s in students]
    sampled = FairnessAudit(scorer, max_students=10, proxy=False).fit(
        many, genders * 8).report_
    assert sampled.sampled_from == 40 and sum(sampled.students.values()) == 10
    assert sampled.proxy is None


def test_an_empty_cohort_and_one_without_boys_give_no_ratio_rather_than_an_error():
    scorer, students, genders = small_case()
    empty = FairnessAudit(scorer).fit([], []).report_
    assert empty.exposure.value is None and empty.ndcg_difference.value is None
    girls_only = FairnessAudit(scorer).fit(students[:1], ["girl"]).report_
    assert girls_only.exposure.value is None and girls_only.proxy.auc is None
    with pytest.raises(ValueError, match="one gender per student"):
        FairnessAudit(scorer).fit(students, genders[:2])


class LeakyScorer(MatchScorer):
    """A scorer that reads "meisje" as an interest in care: the leak the audit must catch."""

    def prepare(self, students):
        batch = super().prepare(students)
        care = self.profiler_.index_["zorg"]
        for i, s in enumerate(batch.students):
            if "meisje" in s.interests:
                batch.interest[i, care] = batch.fit[i, care] = 1.0
        return batch


def test_the_counterfactual_check_catches_a_scorer_that_reads_gender_words():
    _scorer, students, genders = small_case()
    leaky = LeakyScorer(today=TODAY).fit(_scorer.placements_)
    cf = FairnessAudit(leaky, proxy=False).fit(students, genders).report_.counterfactual
    assert not cf.unchanged and cf.max_score_change > 0.05


def test_the_proxy_check_sees_interests_that_give_gender_away():
    scorer, _students, _genders = small_case()
    people = [student(i, themes=("zorg",) if i % 2 else ("elektrotechniek",)) for i in range(60)]
    genders = ["girl" if i % 2 else "boy" for i in range(60)]
    report = FairnessAudit(scorer, n_bootstrap=0).fit(people, genders).report_
    assert report.proxy.auc_without_words > 0.95 and report.proxy.students == 60


# -- the synthetic cohorts -----------------------------------------------------------------------

def placements(seed: int, n: int = 80, technical_share: float = 0.6):
    """Technical placements (one or two technical themes) and others (care, trade, catering)."""
    rng = random.Random(seed)
    return [placement(j, title="Stage", postcode=rng.choice(POSTCODES), levels=("mbo_2",),
                      themes=tuple(rng.sample(TECHNICAL, rng.choice([1, 2])))
                      if rng.random() < technical_share else (rng.choice(OTHER),))
            for j in range(n)]


def cohort(seed: int, n: int, girls_state: float, boys_state: float):
    """Girls and boys alike in talent (observations and activities drawn the same way), where
    they live and how far they travel. They tick a technical theme with their own probability,
    and a non-technical one with the same probability (a quarter) for both."""
    rng = random.Random(seed)
    people, genders = [], []
    for i in range(n):
        girl = i % 2 == 0
        states = rng.random() < (girls_state if girl else boys_state)
        themes = ((rng.choice(TECHNICAL),) if states else ()) + \
            ((rng.choice(OTHER),) if rng.random() < 0.25 else ())
        observations = tuple(
            observed(rng.choice(TECHNICAL), rng.randint(1, 5),
                     TODAY - timedelta(days=rng.randint(0, 600)))
            for _ in range(rng.choice([0, 0, 1, 1, 2])))
        activities = tuple(took_part(rng.choice(TECHNICAL)) for _ in range(rng.choice([0, 1])))
        people.append(student(i, postcode=rng.choice(POSTCODES),
                              travel_km=rng.choice([15, 25, 40]), themes=themes,
                              observations=observations, participations=activities))
        genders.append("girl" if girl else "boy")
    return people, genders


@pytest.fixture(scope="module")
def places():
    return placements(3)


def test_girls_who_state_technical_interest_less_often_still_see_technical_placements(places):
    people, genders = cohort(1, 3000, girls_state=0.35, boys_state=0.7)
    scorer = MatchScorer(today=TODAY).fit(places)
    report = FairnessAudit(scorer, random_state=1).fit(people, genders).report_
    assert report.exposure.value >= 0.9, report.to_json()
    assert report.share.value >= 0.9, report.to_json()
    # Talent evidence is why: compared on talent alone (whatever they state), girls see more
    # technical placements with the talent part than a scorer without it shows them.
    # Talent counts in no part: not on top, and never as much as a stated theme.
    interest_only = MatchScorer(today=TODAY, weights={"talent": 0.0},
                                talent_fits=False).fit(places)
    without = FairnessAudit(interest_only, n_bootstrap=0, proxy=False,
                            counterfactual=False).fit(people, genders).report_
    assert report.exposure_by_talent.value >= without.exposure_by_talent.value + 0.04, \
        (report.exposure_by_talent, without.exposure_by_talent)


def test_girls_and_boys_with_the_same_interests_and_talents_see_as_many_technical_placements(
        places):
    people, genders = cohort(2, 3000, girls_state=0.55, boys_state=0.55)
    scorer = MatchScorer(today=TODAY).fit(places)
    report = FairnessAudit(scorer, random_state=2).fit(people, genders).report_
    assert report.exposure.value >= 0.95, report.to_json()
    assert report.exposure_by_talent.value >= 0.95, report.to_json()
    assert report.share.value >= 0.95, report.to_json()
    assert abs(report.ndcg_difference.value) < 0.05
    assert abs(report.proxy.auc - 0.5) < 0.1
    assert report.counterfactual.unchanged
