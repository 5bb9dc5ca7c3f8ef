"""The allocation ranks float32 scores by a packed sort; it allocates as with float64 scores."""

import numpy as np
import scipy.sparse as sp

from matching.allocation import DeferredAcceptance
from matching.keys import argsort_float32, dense_rank


def test_the_packed_sort_orders_float32_values_as_numbers_equal_ones_by_position():
    rng = np.random.default_rng(3)
    values = np.concatenate([
        rng.standard_normal(5000), [0.0, np.inf, -np.inf, 1e-45, -1e-45, 3.4e38, -3.4e38],
        np.round(rng.random(3000), 2)]).astype(np.float32)
    order = argsort_float32(values)
    assert sorted(order.tolist()) == list(range(len(values)))
    assert np.array_equal(values[order], np.sort(values))
    ties = values[order][1:] == values[order][:-1]
    assert ties.any() and (order[1:][ties] > order[:-1][ties]).all()


def test_dense_ranks_of_float32_scores_are_those_of_the_same_scores_in_float64():
    values = np.round(np.random.default_rng(4).random(20_000), 3).astype(np.float32)
    ranks, count = dense_rank(-values)
    ranks64, count64 = dense_rank(-values.astype(np.float64))
    assert count == count64 < len(values)
    assert np.array_equal(ranks, ranks64)


def test_a_round_on_float32_scores_allocates_as_on_float64_scores():
    rng = np.random.default_rng(5)
    dense = np.round(rng.random((300, 40)), 2) * (rng.random((300, 40)) < 0.3)
    scores32 = sp.csr_matrix(dense.astype(np.float32))
    scores64 = sp.csr_matrix(dense.astype(np.float64))
    capacities = rng.integers(0, 4, 40)
    a = DeferredAcceptance(first_pass_k=3, random_state=0).fit(scores32, capacities)
    b = DeferredAcceptance(first_pass_k=3, random_state=0).fit(scores64, capacities)
    assert np.array_equal(a.assignment_, b.assignment_) and (a.assignment_ >= 0).sum() > 50
    assert np.array_equal(a.rank_, b.rank_) and np.array_equal(a.pass_, b.pass_)
