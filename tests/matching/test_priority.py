"""Placements give a contested place by evidence and practical fit, not by what students say."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from matching.allocation import DeferredAcceptance
from matching.priority import priorities
from matching.scoring import MatchScorer

from .records import TODAY, observed, placement, student

STRONG = (observed("elektrotechniek", strength=5, skills="solderen"),)


def test_a_placement_prefers_the_higher_priority_when_priorities_are_given():
    # Both students want the one place most; student 0 has the higher score, 1 the priority.
    scores = sp.csr_array(np.array([[0.9, 0.5], [0.8, 0.4]]))
    claims = sp.csr_array(np.array([[0.2, 0.2], [0.7, 0.7]]))
    by_score = DeferredAcceptance(random_state=0).fit(scores, np.array([1, 1]))
    by_claim = DeferredAcceptance(random_state=0).fit(scores, np.array([1, 1]),
                                                      priorities=claims)
    assert by_score.assignment_.tolist() == [0, 1]
    assert by_claim.assignment_.tolist() == [1, 0]


def test_priorities_must_store_exactly_the_scored_pairs():
    scores = sp.csr_array(np.array([[0.9, 0.5], [0.8, 0.0]]))
    claims = sp.csr_array(np.array([[0.2, 0.2], [0.7, 0.7]]))
    with pytest.raises(ValueError, match="exactly the pairs"):
        DeferredAcceptance().fit(scores, np.array([1, 1]), priorities=claims)


def test_twins_with_the_same_talent_have_the_same_claim_whatever_they_state():
    scorer = MatchScorer(today=TODAY).fit([placement(1), placement(2, postcode="6951")])
    brother = student(1, themes=("elektrotechniek",), interests="elektrotechniek is mijn ding",
                      observations=STRONG)
    sister = student(2, themes=(), observations=STRONG)
    batch = scorer.prepare([brother, sister])
    table = scorer.score(batch)
    assert table.scores[0, 0] > table.scores[1, 0]  # he said more: his own list ranks higher
    claims = priorities(scorer, batch, table).toarray()
    assert claims[0].tolist() == claims[1].tolist() and (claims > 0).all()


def test_observed_talent_raises_the_claim_and_distance_lowers_it():
    scorer = MatchScorer(today=TODAY).fit([placement(1), placement(2, postcode="6951")])
    batch = scorer.prepare([student(1, observations=STRONG), student(2)])
    claims = priorities(scorer, batch, scorer.score(batch)).toarray()
    assert claims[0, 0] > claims[1, 0]
    assert claims[0, 0] > claims[0, 1]
