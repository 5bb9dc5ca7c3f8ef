from collections import deque

import numpy as np
import pytest
import scipy.sparse as sp

from matching import allocation
from matching.allocation import (
    FIRST_PASS,
    NONE,
    PINNED,
    SECOND_PASS,
    ConflictReason,
    DeferredAcceptance,
    PinConflict,
)

SEEDS = range(200)


def random_instance(seed, with_pins=True):
    """A small instance with ties (scores from a few values), stored zeros, pins and excludes."""
    rng = np.random.default_rng(seed)
    n_students, n_placements = int(rng.integers(5, 13)), int(rng.integers(2, 7))
    admissible = rng.random((n_students, n_placements)) < rng.uniform(0.3, 0.9)
    rows, cols = np.nonzero(admissible)
    values = rng.choice([0.0, 0.5, 1.0, 2.0], size=rows.size)
    scores = sp.csr_array((values, (rows, cols)), shape=(n_students, n_placements))
    capacities = rng.integers(0, 4, size=n_placements)
    pins, excludes = [], []
    if with_pins:
        for _ in range(rng.integers(0, 4)):
            pins.append((int(rng.integers(n_students)), int(rng.integers(n_placements))))
        for _ in range(rng.integers(0, 4)):
            excludes.append((int(rng.integers(n_students)), int(rng.integers(n_placements))))
        if pins and rng.random() < 0.3:
            excludes.append(pins[0])
    k = int(rng.integers(1, 4))
    return scores, capacities, pins, excludes, k


def pair_scores(scores, excludes):
    """{student: {placement: score}} for the admissible, not excluded pairs."""
    coo = scores.tocoo()
    table = {s: {} for s in range(scores.shape[0])}
    for s, p, v in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
        table[s][p] = v
    for s, p in excludes:
        table[s].pop(p, None)
    return table


def preference_lists(table, placement_tiebreak):
    return {s: sorted(row, key=lambda p, row=row: (-row[p], placement_tiebreak[p]))
            for s, row in table.items()}


def reference(scores, capacities, pins, excludes, k, student_tiebreak, placement_tiebreak):
    """Plain queue-based Gale-Shapley, one proposal at a time, with the same rules."""
    table = pair_scores(scores, excludes)
    lists = preference_lists(table, placement_tiebreak)
    left = [int(c) for c in capacities]
    assignment, passes, conflicts = {}, {}, []
    for s, p in dict.fromkeys(pins):
        if s in assignment:
            conflicts.append(PinConflict(s, p, ConflictReason.STUDENT_ALREADY_PINNED))
        elif (s, p) in excludes:
            conflicts.append(PinConflict(s, p, ConflictReason.EXCLUDED))
        elif left[p] == 0:
            conflicts.append(PinConflict(s, p, ConflictReason.NO_FREE_PLACE))
        else:
            assignment[s], passes[s] = p, PINNED
            left[p] -= 1

    def gale_shapley(proposers, choices):
        queue, next_choice, held = deque(proposers), dict.fromkeys(proposers, 0), {}
        while queue:
            s = queue.popleft()
            if next_choice[s] == len(choices[s]):
                continue
            p = choices[s][next_choice[s]]
            next_choice[s] += 1
            holders = sorted(held.get(p, []) + [s],
                             key=lambda t, p=p: (-table[t][p], student_tiebreak[t]))
            held[p] = holders[:left[p]]
            queue.extend(holders[left[p]:])
        return {s: p for p, holders in held.items() for s in holders}

    for number, window in ((FIRST_PASS, slice(None, k)), (SECOND_PASS, slice(k, None))):
        proposers = [s for s in lists if s not in assignment]
        matched = gale_shapley(proposers, {s: lists[s][window] for s in proposers})
        for s, p in matched.items():
            assignment[s], passes[s] = p, number
            left[p] -= 1
    return assignment, passes, left, conflicts


def fit(scores, capacities, pins=(), excludes=(), k=10, seed=0):
    return DeferredAcceptance(first_pass_k=k, random_state=seed).fit(
        scores, capacities, pins=pins, excludes=excludes)


def assert_valid(model, scores, capacities, pins, excludes, k):
    table = pair_scores(scores, excludes)
    lists = preference_lists(table, model.placement_tiebreak_)
    used = np.bincount(model.assignment_[model.assignment_ >= 0], minlength=scores.shape[1])
    assert (used <= capacities).all()
    assert (model.remaining_ == capacities - used).all()
    for s, p in enumerate(model.assignment_.tolist()):
        if model.pass_[s] == PINNED:
            assert (s, p) in pins and (s, p) not in excludes
        elif model.pass_[s] == FIRST_PASS:
            assert p in lists[s][:k]
        elif model.pass_[s] == SECOND_PASS:
            assert p in lists[s][k:]
        else:
            assert p == NONE and model.rank_[s] == NONE
        if p != NONE:
            expected_rank = lists[s].index(p) + 1 if p in lists[s] else 0
            assert model.rank_[s] == expected_rank


def assert_stable(model, scores, excludes, k):
    """The stability statement of the module documentation, by brute force over all pairs."""
    table = pair_scores(scores, excludes)
    lists = preference_lists(table, model.placement_tiebreak_)
    assignment, passes = model.assignment_.tolist(), model.pass_.tolist()

    def placement_rank(p, s):
        return (-table[s][p], model.student_tiebreak_[s])

    holders = {}
    for t, q in enumerate(assignment):
        holders.setdefault(q, []).append(t)

    def blocks(s, p, counted_passes):
        got = assignment[s]
        if got != NONE and lists[s].index(p) >= lists[s].index(got):
            return False
        if model.remaining_[p] > 0:
            return True
        return any(placement_rank(p, t) > placement_rank(p, s)
                   for t in holders.get(p, []) if passes[t] in counted_passes)

    for s in range(scores.shape[0]):
        if passes[s] == PINNED:
            continue
        for p in lists[s][:k]:
            assert not blocks(s, p, (FIRST_PASS, SECOND_PASS)), (s, p)
        if passes[s] != FIRST_PASS:
            for p in lists[s][k:]:
                assert not blocks(s, p, (SECOND_PASS,)), (s, p)


@pytest.mark.parametrize("with_pins", [False, True])
def test_no_blocking_pair_and_no_overbooking_on_random_instances(with_pins):
    for seed in SEEDS:
        scores, capacities, pins, excludes, k = random_instance(seed, with_pins)
        model = fit(scores, capacities, pins, excludes, k, seed)
        assert_valid(model, scores, capacities, pins, excludes, k)
        assert_stable(model, scores, excludes, k)


def test_equals_a_one_proposal_at_a_time_reference_on_random_instances():
    for seed in SEEDS:
        scores, capacities, pins, excludes, k = random_instance(seed)
        model = fit(scores, capacities, pins, excludes, k, seed)
        assignment, passes, left, conflicts = reference(
            scores, capacities, pins, excludes, k,
            model.student_tiebreak_.tolist(), model.placement_tiebreak_.tolist())
        n_students = scores.shape[0]
        assert model.assignment_.tolist() == [assignment.get(s, NONE) for s in range(n_students)]
        assert model.pass_.tolist() == [passes.get(s, NONE) for s in range(n_students)]
        assert model.remaining_.tolist() == left
        assert list(model.conflicts_) == conflicts


def test_larger_instances_with_many_rounds_equal_the_reference_and_are_stable():
    rng = np.random.default_rng(7)
    for seed in range(5):
        n_students, n_placements = 300, 40
        scores = sp.random_array((n_students, n_placements), density=0.3, rng=rng, format="csr")
        # Some placements appeal to everybody, so they fill in the first pass and the second
        # pass has work to do elsewhere; one decimal makes ties.
        appeal = rng.random(n_placements)
        scores.data = np.round(scores.data / 2 + appeal[scores.indices], 1)
        capacities = rng.integers(0, 12, size=n_placements)
        model = fit(scores, capacities, k=4, seed=seed)
        assignment, _, _, _ = reference(scores, capacities, [], [], 4,
                                        model.student_tiebreak_.tolist(),
                                        model.placement_tiebreak_.tolist())
        assert model.assignment_.tolist() == [assignment.get(s, NONE) for s in range(n_students)]
        assert model.n_rounds_[0] > 3 and model.n_rounds_[1] > 1
        assert_valid(model, scores, capacities, [], [], 4)
        assert_stable(model, scores, [], 4)


def test_keys_too_large_for_one_integer_give_the_same_allocation(monkeypatch):
    expected = {}
    for seed in range(40):
        scores, capacities, pins, excludes, k = random_instance(seed)
        expected[seed] = fit(scores, capacities, pins, excludes, k, seed).assignment_.tolist()
    # With a tiny limit every combined sort key "overflows" and the ranked fallbacks run.
    monkeypatch.setattr(allocation, "_INT64_MAX", 10)
    for seed in range(40):
        scores, capacities, pins, excludes, k = random_instance(seed)
        assert fit(scores, capacities, pins, excludes, k, seed).assignment_.tolist() == (
            expected[seed])


def test_a_popular_placement_with_one_place_goes_to_one_student_the_others_spread():
    n_students = 6
    rows = np.repeat(np.arange(n_students), 4)
    cols = np.tile(np.arange(4), n_students)
    # Everybody ranks placement 0 first; student 3 has the best score for it.
    values = np.tile([1.0, 0.5, 0.4, 0.3], n_students)
    values[3 * 4] = 1.5
    scores = sp.csr_array((values, (rows, cols)), shape=(n_students, 4))
    model = fit(scores, np.array([1, 2, 2, 2]), k=10)
    assert (model.assignment_ == 0).sum() == 1
    assert model.assignment_[3] == 0 and model.rank_[3] == 1
    assert (model.assignment_ >= 1).sum() == n_students - 1
    assert model.remaining_.tolist() == [0, 0, 0, 1]


def test_the_second_pass_places_a_student_whose_first_choices_were_full():
    # Student 1 loses placement 0 (one place) to student 0; with k=1 the second pass
    # reaches placement 1 further down student 1's list.
    scores = sp.csr_array(([0.9, 0.8, 0.3], ([0, 1, 1], [0, 0, 1])), shape=(2, 2))
    model = fit(scores, np.array([1, 1]), k=1)
    assert model.assignment_.tolist() == [0, 1]
    assert model.pass_.tolist() == [FIRST_PASS, SECOND_PASS]
    assert model.rank_.tolist() == [1, 2]
    assert model.n_rounds_ == (1, 1)


def test_the_second_pass_never_displaces_a_first_pass_holder():
    # Student 1 scores higher at placement 1 than student 0 holds it with, but placement 1
    # is only on student 1's second-pass list.
    scores = sp.csr_array(([0.2, 0.9, 0.8, 0.95], ([0, 1, 1, 2], [1, 0, 1, 0])), shape=(3, 2))
    model = fit(scores, np.array([1, 1]), k=1)
    assert model.assignment_.tolist() == [1, NONE, 0]
    assert model.pass_.tolist() == [FIRST_PASS, NONE, FIRST_PASS]


def test_stored_zeros_are_admissible_and_missing_pairs_are_not():
    scores = sp.csr_array(([0.0, 0.0], ([0, 1], [0, 1])), shape=(3, 2))
    assert scores.nnz == 2
    model = fit(scores, np.array([2, 2]))
    assert model.assignment_.tolist() == [0, 1, NONE]


def test_pins_come_first_use_capacity_and_report_what_they_cannot_honour():
    scores = sp.csr_array(np.array([[1.0, 0.5], [1.0, 0.5], [1.0, 0.5], [1.0, 0.5]]))
    pins = [(3, 0), (2, 0), (2, 0), (1, 1), (1, 0), (0, 1)]
    model = fit(scores, np.array([1, 2]), pins=pins, excludes=[(0, 1)])
    # Student 3's pin takes placement 0's only place, so student 2's pin cannot be honoured;
    # student 2 then competes normally and gets the place student 1's pin left.
    assert model.assignment_.tolist() == [NONE, 1, 1, 0]
    assert model.pass_.tolist() == [NONE, PINNED, FIRST_PASS, PINNED]
    assert model.rank_.tolist() == [NONE, 2, 2, 1]
    assert model.remaining_.tolist() == [0, 0]
    assert model.conflicts_ == (
        PinConflict(2, 0, ConflictReason.NO_FREE_PLACE),
        PinConflict(1, 0, ConflictReason.STUDENT_ALREADY_PINNED),
        PinConflict(0, 1, ConflictReason.EXCLUDED),
    )


def test_a_pin_outside_the_admissible_pairs_is_honoured_with_rank_zero():
    scores = sp.csr_array(([1.0], ([0], [0])), shape=(2, 2))
    model = fit(scores, np.array([1, 1]), pins=[(1, 1)])
    assert model.assignment_.tolist() == [0, 1]
    assert model.rank_.tolist() == [1, 0]


def test_a_pin_to_a_placement_without_places_never_overbooks():
    scores = sp.csr_array(np.ones((3, 2)))
    model = fit(scores, np.array([0, 1]), pins=[(0, 0), (1, 1), (2, 1)])
    assert model.assignment_.tolist() == [NONE, 1, NONE]
    assert model.remaining_.tolist() == [0, 0]
    assert [c.reason for c in model.conflicts_] == [ConflictReason.NO_FREE_PLACE] * 2


def test_excluded_pairs_are_never_assigned():
    scores = sp.csr_array(np.array([[1.0, 0.1], [0.5, 0.1]]))
    model = fit(scores, np.array([2, 2]), excludes=[(0, 0), (1, 1)])
    assert model.assignment_.tolist() == [1, 0]
    assert model.rank_.tolist() == [1, 1]


def test_the_same_seed_gives_the_same_result_and_the_seed_breaks_ties():
    # Six students with equal scores for one place: the tie-break alone decides.
    scores = sp.csr_array(np.ones((6, 1)))
    winners = set()
    for seed in range(20):
        first = fit(scores, np.array([1]), seed=seed)
        again = fit(scores, np.array([1]), seed=seed)
        assert first.assignment_.tolist() == again.assignment_.tolist()
        assert (first.student_tiebreak_ == again.student_tiebreak_).all()
        winners.add(int(np.flatnonzero(first.assignment_ == 0)[0]))
    assert len(winners) > 1
    # One student with equal scores for three placements: the seed picks the placement.
    choices = {int(fit(sp.csr_array(np.ones((1, 3))), np.ones(3, int), seed=seed).assignment_[0])
               for seed in range(20)}
    assert len(choices) > 1


def test_a_random_state_instance_is_accepted():
    scores = sp.csr_array(np.ones((4, 2)))
    model = DeferredAcceptance(random_state=np.random.RandomState(3)).fit(scores, [1, 1])
    assert (model.assignment_ >= 0).sum() == 2


def test_first_pass_k_none_puts_the_whole_list_in_the_first_pass():
    scores = sp.csr_array(([0.9, 0.8, 0.3], ([0, 1, 1], [0, 0, 1])), shape=(2, 2))
    model = fit(scores, np.array([1, 1]), k=None)
    assert model.pass_.tolist() == [FIRST_PASS, FIRST_PASS]
    assert model.n_rounds_ == (2, 0)


@pytest.mark.parametrize(("shape", "capacities"), [
    ((0, 3), [1, 2, 0]), ((4, 0), []), ((0, 0), []), ((3, 2), [0, 0]),
])
def test_empty_inputs(shape, capacities):
    scores = sp.csr_array(np.ones(shape))
    model = fit(scores, np.array(capacities, dtype=int), pins=[(0, 0)] if 0 not in shape else [])
    assert model.assignment_.tolist() == [NONE] * shape[0]
    assert model.pass_.tolist() == [NONE] * shape[0]
    assert model.remaining_.tolist() == capacities
    assert model.n_rounds_ == (0, 0)


def test_the_inputs_are_not_changed():
    scores = sp.csr_array(([0.5, 1.0], [1, 0], [0, 2]), shape=(1, 2))  # unsorted indices
    capacities = np.array([1, 1])
    model = fit(scores, capacities)
    assert model.assignment_.tolist() == [0]
    assert scores.indices.tolist() == [1, 0]
    assert capacities.tolist() == [1, 1]


def test_fit_returns_self_and_init_only_stores_the_parameters():
    model = DeferredAcceptance(first_pass_k=0, random_state=1)
    assert vars(model) == {"first_pass_k": 0, "random_state": 1}
    with pytest.raises(ValueError, match="first_pass_k"):
        model.fit(sp.csr_array(np.ones((1, 1))), [1])
    model = DeferredAcceptance()
    assert model.fit(sp.csr_array(np.ones((1, 1))), [1]) is model


@pytest.mark.parametrize(("scores", "capacities", "pins", "error", "match"), [
    (np.ones((2, 2)), [1, 1], [], TypeError, "scipy.sparse"),
    (sp.csr_array(np.full((1, 1), np.nan)), [1], [], ValueError, "finite"),
    (sp.csr_array(([1.0, 2.0], [0, 0], [0, 2]), shape=(1, 1)), [1], [], ValueError, "once"),
    (sp.csr_array(np.ones((1, 2))), [1], [], ValueError, "one entry per placement"),
    (sp.csr_array(np.ones((1, 2))), [1, -1], [], ValueError, ">= 0"),
    (sp.csr_array(np.ones((1, 2))), [1.5, 1], [], TypeError, "integers"),
    (sp.csr_array(np.ones((1, 2))), [1, 1], [(1, 0)], ValueError, "outside"),
    (sp.csr_array(np.ones((1, 2))), [1, 1], [(0, 1, 2)], ValueError, "pairs"),
])
def test_bad_inputs_are_refused(scores, capacities, pins, error, match):
    with pytest.raises(error, match=match):
        fit(scores, np.array(capacities), pins=pins)
