"""Capacity-aware allocation of a cohort's students to placements by deferred acceptance.

Input
-----
``scores`` is a scipy.sparse matrix (students x placements). Every *stored* entry is an
admissible pair (the hard rules passed) and its value is the pair's score; a pair that is not
stored is never assigned (except by a pin). A stored 0.0 is admissible like any other score, so
build the matrix from coordinates, ``csr_array((data, (rows, cols)), shape=...)`` or
``(data, indices, indptr)``, which keep explicit zeros. Beware that ``eliminate_zeros()``,
``csr_array(dense)`` and some arithmetic (``A + B``, ``A.multiply(B)``) drop them: to make a
pair inadmissible, do not store it (or pass it in ``excludes``). Scores must be finite; a pair
may be stored once only.

Preferences
-----------
A student's preference list is their admissible, not excluded placements by descending score;
equal scores are ordered by ``placement_tiebreak_`` (a seeded random rank per placement). A
placement prefers the higher pair score, or the higher *priority* when ``priorities`` is given
(a matrix with exactly the pattern of ``scores``: the student's claim to the place, which may
read other things than the student's own preference; see :mod:`matching.priority`); equal
values are ordered by ``student_tiebreak_`` (a seeded random rank per student, so equal values
do not always favour low ids). The stability below holds with the placements' ranking by
priority.

Runs
----
1. Pins, in the order given. A pin is honoured when its placement still has a free place, even
   if the pair is not stored (the counsellor decided). A pin is reported in ``conflicts_``, and
   not honoured, when the pair is excluded, when earlier pins or a zero capacity took every
   place (capacity is never exceeded), or when the student already has an honoured pin. A
   student whose pins all failed takes part in the passes below like anyone else.
2. First pass: student-proposing deferred acceptance over each student's first
   ``first_pass_k`` preferences, with the places the pins left.
3. Second pass: students still without a placement propose, again by deferred acceptance, down
   the rest of their list to the places left after the first pass; first-pass holders are
   never displaced.

Each pass is the round-based form of Gale-Shapley (every free student proposes to their next
choice at once, each placement keeps its best proposers and holders up to its capacity), which
yields the same student-optimal stable matching as proposing one at a time.

Stability
---------
Let the first-pass list of a student without an honoured pin be the first ``first_pass_k``
placements of their preference list, and their second-pass list the rest. Places taken by pins
are not part of the contest. Then, for the final assignment:

* no student without an honoured pin and placement ``p`` in their first-pass list form a
  blocking pair: if the student prefers ``p`` to what they got (or got nothing), ``p`` has no
  place left and ranks every student it holds from either pass above them;
* among the students the second pass ran for, the same holds for every ``p`` in their
  second-pass list, counting only the second-pass students ``p`` holds (a first-pass holder
  may rank below them: that is the no-displacement rule).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from .keys import INT64_MAX as _INT64_MAX
from .keys import argsort_keys as _argsort_keys
from .keys import combine_keys as _combine_keys
from .keys import dense_rank as _dense_rank

NONE = -1
PINNED, FIRST_PASS, SECOND_PASS = 0, 1, 2


class ConflictReason(StrEnum):
    EXCLUDED = "excluded"
    NO_FREE_PLACE = "no_free_place"
    STUDENT_ALREADY_PINNED = "student_already_pinned"


@dataclass(frozen=True, slots=True)
class PinConflict:
    """A pin that was not honoured."""

    student: int
    placement: int
    reason: ConflictReason


class DeferredAcceptance(BaseEstimator):
    """Allocates students to placements (see the module documentation for the rules).

    Parameters
    ----------
    first_pass_k : how many of their top preferences each student proposes to in the first
        pass; None puts the whole list in the first pass (no second pass).
    random_state : None, int or numpy RandomState, seeds the tie-breaks between equal scores.

    Attributes (after :meth:`fit`)
    ------------------------------
    assignment_ : (n_students,) int64, the assigned placement, -1 for none.
    pass_ : (n_students,) int8, 0 pinned, 1 first pass, 2 second pass, -1 none.
    rank_ : (n_students,) int64, 1-based position of the assigned placement in the student's
        preference list; 0 for a pin to a pair outside that list, -1 for none.
    remaining_ : (n_placements,) int64, places left.
    conflicts_ : tuple of :class:`PinConflict`, the pins not honoured, in the order given.
    student_tiebreak_ : (n_students,) int64, placements prefer the lower value on equal scores.
    placement_tiebreak_ : (n_placements,) int64, students prefer the lower value on equal
        scores.
    n_rounds_ : (int, int), proposal rounds of the first and the second pass.
    """

    def __init__(self, first_pass_k: int | None = 10, random_state=None):
        self.first_pass_k = first_pass_k
        self.random_state = random_state

    def fit(
        self,
        scores,
        capacities,
        pins: Iterable[tuple[int, int]] = (),
        excludes: Iterable[tuple[int, int]] = (),
        priorities=None,
    ) -> DeferredAcceptance:
        k = self._check_first_pass_k()
        stored = _entries(scores)
        n_students, n_placements = stored.n_students, stored.n_placements
        rows, cols, values = stored.rows, stored.cols, stored.values
        claims = values
        if priorities is not None:
            claimed = _entries(priorities)
            claims = claimed.values
            if (claimed.n_students, claimed.n_placements) != (n_students, n_placements) or not (
                    np.array_equal(claimed.rows, rows) and np.array_equal(claimed.cols, cols)):
                raise ValueError("priorities must store exactly the pairs scores stores")
        left = _check_capacities(capacities, n_placements)
        pin_pairs = _check_pairs(pins, n_students, n_placements, "pins")
        exclude_pairs = _check_pairs(excludes, n_students, n_placements, "excludes")
        rng = check_random_state(self.random_state)
        student_tiebreak = rng.permutation(n_students).astype(np.int64)
        placement_tiebreak = rng.permutation(n_placements).astype(np.int64)

        # Entries stay in canonical CSR order, so ``keys`` is sorted and searchable.
        keys = rows * n_placements + cols
        if exclude_pairs.size:
            kept = ~_isin_sorted(keys, exclude_pairs[:, 0] * n_placements + exclude_pairs[:, 1])
            rows, cols, values, keys = rows[kept], cols[kept], values[kept], keys[kept]
            claims = claims[kept] if priorities is not None else values
        n_entries = rows.size

        value_rank, n_values = _dense_rank(-values)
        preference = _argsort_keys([
            (rows, n_students), (value_rank, n_values), (placement_tiebreak[cols], n_placements)
        ])
        row_start = np.zeros(n_students + 1, np.int64)
        np.cumsum(np.bincount(rows, minlength=n_students), out=row_start[1:])
        position = np.empty(n_entries, np.int64)
        position[preference] = np.arange(n_entries) - row_start[rows[preference]] + 1
        # Placements compare students by (priority or score, tie-break): one integer per entry.
        claim_rank, n_claims = (value_rank, n_values) if priorities is None \
            else _dense_rank(-claims)
        placement_key, placement_key_bound = _combine_keys([
            (claim_rank, n_claims), (student_tiebreak[rows], n_students)
        ])

        assignment = np.full(n_students, NONE, np.int64)
        pass_ = np.full(n_students, NONE, np.int8)
        rank = np.full(n_students, NONE, np.int64)

        conflicts = _apply_pins(pin_pairs, exclude_pairs, assignment, left)
        pinned = np.flatnonzero(assignment >= 0)
        pass_[pinned] = PINNED
        rank[pinned] = 0
        if n_entries:
            pin_keys = pinned * n_placements + assignment[pinned]
            at = np.minimum(np.searchsorted(keys, pin_keys), n_entries - 1)
            stored = keys[at] == pin_keys
            rank[pinned[stored]] = position[at[stored]]

        n_rounds = []
        for pass_number in (FIRST_PASS, SECOND_PASS):
            in_window = position <= k if pass_number == FIRST_PASS else position > k
            # Placements without a place left would only reject, so they are skipped up front.
            taking_part = in_window & (assignment[rows] == NONE) & (left[cols] > 0)
            chosen = preference[taking_part[preference]]
            held, rounds = _deferred_acceptance(
                rows[chosen], cols[chosen], placement_key[chosen], placement_key_bound, left)
            held = chosen[held]
            assignment[rows[held]] = cols[held]
            pass_[rows[held]] = pass_number
            rank[rows[held]] = position[held]
            left -= np.bincount(cols[held], minlength=n_placements)
            n_rounds.append(rounds)

        self.assignment_ = assignment
        self.pass_ = pass_
        self.rank_ = rank
        self.remaining_ = left
        self.conflicts_ = tuple(conflicts)
        self.student_tiebreak_ = student_tiebreak
        self.placement_tiebreak_ = placement_tiebreak
        self.n_rounds_ = (n_rounds[0], n_rounds[1])
        return self

    def _check_first_pass_k(self) -> int | float:
        k = self.first_pass_k
        if k is None:
            return np.inf
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
            raise ValueError(f"first_pass_k must be a positive integer or None, got {k!r}")
        return int(k)


def _deferred_acceptance(
    rows: np.ndarray, cols: np.ndarray, placement_key: np.ndarray, key_bound: int,
    capacity: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Student-proposing deferred acceptance, all free students proposing each round.

    The entries are grouped by student, each student's in preference order. Returns the
    indices of the entries held at the end and the number of rounds.
    """
    n_entries = rows.size
    if n_entries == 0:
        return np.empty(0, np.int64), 0
    boundaries = np.flatnonzero(rows[1:] != rows[:-1]) + 1
    first = np.concatenate(([0], boundaries))
    stop = np.concatenate((boundaries, [n_entries]))
    # Students are numbered by their group here, so every array below is as short as it can be.
    student = np.repeat(np.arange(first.size), stop - first)
    if cols.size and int(cols.max()) * key_bound + key_bound - 1 > _INT64_MAX:
        placement_key, key_bound = _dense_rank(placement_key)
    sort_key = cols * key_bound + placement_key

    next_choice = first.copy()
    free = np.arange(first.size)
    held = np.empty(0, np.int64)
    contested = np.zeros(capacity.size, bool)
    rounds = 0
    while True:
        free = free[next_choice[free] < stop[free]]
        if free.size == 0:
            return held, rounds
        rounds += 1
        proposals = next_choice[free]
        next_choice[free] += 1
        # Only placements that received a proposal can change their holders this round.
        contested[cols[proposals]] = True
        reconsidered = contested[cols[held]]
        contested[cols[proposals]] = False
        candidates = np.concatenate((held[reconsidered], proposals))
        candidates = candidates[np.argsort(sort_key[candidates])]
        placement = cols[candidates]
        starts = np.flatnonzero(np.concatenate(([True], placement[1:] != placement[:-1])))
        within = np.arange(candidates.size) - np.repeat(
            starts, np.diff(np.concatenate((starts, [candidates.size]))))
        accepted = within < capacity[placement]
        held = np.concatenate((held[~reconsidered], candidates[accepted]))
        free = student[candidates[~accepted]]


def _apply_pins(
    pins: np.ndarray, excludes: np.ndarray, assignment: np.ndarray, left: np.ndarray,
) -> list[PinConflict]:
    excluded = set(map(tuple, excludes.tolist()))
    seen: set[tuple[int, int]] = set()
    conflicts = []
    for student, placement in pins.tolist():
        # The same pin twice is one decision, not a conflict with itself.
        if (student, placement) in seen:
            continue
        seen.add((student, placement))
        if assignment[student] != NONE:
            reason = ConflictReason.STUDENT_ALREADY_PINNED
        elif (student, placement) in excluded:
            reason = ConflictReason.EXCLUDED
        elif left[placement] == 0:
            reason = ConflictReason.NO_FREE_PLACE
        else:
            assignment[student] = placement
            left[placement] -= 1
            continue
        conflicts.append(PinConflict(student, placement, reason))
    return conflicts


@dataclass(frozen=True, slots=True)
class _Entries:
    """A matrix's shape and its stored (row, col, value) triples in canonical CSR order."""

    n_students: int
    n_placements: int
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray


def _entries(scores) -> _Entries:
    """Shape and the stored (row, col, value) triples in canonical CSR order."""
    if not sp.issparse(scores) or scores.ndim != 2:
        raise TypeError("scores must be a 2-D scipy.sparse matrix whose stored entries are the "
                        "admissible pairs")
    matrix = scores.tocsr()
    if matrix.dtype.kind not in "iuf":
        raise TypeError(f"scores must hold real numbers, got {matrix.dtype}")
    canonical = matrix.has_canonical_format
    if not canonical:
        # Sorting in place would change the caller's matrix.
        matrix = matrix.copy()
        matrix.sort_indices()
    n_students, n_placements = matrix.shape
    rows = np.repeat(np.arange(n_students, dtype=np.int64), np.diff(matrix.indptr))
    cols = matrix.indices.astype(np.int64)
    # Only the order of the values counts: float32 scores stay float32 (ranked faster).
    values = matrix.data if matrix.dtype in (np.float32, np.float64) \
        else matrix.data.astype(np.float64)
    if not np.isfinite(values).all():
        raise ValueError("scores must be finite")
    if not canonical:
        twice = np.flatnonzero((rows[1:] == rows[:-1]) & (cols[1:] == cols[:-1]))
        if twice.size:
            pair = (int(rows[twice[0]]), int(cols[twice[0]]))
            raise ValueError(f"scores stores the pair {pair} more than once")
    return _Entries(n_students, n_placements, rows, cols, values)


def _check_capacities(capacities, n_placements: int) -> np.ndarray:
    array = np.asarray(capacities)
    if array.ndim != 1 or array.shape[0] != n_placements:
        raise ValueError(f"capacities must have one entry per placement ({n_placements}), "
                         f"got shape {array.shape}")
    if array.size and array.dtype.kind not in "iu":
        raise TypeError(f"capacities must be integers, got {array.dtype}")
    if (array < 0).any():
        raise ValueError("capacities must be >= 0")
    return array.astype(np.int64)


def _check_pairs(pairs, n_students: int, n_placements: int, name: str) -> np.ndarray:
    array = np.asarray(pairs if isinstance(pairs, np.ndarray) else list(pairs))
    if array.size == 0:
        return np.empty((0, 2), np.int64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"{name} must be (student, placement) pairs")
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer indices, got {array.dtype}")
    outside = (array[:, 0] < 0) | (array[:, 0] >= n_students) | (array[:, 1] < 0) | (
        array[:, 1] >= n_placements)
    if outside.any():
        pair = tuple(int(i) for i in array[np.argmax(outside)])
        raise ValueError(f"{name} has the pair {pair} outside a "
                         f"{n_students} x {n_placements} matrix")
    return array.astype(np.int64)


def _isin_sorted(sorted_keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of ``sorted_keys`` (ascending) are in ``wanted``, without sorting the long array."""
    wanted = np.unique(wanted)
    at = np.searchsorted(wanted, sorted_keys)
    found = at < wanted.size
    found[found] = wanted[at[found]] == sorted_keys[found]
    return found
