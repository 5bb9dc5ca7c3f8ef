"""Naming the hard rules a pair breaks agrees with the engine leaving the pair out."""

from __future__ import annotations

from datetime import date

import numpy as np

from matching.hard_rules import broken_rules
from matching.scoring import MatchScorer

from .records import TODAY, placement, student

PLACEMENTS = [
    placement(1),                                              # passes every rule
    placement(2, levels=("mbo_4",)),                           # level
    placement(3, kind="bbl_apprenticeship"),                   # kind
    placement(4, postcode="9999"),                             # distance (or unknown place)
    placement(5, postcode="1781"),                             # distance: Den Helder
    placement(6, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 31)),  # period
    placement(7, levels=("mbo_4",), starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 30)),
]


def rules_of(record):
    scorer = MatchScorer(today=TODAY).fit(PLACEMENTS)
    batch = scorer.prepare([record])
    scores = scorer.score_one(record, batch)
    found = {}
    for j, placement_id in enumerate(scorer.placement_ids_.tolist()):
        pair = scorer.pair(record, j, batch=batch, force=True)
        found[placement_id] = (bool(np.isfinite(scores[j])),
                               broken_rules(scorer, batch, 0, j, pair.distance_km))
    return found


def test_a_pair_is_left_out_exactly_when_a_rule_is_named():
    for record in (student(wanted_kinds=("bol_internship",)), student(), student(level="mbo_4")):
        for placement_id, (scored, broken) in rules_of(record).items():
            assert scored == (broken == ()), (record.level, placement_id, broken)


def test_each_rule_is_named_for_the_pair_that_breaks_it():
    found = rules_of(student(wanted_kinds=("bol_internship",)))
    assert found[1][1] == ()
    assert found[2][1] == ("level",)
    assert found[3][1] == ("kind",)
    assert found[5][1] == ("distance",)
    assert found[6][1] == ("period",)
    assert found[7][1] == ("level", "period")
