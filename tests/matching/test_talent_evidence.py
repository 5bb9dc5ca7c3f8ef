"""Talent is evidence in its own right: what a scout saw places technical work in reach."""

from __future__ import annotations

import numpy as np

from matching.profiles import interest_stance, talent_level, theme_fit
from matching.recommend import recommend
from matching.rounds import run_round
from matching.scoring import MatchScorer

from .records import TODAY, observed, placement, student, took_part

CARE = {"title": "Stage zorg", "themes": ("zorg",), "company": "Zorggroep Liemers"}
ELECTRO = {"title": "Stage elektrotechniek", "themes": ("elektrotechniek",)}


def ranking(scorer, record):
    scores = scorer.score_one(record)
    return [scorer.placements_[j].id for j in np.argsort(-scores, kind="stable")
            if np.isfinite(scores[j])]


def care_and_electro(n_care: int = 1, **electro):
    care = [placement(100 + i, **CARE) for i in range(n_care)]
    return MatchScorer(today=TODAY).fit([placement(1, **{**ELECTRO, **electro}), *care])


STRONG = (observed("elektrotechniek", strength=5, skills="solderen"),)


def test_strong_talent_leads_for_an_undecided_student():
    scorer = care_and_electro()
    assert ranking(scorer, student(themes=(), observations=STRONG))[0] == 1


def test_strong_talent_leads_for_a_student_with_mixed_interests():
    scorer = care_and_electro()
    mixed = student(themes=("zorg", "ict-programmeren"), observations=STRONG)
    assert ranking(scorer, mixed)[0] == 1


def test_an_explicit_interest_elsewhere_leads_the_ranking():
    scorer = care_and_electro()
    assert ranking(scorer, student(themes=("zorg",), observations=STRONG))[0] == 100


def test_a_girl_with_her_brothers_talent_but_no_stated_theme_scores_as_he_does():
    scorer = care_and_electro()
    brother = student(1, themes=("elektrotechniek",), observations=STRONG)
    sister = student(2, themes=(), observations=STRONG)
    assert scorer.score_one(sister)[0] == scorer.score_one(brother)[0]


def test_weak_evidence_beside_stated_interests_counts_but_does_not_stand_for_a_choice():
    scorer = care_and_electro()
    chose = scorer.score_one(student(themes=("elektrotechniek", "zorg")))[0]
    took = scorer.score_one(student(themes=("ict-programmeren", "zorg"),
                                    participations=(took_part("elektrotechniek"),)))[0]
    said_nothing = scorer.score_one(student(themes=("ict-programmeren", "zorg")))[0]
    assert said_nothing < took < chose


def test_theme_fit_counts_talent_in_full_on_the_side_the_student_stated_or_when_undecided():
    technical = np.array([True, False])
    interest = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=np.float32)
    talent = np.full((4, 2), 0.0, dtype=np.float32)
    talent[:, 0] = 0.78  # strong technical talent for everyone
    found = theme_fit(interest, talent, technical, strong=0.65, respect=0.5)
    fit, evidence = found.fit, found.evidence
    assert fit[:, 0].tolist() == [1.0, 1.0, 0.5, 1.0]
    assert np.allclose(evidence[:, 0], [0.78, 0.78, 0.39, 0.78])
    assert fit[2, 1] == 1.0  # the stated care interest itself


def test_stance_and_talent_level_name_the_audit_strata():
    technical = np.array([True, False])
    interest = np.array([[0, 0], [1, 0], [0, 0.8], [1, 1], [0.3, 0]], dtype=np.float32)
    assert interest_stance(interest, technical).tolist() == [
        "none", "technical", "other", "mixed", "none"]
    talent = np.array([[0, 0.9], [0.3, 0], [0.7, 0]], dtype=np.float32)
    assert talent_level(talent, technical).tolist() == ["none", "some", "strong"]


def recommended(scorer, records, **options):
    batch = scorer.prepare(records)
    return recommend(scorer, batch, scorer.score(batch), **options)


def test_talent_led_work_stays_in_the_top_five_beside_an_explicit_other_interest():
    # Ten care placements nearer home than the one electrical placement.
    scorer = care_and_electro(n_care=10, postcode="6951")
    listed = recommended(scorer, [student(themes=("zorg",), observations=STRONG)]).row(0)
    ids = [scorer.placements_[col].id for col, _score, _led in listed]
    assert len(ids) == 5 and ids[0] >= 100
    assert ids[1] == 1 and listed[1][2] is True
    assert not any(led for _col, _score, led in listed[2:])


def test_without_strong_talent_the_list_is_the_plain_ranking():
    scorer = care_and_electro(n_care=10, postcode="6951")
    weak = student(themes=("zorg",), observations=(observed("elektrotechniek", strength=2),))
    listed = recommended(scorer, [weak]).row(0)
    assert [scorer.placements_[col].id for col, _s, _l in listed] == list(range(100, 105))


def test_a_snuffelstage_nearly_as_good_takes_the_talent_place():
    places = [placement(100 + i, **CARE) for i in range(10)]
    places += [placement(1, **ELECTRO, postcode="6951"),
               placement(2, **ELECTRO, postcode="6951", kind="snuffelstage")]
    scorer = MatchScorer(today=TODAY).fit(places)
    listed = recommended(scorer, [student(themes=("zorg",), observations=STRONG,
                                          wanted_kinds=())]).row(0)
    assert scorer.placements_[listed[1][0]].id == 2


def test_an_excluded_pair_is_never_listed():
    scorer = care_and_electro(n_care=3)
    listed = recommended(scorer, [student(themes=(), observations=STRONG)],
                         exclude={0: {0}}).row(0)
    assert 0 not in [col for col, _s, _l in listed]


def test_in_a_round_the_undecided_twin_gets_technical_work_as_often_as_her_brother():
    # Two technical places for four students: twins compete on equal terms.
    places = [placement(1, **ELECTRO), placement(2, **ELECTRO),
              *[placement(100 + i, **CARE) for i in range(4)]]
    scorer = MatchScorer(today=TODAY).fit(places)
    people = [student(1, themes=("elektrotechniek",), observations=STRONG),
              student(2, themes=(), observations=STRONG),
              student(3, themes=("elektrotechniek",), observations=STRONG),
              student(4, themes=(), observations=STRONG)]
    technical = {1, 2}
    counts = {"brothers": 0, "sisters": 0}
    for seed in range(40):
        result = run_round(scorer=scorer, students=people,
                           free_places={p.id: 1 for p in places}, random_state=seed)
        for proposal in result.proposals:
            if proposal.pair.placement_id in technical:
                counts["brothers" if proposal.student_id % 2 else "sisters"] += 1
    assert counts["sisters"] >= 0.8 * counts["brothers"] > 0, counts


def test_an_undecided_students_weak_evidence_fits_as_well_as_her_brothers_stated_choice():
    scorer = care_and_electro()
    weak = (observed("elektrotechniek", strength=2),)
    brother = student(1, themes=("elektrotechniek",), observations=weak)
    sister = student(2, themes=(), observations=weak)
    assert scorer.score_one(sister)[0] == scorer.score_one(brother)[0]
    # A student who said "zorg" is not undecided: weak evidence elsewhere stays weak.
    care = scorer.score_one(student(3, themes=("zorg",), observations=weak))
    assert care[0] < care[1]


def test_a_mixed_student_with_talent_on_one_side_has_that_side_first():
    technical = np.array([True, True, False])
    interest = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 1.0]], dtype=np.float32)
    talent = np.array([[0.0, 0.78, 0.0], [0.0, 0.0, 0.0]], dtype=np.float32)
    fit = theme_fit(interest, talent, technical, strong=0.65, respect=0.5).fit
    # Strong technical talent: the stated care side counts half, both technical sides in full.
    assert fit[0].tolist() == [1.0, 1.0, 0.5]
    # Without talent nothing leans.
    assert fit[1].tolist() == [1.0, 0.0, 1.0]


def test_a_mixed_student_whose_stated_care_words_match_still_gets_technical_work_first():
    scorer = MatchScorer(today=TODAY).fit([
        placement(1, **ELECTRO, postcode="6951"),
        placement(100, **CARE, description="Mensen helpen in de zorg")])
    mixed = student(themes=("zorg", "ict-programmeren"), interests="mensen helpen in de zorg",
                    observations=STRONG)
    assert ranking(scorer, mixed)[0] == 1


def test_when_no_work_of_the_strong_theme_is_in_reach_the_students_other_talent_leads():
    places = [placement(100 + i, **CARE) for i in range(10)]
    places += [placement(1, title="Stage timmeren", themes=("bouw",), levels=("vmbo_bb",)),
               placement(2, title="Stage robots", themes=("robotica",), postcode="6951")]
    scorer = MatchScorer(today=TODAY).fit(places)
    talent = (observed("bouw", strength=5), observed("robotica", strength=2))
    listed = recommended(scorer, [student(themes=("zorg",), observations=talent)]).row(0)
    assert scorer.placements_[listed[1][0]].id == 2 and listed[1][2] is True
