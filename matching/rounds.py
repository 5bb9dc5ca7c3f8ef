"""A matching round for a cohort: score, allocate, explain.

Plain data in (a fitted :class:`~matching.scoring.MatchScorer`, student records, free places
per placement id, pins and excludes as id pairs), plain records out. Storing them is the
application's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .allocation import PINNED, SECOND_PASS, DeferredAcceptance
from .collector import collection_paused
from .parts import prepare_and_score
from .priority import priorities
from .records import StudentRecord
from .scoring import MatchScorer, PairScore
from .threads import one_blas_thread

# stage ("scoring", "allocating", "explaining"), done, total
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Proposal:
    student_id: int
    placement_id: int
    rank: int  # position in the student's own list (0: a pin outside it)
    pass_: int  # 0 pinned, 1 first pass, 2 second pass
    pair: PairScore

    @property
    def pinned(self) -> bool:
        return self.pass_ == PINNED


@dataclass(frozen=True, slots=True)
class PinRefused:
    student_id: int
    placement_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class RoundResult:
    proposals: tuple[Proposal, ...]
    insufficient: tuple[int, ...]  # nothing to match on yet
    no_admissible: tuple[int, ...]  # no placement passes the hard rules
    unassigned: tuple[int, ...]  # admissible placements, but all taken by others
    refused_pins: tuple[PinRefused, ...]

    @property
    def mean_score(self) -> float:
        return float(np.mean([p.pair.score for p in self.proposals])) if self.proposals else 0.0

    def summary(self) -> dict:
        by_pass = {name: sum(1 for p in self.proposals if p.pass_ == number)
                   for number, name in ((0, "pinned"), (1, "first_pass"), (2, "second_pass"))}
        return {
            "students_proposed": len(self.proposals),
            "places_used": len(self.proposals),
            "mean_score": round(self.mean_score, 4),
            "insufficient": len(self.insufficient),
            "no_admissible": len(self.no_admissible),
            "unassigned": len(self.unassigned),
            "refused_pins": len(self.refused_pins),
            **by_pass,
        }


def run_round(*, scorer: MatchScorer, students: Sequence[StudentRecord],
              free_places: Mapping[int, int], pins: Iterable[tuple[int, int]] = (),
              excludes: Iterable[tuple[int, int]] = (), first_pass_k: int = 10,
              random_state: int | None = None, progress: Progress | None = None,
              n_jobs: int = 1) -> RoundResult:
    """One proposal per student at most, never more proposals for a placement than its places.

    Placements without a free place are left out before scoring, so they do not take up the
    students' candidate lists. Students left without a placement whose list was cut short get
    one more pass over every placement that still has a place. BLAS runs on one thread
    throughout (see :mod:`matching.threads`) and the cyclic garbage collector is paused
    (:mod:`matching.collector`). ``n_jobs`` > 1 prepares and scores the cohort in that many
    processes where this process may fork, else in threads (:mod:`matching.parts`); the
    proposals are the same.
    """
    with one_blas_thread(), collection_paused():
        return _run_round(scorer=scorer, students=students, free_places=free_places,
                          pins=pins, excludes=excludes, first_pass_k=first_pass_k,
                          random_state=random_state, progress=progress, n_jobs=n_jobs)


def _run_round(*, scorer: MatchScorer, students: Sequence[StudentRecord],
               free_places: Mapping[int, int], pins: Iterable[tuple[int, int]],
               excludes: Iterable[tuple[int, int]], first_pass_k: int,
               random_state: int | None, progress: Progress | None,
               n_jobs: int = 1) -> RoundResult:
    students = tuple(students)
    placement_index = {pid: j for j, pid in enumerate(scorer.placement_ids_.tolist())}
    student_index = {s.id: i for i, s in enumerate(students)}
    refused: list[PinRefused] = []

    def indexed(pairs: Iterable[tuple[int, int]], *, report: bool = False
                ) -> list[tuple[int, int]]:
        found = []
        for s, p in pairs:
            if s not in student_index:
                continue
            if p in placement_index:
                found.append((student_index[s], placement_index[p]))
            elif report:
                refused.append(PinRefused(s, p, "not_open"))
        return found

    pin_pairs, exclude_pairs = indexed(pins, report=True), indexed(excludes)
    capacities = np.array([max(int(free_places.get(pid, 0)), 0)
                           for pid in scorer.placement_ids_.tolist()], dtype=np.int64)
    batch, table = prepare_and_score(
        scorer, students, available=capacities > 0, n_jobs=n_jobs,
        progress=None if progress is None
        else lambda done, total: progress("scoring", done, total))
    if progress is not None:
        progress("allocating", 0, 1)
    allocation = DeferredAcceptance(first_pass_k=first_pass_k, random_state=random_state).fit(
        table.scores, capacities, pins=pin_pairs, excludes=exclude_pairs,
        priorities=priorities(scorer, batch, table))
    assignment, pass_, rank = (allocation.assignment_.copy(), allocation.pass_.copy(),
                               allocation.rank_.copy())
    _last_pass(scorer, batch, table, allocation.remaining_, exclude_pairs, random_state,
               assignment, pass_, rank)
    if progress is not None:
        progress("allocating", 1, 1)

    proposals = []
    assigned = np.flatnonzero(assignment >= 0)
    for start in range(0, len(assigned), 2_000):
        rows = assigned[start:start + 2_000]
        cols = assignment[rows]
        for i, j, pair in zip(rows.tolist(), cols.tolist(),
                              scorer.pairs(batch, rows, cols, force=pass_[rows] == PINNED),
                              strict=True):
            assert pair is not None, "an allocated pair passed the hard rules or was pinned"
            proposals.append(Proposal(students[i].id, int(scorer.placement_ids_[j]),
                                      int(rank[i]), int(pass_[i]), pair))
        if progress is not None:
            progress("explaining", min(start + 2_000, len(assigned)), len(assigned))
    left = (assignment < 0) & ~table.insufficient
    options = table.admissible - _excluded_but_admissible(scorer, batch, exclude_pairs, left)
    ids = np.array([s.id for s in students], dtype=np.int64)
    refused += [PinRefused(students[c.student].id, int(scorer.placement_ids_[c.placement]),
                           str(c.reason)) for c in allocation.conflicts_]
    return RoundResult(
        proposals=tuple(proposals),
        insufficient=tuple(ids[(assignment < 0) & table.insufficient].tolist()),
        no_admissible=tuple(ids[left & (options <= 0)].tolist()),
        unassigned=tuple(ids[left & (options > 0)].tolist()),
        refused_pins=tuple(refused),
    )


def _last_pass(scorer: MatchScorer, batch, table, remaining: np.ndarray,
               excludes: list[tuple[int, int]], random_state, assignment: np.ndarray,
               pass_: np.ndarray, rank: np.ndarray, max_rounds: int = 20) -> None:
    """Students without a placement whose candidate list was cut short (more admissible
    placements than ``candidates_k``) propose again to the placements with a place left,
    until they all have one, no place is left, or a pass places nobody.

    A student whose whole list fitted in a pass and who was still left out is not asked
    again: every placement on it was full of students it preferred (or excluded for them), and
    places only get fewer, so the next pass could only offer a part of the same list. Who is
    asked decides the seeded tie-break, so equal scores may fall otherwise than they would if
    everyone were asked again.
    """
    remaining = remaining.copy()
    admissible = table.admissible
    for _ in range(max_rounds):
        again = np.flatnonzero((assignment < 0) & (admissible > scorer.candidates_k))
        if not len(again) or not remaining.any():
            return
        local = {int(i): n for n, i in enumerate(again)}
        sub = scorer.score(batch.take(again), available=remaining > 0)
        excluded = [(local[i], j) for i, j in excludes if i in local]
        second = DeferredAcceptance(first_pass_k=None, random_state=random_state).fit(
            sub.scores, remaining, excludes=excluded,
            priorities=priorities(scorer, batch.take(again), sub))
        got = second.assignment_ >= 0
        if not got.any():
            return
        assignment[again[got]] = second.assignment_[got]
        pass_[again[got]] = SECOND_PASS
        rank[again[got]] = second.rank_[got]
        remaining = second.remaining_
        admissible = np.zeros_like(table.admissible)
        admissible[again] = sub.admissible


def _excluded_but_admissible(scorer: MatchScorer, batch, excludes: list[tuple[int, int]],
                             rows: np.ndarray) -> np.ndarray:
    """Per student, excluded pairs that the hard rules would have allowed (only for ``rows``)."""
    counts = np.zeros(len(batch.students), dtype=np.int64)
    wanted = [(i, j) for i, j in excludes if rows[i]]
    if wanted:
        pairs = scorer.pairs(batch, [i for i, _ in wanted], [j for _, j in wanted])
        for (i, _), pair in zip(wanted, pairs, strict=True):
            counts[i] += pair is not None
    return counts
