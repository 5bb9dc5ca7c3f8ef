"""A matching round for a cohort: score, allocate, explain.

Plain data in (a fitted :class:`~matching.scoring.MatchScorer`, student records, free places
per placement id, pins and excludes as id pairs), plain records out. Storing them is the
application's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .allocation import PINNED, DeferredAcceptance
from .records import StudentRecord
from .scoring import MatchScorer, PairScore

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
              random_state: int | None = None, progress: Progress | None = None) -> RoundResult:
    """One proposal per student at most, never more proposals for a placement than its places."""
    students = tuple(students)
    placement_index = {pid: j for j, pid in enumerate(scorer.placement_ids_.tolist())}
    student_index = {s.id: i for i, s in enumerate(students)}
    batch = scorer.prepare(students)
    table = scorer.score(batch, progress=None if progress is None
                         else lambda done, total: progress("scoring", done, total))

    def indexed(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(student_index[s], placement_index[p]) for s, p in pairs
                if s in student_index and p in placement_index]

    capacities = np.array([max(int(free_places.get(pid, 0)), 0)
                           for pid in scorer.placement_ids_.tolist()], dtype=np.int64)
    if progress is not None:
        progress("allocating", 0, 1)
    allocation = DeferredAcceptance(first_pass_k=first_pass_k, random_state=random_state).fit(
        table.scores, capacities, pins=indexed(pins), excludes=indexed(excludes))
    if progress is not None:
        progress("allocating", 1, 1)

    proposals = []
    assigned = np.flatnonzero(allocation.assignment_ >= 0)
    for start in range(0, len(assigned), 2_000):
        rows = assigned[start:start + 2_000]
        cols = allocation.assignment_[rows]
        pinned = allocation.pass_[rows] == PINNED
        for i, j, pair in zip(rows.tolist(), cols.tolist(),
                              scorer.pairs(batch, rows, cols, force=pinned), strict=True):
            proposals.append(Proposal(students[i].id, int(scorer.placement_ids_[j]),
                                      int(allocation.rank_[i]), int(allocation.pass_[i]), pair))
        if progress is not None:
            progress("explaining", min(start + 2_000, len(assigned)), len(assigned))
    unassigned = allocation.assignment_ < 0
    ids = np.array([s.id for s in students], dtype=np.int64)
    return RoundResult(
        proposals=tuple(proposals),
        insufficient=tuple(ids[unassigned & table.insufficient].tolist()),
        no_admissible=tuple(ids[unassigned & ~table.insufficient
                                & (table.admissible == 0)].tolist()),
        unassigned=tuple(ids[unassigned & ~table.insufficient
                             & (table.admissible > 0)].tolist()),
        refused_pins=tuple(
            PinRefused(students[c.student].id, int(scorer.placement_ids_[c.placement]),
                       str(c.reason)) for c in allocation.conflicts_),
    )
