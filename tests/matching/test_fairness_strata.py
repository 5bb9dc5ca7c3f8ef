"""Girls and boys per group of stated interest and observed talent: counts worked out by hand,
the ratio's interval, and the headline (the worst group of at least 20 girls and 20 boys).

The cohorts here are built so that their figures can be counted without knowing a score: the
round's proposals are given, and with two admissible placements every list holds both."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest

from matching.fairness import FairnessAudit
from matching.fairness_strata import (
    NO_LARGE_GROUP,
    NO_PROPOSALS,
    NO_RATIO,
    SAME_GROUP,
    SAME_TALENT,
    WORST,
    group_figures,
    ratio_interval,
    student_groups,
    wilson,
    worst_group,
)
from matching.profiles import STRONG_TALENT
from matching.scoring import MatchScorer

from .records import TODAY, observed, placement, student


def people(*blocks):
    """Per-student arrays from blocks of (stance, talent, gender, students, technical
    proposals, proposals): the first ``technical`` of the block have a technical proposal,
    the next ``proposals - technical`` another one, the rest none."""
    stance, talent, gender, proposed, technical = [], [], [], [], []
    for s, t, g, n, tech, with_proposal in blocks:
        stance += [s] * n
        talent += [t] * n
        gender += [g] * n
        proposed += [i < with_proposal for i in range(n)]
        technical += [i < tech for i in range(n)]
    gender = np.array(gender)
    return (np.array(stance), np.array(talent), gender == "girl", gender == "boy",
            np.array(proposed), np.array(technical))


def figures_of(blocks, top=None):
    stance, talent, girls, boys, proposed, technical = people(*blocks)
    top = technical if top is None else top
    return group_figures(stance, talent, girls, boys, top, proposed, technical)


# -- the interval -------------------------------------------------------------------------------

def test_the_wilson_interval_of_known_cases():
    # 0 of 10: the upper limit z^2 / (n + z^2) = 3.8415 / 13.8415.
    assert wilson(0, 10) == pytest.approx((0.0, 3.8415 / 13.8415), abs=1e-4)
    # 5 of 10: centre 0.5, half-width 1.96 / 1.3842 * sqrt(0.025 + 3.8415 / 400) = 0.2634.
    assert wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)


def test_the_ratio_interval_is_close_to_the_log_interval_for_large_counts():
    got = ratio_interval(120, 450, 330, 450)
    # Katz: exp(log ratio +- 1.96 sqrt(1/a - 1/n1 + 1/b - 1/n2)).
    se = math.sqrt(1 / 120 - 1 / 450 + 1 / 330 - 1 / 450)
    ratio = (120 / 450) / (330 / 450)
    assert got.value == pytest.approx(ratio)
    assert got.low == pytest.approx(ratio * math.exp(-1.96 * se), abs=0.005)
    assert got.high == pytest.approx(ratio * math.exp(1.96 * se), abs=0.005)


def test_the_ratio_interval_holds_with_zero_counts_and_is_absent_when_boys_have_none():
    none_of_girls = ratio_interval(0, 45, 33, 45)
    assert none_of_girls.value == 0 and none_of_girls.low == 0 and 0 < none_of_girls.high < 0.2
    assert ratio_interval(12, 45, 0, 45).value is None
    assert ratio_interval(3, 0, 3, 10).value is None


def test_the_ratio_interval_covers_the_true_ratio_about_as_often_as_it_says():
    rng = np.random.default_rng(5)
    for p_girls, p_boys, n in ((0.3, 0.6, 30), (0.1, 0.25, 40), (0.5, 0.5, 20)):
        hits = counted = 0
        for _ in range(1500):
            a, b = rng.binomial(n, p_girls), rng.binomial(n, p_boys)
            r = ratio_interval(int(a), n, int(b), n)
            if r.value is not None:
                counted += 1
                hits += r.low <= p_girls / p_boys <= r.high
        assert 0.92 <= hits / counted <= 0.99, (p_girls, p_boys, hits / counted)


# -- the groups, by hand ------------------------------------------------------------------------

def test_each_group_counts_girls_and_boys_with_a_proposal_and_with_a_technical_one():
    groups = figures_of([
        ("none", "strong", "girl", 45, 12, 40), ("none", "strong", "boy", 45, 33, 41),
        ("technical", "none", "girl", 5, 4, 5), ("technical", "none", "boy", 7, 7, 7),
    ])
    assert [(g.stance, g.talent) for g in groups] == [("none", "strong"), ("technical", "none")]
    hidden = groups[0]
    assert (hidden.girls, hidden.boys) == (45, 45)
    # Boys of the same talent, whatever they state: here only the group's own.
    assert (hidden.talent_boys, hidden.technical_proposal_talent_boys) == (45, 33)
    assert groups[1].talent_boys == 7
    assert (hidden.proposed_girls, hidden.proposed_boys) == (40, 41)
    assert (hidden.technical_proposal_girls, hidden.technical_proposal_boys) == (12, 33)
    # Over all students of the group, with a proposal or not: 12/45 against 33/45.
    assert hidden.proposal_ratio.value == pytest.approx(12 / 33)
    assert hidden.proposal_ratio.low < 12 / 33 < hidden.proposal_ratio.high < 1
    data = hidden.to_json()
    assert data["technical_proposal_share_girls"] == pytest.approx(12 / 45, abs=1e-4)
    assert data["proposed_share_boys"] == pytest.approx(41 / 45, abs=1e-4)
    assert data["technical_proposal_ratio"]["value"] == pytest.approx(0.3636, abs=1e-4)


def test_a_student_without_a_proposal_has_no_technical_proposal():
    stance, talent, girls, boys, _proposed, _technical = people(
        ("mixed", "some", "girl", 4, 0, 0), ("mixed", "some", "boy", 4, 0, 0))
    # A technical mark without a proposal (a stale flag) is not counted.
    group = group_figures(stance, talent, girls, boys, np.zeros(8, bool),
                          np.array([True, False] * 4), np.ones(8, bool))[0]
    assert (group.proposed_girls, group.technical_proposal_girls) == (2, 2)
    assert (group.proposed_boys, group.technical_proposal_boys) == (2, 2)


def test_the_top_5_share_is_counted_apart_from_the_proposals():
    stance, talent, girls, boys, proposed, technical = people(
        ("other", "strong", "girl", 20, 0, 20), ("other", "strong", "boy", 20, 10, 20))
    top = np.array([True] * 15 + [False] * 5 + [True] * 20)
    group = group_figures(stance, talent, girls, boys, top, proposed, technical)[0]
    assert (group.technical_top_girls, group.technical_top_boys) == (15, 20)
    assert group.top_ratio.value == pytest.approx(0.75)
    assert group.proposal_ratio.value == 0


def test_without_proposals_the_groups_have_no_proposal_figures():
    stance, talent, girls, boys, _proposed, technical = people(
        ("none", "none", "girl", 3, 1, 3), ("none", "none", "boy", 3, 1, 3))
    group = group_figures(stance, talent, girls, boys, technical)[0]
    assert group.proposed_girls is None and group.proposal_ratio.value is None
    assert group.to_json()["technical_proposal_share_girls"] is None
    assert worst_group((group,)).status == NO_PROPOSALS


# -- the headline -------------------------------------------------------------------------------

def test_the_headline_is_the_large_comparison_where_girls_fare_worst():
    groups = figures_of([
        ("technical", "strong", "girl", 30, 27, 30), ("technical", "strong", "boy", 30, 28, 30),
        ("none", "strong", "girl", 45, 12, 40), ("none", "strong", "boy", 45, 33, 41),
        ("other", "some", "girl", 25, 10, 25), ("other", "some", "boy", 25, 15, 25),
    ])
    headline = worst_group(groups)
    assert headline.status == WORST and headline.large_groups == 3
    # Against their own group 12/45 : 33/45 = 0.36; against the 75 boys of strong talent
    # (33 + 28 technical) 12/45 : 61/75 = 0.33, the worse.
    assert (headline.group.stance, headline.group.talent, headline.against) == \
        ("none", "strong", SAME_TALENT)
    data = headline.to_json()
    assert (data["girls"], data["technical_girls"], data["boys"], data["technical_boys"]) == \
        (45, 12, 75, 61)
    assert data["ratio"]["value"] == pytest.approx((12 / 45) / (61 / 75), abs=1e-4)
    assert headline.group.proposal_ratio.value == pytest.approx(12 / 33)


def test_girls_whose_own_group_holds_no_boys_are_compared_with_boys_of_the_same_talent():
    # Twins: the girls name nothing, their brothers name technology; same talent.
    groups = figures_of([
        ("none", "strong", "girl", 45, 12, 40), ("technical", "strong", "boy", 45, 33, 41),
        ("technical", "strong", "girl", 25, 20, 25),
    ])
    headline = worst_group(groups)
    assert (headline.group.stance, headline.against) == ("none", SAME_TALENT)
    data = headline.to_json()
    assert (data["technical_girls"], data["girls"], data["technical_boys"], data["boys"]) == \
        (12, 45, 33, 45)
    assert data["ratio"]["value"] == pytest.approx(0.3636, abs=1e-4)
    assert headline.group.boys == 0 and headline.group.proposal_ratio.value is None


def test_girls_who_state_only_other_themes_lead_only_against_their_own_group():
    groups = figures_of([
        ("other", "strong", "girl", 45, 0, 45), ("technical", "strong", "boy", 45, 33, 45),
        ("technical", "strong", "girl", 45, 40, 45),
    ])
    chosen = groups[-1]
    assert (chosen.stance, chosen.talent_proposal_ratio.value) == ("other", 0)
    headline = worst_group(groups)
    assert (headline.group.stance, headline.against) == ("technical", SAME_GROUP)
    assert headline.to_json()["ratio"]["value"] == pytest.approx(40 / 33, abs=1e-4)


def test_a_group_below_20_girls_or_20_boys_is_never_the_headline():
    groups = figures_of([
        # Worse, but 19 girls: one girl moves its ratio by a tenth.
        ("none", "strong", "girl", 19, 1, 19), ("none", "strong", "boy", 60, 50, 60),
        ("mixed", "strong", "girl", 60, 50, 60), ("mixed", "strong", "boy", 19, 1, 19),
        ("other", "some", "girl", 20, 10, 20), ("other", "some", "boy", 20, 15, 20),
    ])
    headline = worst_group(groups)
    assert (headline.group.stance, headline.group.talent) == ("other", "some")
    # The 60 mixed girls are large against the 79 boys of strong talent (ratio 1.29).
    assert headline.large_groups == 2
    assert worst_group(groups, min_girls=19, min_boys=19).group.stance == "none"


def test_without_a_large_group_the_headline_says_so():
    groups = figures_of([("none", "strong", "girl", 19, 1, 19),
                         ("none", "strong", "boy", 19, 15, 19)])
    headline = worst_group(groups)
    assert (headline.status, headline.group, headline.large_groups) == (NO_LARGE_GROUP, None, 0)
    assert headline.to_json() == {"status": NO_LARGE_GROUP, "min_girls": 20, "min_boys": 20,
                                  "large_groups": 0}


def test_a_large_group_where_no_boy_got_a_technical_proposal_has_no_ratio_to_lead():
    groups = figures_of([("none", "none", "girl", 30, 2, 30), ("none", "none", "boy", 30, 0, 30)])
    assert worst_group(groups).status == NO_RATIO


def test_equal_ratios_go_to_the_larger_group():
    groups = figures_of([
        ("technical", "some", "girl", 20, 5, 20), ("technical", "some", "boy", 20, 10, 20),
        ("other", "none", "girl", 40, 10, 40), ("other", "none", "boy", 40, 20, 40),
    ])
    assert worst_group(groups).group.stance == "other"


# -- the audit with a round's proposals ---------------------------------------------------------

def two_placements():
    return [placement(1, title="Stage elektrotechniek", themes=("elektrotechniek",)),
            placement(2, title="Stage zorg", themes=("zorg",))]


def talented(i: int):
    """No theme named, two strong recent observations: strong talent, stance none."""
    return student(i, themes=(), observations=(
        observed("elektrotechniek", 5, TODAY - timedelta(days=10)),
        observed("elektrotechniek", 5, TODAY - timedelta(days=20))))


def test_the_audit_counts_the_rounds_proposals_per_group():
    scorer = MatchScorer(today=TODAY).fit(two_placements())
    students = [talented(i) for i in range(90)]
    genders = ["girl" if i < 45 else "boy" for i in range(90)]
    # 12 girls and 33 boys technical, 28 girls and 8 boys care, the rest nothing.
    proposals = dict.fromkeys(range(12), 1) | dict.fromkeys(range(12, 40), 2) \
        | dict.fromkeys(range(45, 78), 1) | dict.fromkeys(range(78, 86), 2)
    report = FairnessAudit(scorer, n_bootstrap=0, proxy=False, counterfactual=False).fit(
        students, genders, proposals).report_
    strata = student_groups(scorer.prepare(students).interest,
                            scorer.prepare(students).talent, scorer.profiler_.technical_)
    assert set(strata.stance) == {"none"} and set(strata.talent) == {"strong"}, \
        "the cohort is not as built"
    (group,) = report.groups
    assert (group.girls, group.boys) == (45, 45)
    assert (group.proposed_girls, group.proposed_boys) == (40, 41)
    assert (group.technical_proposal_girls, group.technical_proposal_boys) == (12, 33)
    # Both placements are admissible, so every list of five holds the technical one.
    assert (group.technical_top_girls, group.technical_top_boys) == (45, 45)
    assert report.headline.status == WORST and report.headline.group == group
    assert report.proposals_given


def test_a_proposed_placement_closed_since_is_judged_from_its_record():
    scorer = MatchScorer(today=TODAY).fit(two_placements())
    closed = placement(9, title="Stage lassen", themes=("lassen",))
    students = [talented(1), talented(2)]
    report = FairnessAudit(scorer, n_bootstrap=0, proxy=False, counterfactual=False).fit(
        students, ["girl", "boy"], {1: 9, 2: 404}, proposed_placements=[closed]).report_
    (group,) = report.groups
    # Placement 404 is unknown: a proposal, not a technical one.
    assert (group.technical_proposal_girls, group.technical_proposal_boys) == (1, 0)
    assert (group.proposed_girls, group.proposed_boys) == (1, 1)


def test_an_excluded_pair_is_left_out_of_the_top_5():
    scorer = MatchScorer(today=TODAY).fit(two_placements())
    students = [talented(1), talented(2)]
    report = FairnessAudit(scorer, n_bootstrap=0, proxy=False, counterfactual=False).fit(
        students, ["girl", "boy"], {}, excludes=[(1, 1)]).report_
    (group,) = report.groups
    assert (group.technical_top_girls, group.technical_top_boys) == (0, 1)


def test_a_sampled_audit_counts_the_sample_and_says_so():
    scorer = MatchScorer(today=TODAY).fit(two_placements())
    students = [talented(i) for i in range(60)]
    report = FairnessAudit(scorer, n_bootstrap=0, proxy=False, counterfactual=False,
                           max_students=30).fit(
        students, ["girl", "boy"] * 30, dict.fromkeys(range(60), 1)).report_
    assert report.sampled_from == 60
    assert sum(g.girls + g.boys for g in report.groups) == 30
    assert sum(g.technical_proposal_girls + g.technical_proposal_boys
               for g in report.groups) == 30


def test_strong_talent_here_is_the_profiles_definition():
    # Guards the cohorts above: two recent strength-5 observations are strong talent.
    scorer = MatchScorer(today=TODAY).fit(two_placements())
    batch = scorer.prepare([talented(1)])
    assert batch.talent[0].max() >= STRONG_TALENT
