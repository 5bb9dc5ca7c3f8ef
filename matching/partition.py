"""Partitioned matching rounds: one sub-round per region, border placements never booked twice.

A round over many regions is split into one sub-round per region: students only travel so far,
so a region's students meet only the placements within their own travel limits. Each sub-round
is an ordinary :func:`matching.rounds.run_round` (own scorer, fitted on the part's placements)
and can run in its own process or task.

Who reaches what (counted in :mod:`matching.partition_reach`). A student reaches a placement
when the placement takes their level (it names it, or names none), is of a kind they want (or
they named none) and lies within their travel limit (great-circle distance between the postcode
centroids, as the scorer measures it; 1 mm of slack so the plan is never stricter than the
scorer). A placement without a known postcode is within everyone's reach. A student without a
known postcode reaches, for the plan, only such placements; in their region's sub-round the
scorer still offers them every placement of the part, as it would in a round for that region
alone. Periods and scores are left to the sub-rounds.

Sharing a border placement. A placement reached by students of more than one region is a
*border* placement. Its free places are split between those regions in proportion to how many
of each region's students reach it (largest remainder on exact integers; equal remainders go
to the region first in sorted order), so the allotments add up to exactly its free places, and
each region's sub-round is given only its own allotment. A placement reached from one region
goes wholly to it. A counsellor's pin (student, placement) first reserves a place for the
student's region (as many as there are places; more pins than places share them in proportion
to the pins), and the placement is in that region's part even when it lies beyond reach.

The second pass. A region may leave allotted places of a border placement unused while
students of another region who reach it got nothing. :func:`leftover_places` pools those
unused places and :func:`leftover_part` builds one final sub-round: the students without a
proposal (and with something to match on) who reach a pooled place, and only the pooled places.
A student is not offered again a placement their own region left places of unused (they had
it, with a place free, in their own sub-round), so the final sub-round stays small.
Unused places of a placement only one region reaches are not pooled: every student who could
take them was already in that region's sub-round with all of its places.

No double booking. Every sub-round keeps to its own free places (``run_round`` never books a
placement beyond the places it is given), and the allotments plus the pooled leftovers never
exceed a placement's free places, so the merged proposals cannot either. :func:`check_bookings`
counts it anyway on what the sub-rounds hand back, and :func:`merge_results` merges the
sub-rounds' results into one and checks them.

The order of use::

    plan = plan_partitions(students_by_region, placements, free_places, pins=pins)
    for part in plan.parts:  # in parallel, one task per part
        result = run_round(scorer=MatchScorer().fit(placements of part.placement_ids),
                           students=students of part.student_ids,
                           free_places=part.free_places, ...)
        outcome = PartOutcome.of(part.region, result)  # what a task hands back
    final = leftover_part(plan, outcomes, students_by_region, placements)
    # if final.student_ids: run_round it the same way; then
    check = check_bookings(plan, [*outcomes, final_outcome], final=final)  # check.ok

Each sub-round gets the pins and excludes of its own students. Every part's proposals can be
written by its own task; the parts never share a place, a student or a proposal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .partition_reach import (
    SLACK_KM,
    Places,
    people_arrays,
    place_arrays,
    profile_index,
    reach_counts,
    reaches_any,
)
from .records import PlacementRecord, StudentRecord
from .rounds import RoundResult

__all__ = ["SLACK_KM", "BookingCheck", "MergedRound", "PartOutcome", "PartitionPlan",
           "Region", "RegionPart", "apportion", "check_bookings", "leftover_part",
           "leftover_places", "merge_results", "plan_partitions"]

Region = int | str  # a region's id or slug; the keys of one round are of one type


@dataclass(frozen=True, slots=True)
class RegionPart:
    """One sub-round: its students, and the placements and free places allotted to it.

    ``region`` is None for the final sub-round over pooled leftover places. ``student_ids``
    keep the order they were given in; ``placement_ids`` ascend and are exactly the keys of
    ``free_places`` (every allotment is at least one place).
    """

    region: Region | None
    student_ids: tuple[int, ...]
    placement_ids: tuple[int, ...]
    free_places: Mapping[int, int]


@dataclass(frozen=True, slots=True)
class PartitionPlan:
    """A round split per region.

    ``parts`` has one part per region of the round, sorted by region. ``free_places`` holds
    the round's placements with a free place. ``border_reach`` gives, for each border
    placement, how many students of each region reach it (what its places were split by; 0 for
    a region that only pinned it).
    ``unreached`` are placements with free places that no student of the round reaches or
    pinned: no part gets them.
    """

    parts: tuple[RegionPart, ...]
    free_places: Mapping[int, int]
    border_reach: Mapping[int, Mapping[Region, int]]
    unreached: tuple[int, ...]

    @property
    def border(self) -> frozenset[int]:
        return frozenset(self.border_reach)

    def part(self, region: Region) -> RegionPart:
        """The part of ``region``; KeyError for a region not in the round."""
        for part in self.parts:
            if part.region == region:
                return part
        raise KeyError(region)


@dataclass(frozen=True, slots=True)
class PartOutcome:
    """What a sub-round hands back: its proposals as (student id, placement id) pairs and the
    students with nothing to match on (they are not offered the pooled places)."""

    region: Region | None
    proposals: tuple[tuple[int, int], ...]
    insufficient: tuple[int, ...] = ()

    @classmethod
    def of(cls, region: Region | None, result: RoundResult) -> PartOutcome:
        return cls(region, tuple((p.student_id, p.placement_id) for p in result.proposals),
                   tuple(result.insufficient))


@dataclass(frozen=True, slots=True)
class BookingCheck:
    """What a merged round booked beyond its places: nothing, when all is well.

    ``over_booked``: placement id -> proposals beyond the round's free places.
    ``over_allotted``: (region, placement id) -> a part's proposals beyond its allotment.
    ``students_twice``: students proposed in more than one part.
    """

    over_booked: Mapping[int, int]
    over_allotted: Mapping[tuple[Region | None, int], int]
    students_twice: tuple[int, ...]

    @property
    def double_bookings(self) -> int:
        """Places booked beyond the free places, plus students proposed twice."""
        return sum(self.over_booked.values()) + len(self.students_twice)

    @property
    def ok(self) -> bool:
        return not (self.over_booked or self.over_allotted or self.students_twice)


@dataclass(frozen=True, slots=True)
class MergedRound:
    result: RoundResult
    check: BookingCheck


# -- the plan ---------------------------------------------------------------------------------

def plan_partitions(students: Mapping[Region, Sequence[StudentRecord]],
                    placements: Sequence[PlacementRecord], free_places: Mapping[int, int], *,
                    pins: Iterable[tuple[int, int]] = ()) -> PartitionPlan:
    """Split a round into one part per region (the keys of ``students``: each student is in
    their school's region). Placements without a free place are left out. The same input
    gives the same plan, whatever the order of the regions in ``students``."""
    regions = sorted(students)
    cohorts = [students[r] for r in regions]
    offered = sorted((p for p in placements if free_places.get(p.id, 0) > 0),
                     key=lambda p: p.id)
    profiles = profile_index(cohorts)
    people = people_arrays(cohorts, profiles)
    places = place_arrays(offered, profiles)
    demand = reach_counts(people, places, len(regions))
    pinned = _pinned(pins, cohorts, places)
    free = np.array([free_places[p.id] for p in offered], dtype=np.int64)
    allot = _allot(free, demand, pinned)
    reach = (demand > 0) | (pinned > 0)
    ids = places.ids.tolist()
    parts = []
    for r, region in enumerate(regions):
        cols = np.flatnonzero(allot[:, r] > 0)
        parts.append(RegionPart(region, tuple(s.id for s in cohorts[r]),
                                tuple(ids[j] for j in cols),
                                {ids[j]: int(allot[j, r]) for j in cols}))
    border = np.flatnonzero(reach.sum(axis=1) >= 2)
    counts, hits = demand[border].tolist(), reach[border].tolist()
    return PartitionPlan(
        parts=tuple(parts),
        free_places={pid: int(n) for pid, n in zip(ids, free.tolist(), strict=True)},
        border_reach={ids[j]: {regions[r]: counts[k][r] for r, hit in enumerate(hits[k]) if hit}
                      for k, j in enumerate(border.tolist())},
        unreached=tuple(ids[j] for j in np.flatnonzero(~reach.any(axis=1))))


def apportion(total: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each row's ``total`` split over its columns in proportion to ``weights`` (integers):
    largest remainder, equal remainders to the lower column. The shares add up to the total;
    a column of weight 0 gets nothing, and so does a row whose weights are all 0."""
    total = np.asarray(total, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.int64)
    whole = weights.sum(axis=1)
    safe = np.maximum(whole, 1)[:, None]
    exact = total[:, None] * weights
    share, remainder = exact // safe, exact % safe
    missing = np.where(whole > 0, total - share.sum(axis=1), 0)
    order = np.argsort(-remainder, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(weights.shape[1]), order.shape),
                      axis=1)
    return share + (rank < missing[:, None])


def _allot(free: np.ndarray, demand: np.ndarray, pinned: np.ndarray) -> np.ndarray:
    reserved = np.minimum(free, pinned.sum(axis=1))
    # Pinned only, reached by nobody: the rest goes to the pinning regions too.
    weights = np.where((demand.sum(axis=1) > 0)[:, None], demand, pinned)
    return apportion(reserved, pinned) + apportion(free - reserved, weights)


def _pinned(pins: Iterable[tuple[int, int]], cohorts: Sequence[Sequence[StudentRecord]],
            places: Places) -> np.ndarray:
    """Pins per placement and region (pins of students or placements outside the round are
    left to the sub-round, which refuses them)."""
    out = np.zeros((len(places.ids), len(cohorts)), dtype=np.int64)
    pins = list(pins)
    if not pins:
        return out
    pinning = {s for s, _ in pins}
    region_of = {s.id: r for r, cohort in enumerate(cohorts) for s in cohort if s.id in pinning}
    column = {pid: j for j, pid in enumerate(places.ids.tolist())}
    for s, p in set(pins):
        if s in region_of and p in column:
            out[column[p], region_of[s]] += 1
    return out


# -- after the sub-rounds ---------------------------------------------------------------------

def leftover_places(plan: PartitionPlan, outcomes: Iterable[PartOutcome]) -> dict[int, int]:
    """Border placements' places that were allotted to a region and left unused there, pooled
    per placement (ascending ids). Call it when every region's sub-round is done."""
    used = _used(outcomes)
    pooled: Counter[int] = Counter()
    for part in plan.parts:
        for pid in _left_unused(plan, part, used):
            pooled[pid] += part.free_places[pid] - used[(part.region, pid)]
    return dict(sorted(pooled.items()))


def leftover_part(plan: PartitionPlan, outcomes: Iterable[PartOutcome],
                  students: Mapping[Region, Sequence[StudentRecord]],
                  placements: Sequence[PlacementRecord]) -> RegionPart:
    """The final sub-round: the pooled leftover places, offered to the students of the round
    without a proposal (and with something to match on) who reach one of them. A student is
    not offered again a placement their own region left places of unused: they had it, with a
    place free, in their own sub-round. Its ``student_ids`` follow the plan's order; its
    placements are the pooled ones that one of them reaches. Empty when nothing is left or
    nobody left reaches it."""
    outcomes = list(outcomes)
    pooled, used = leftover_places(plan, outcomes), _used(outcomes)
    done = {s for o in outcomes for s, _ in o.proposals}
    done.update(s for o in outcomes for s in o.insufficient)
    offered = sorted((p for p in placements if p.id in pooled), key=lambda p: p.id)
    student_ids: list[int] = []
    reached: set[int] = set()
    for part in plan.parts:
        unused_here = _left_unused(plan, part, used)
        here = [p for p in offered if p.id not in unused_here]
        cohort = students[part.region] if part.region is not None and here else ()
        waiting = [s for s in cohort if s.id not in done]
        if not waiting:
            continue
        profiles = profile_index([waiting])
        people, places = people_arrays([waiting], profiles), place_arrays(here, profiles)
        reaching = np.flatnonzero(reaches_any(people, places))
        demand = reach_counts(people.take(reaching), places, 1)[:, 0]
        student_ids += [waiting[i].id for i in reaching]
        reached.update(places.ids[demand > 0].tolist())
    ids = tuple(sorted(reached))
    return RegionPart(None, tuple(student_ids), ids, {pid: pooled[pid] for pid in ids})


def _used(outcomes: Iterable[PartOutcome]) -> Counter[tuple[Region | None, int]]:
    """Proposals per (region, placement id) of the regions' sub-rounds."""
    return Counter((o.region, pid) for o in outcomes if o.region is not None
                   for _, pid in o.proposals)


def _left_unused(plan: PartitionPlan, part: RegionPart,
                 used: Mapping[tuple[Region | None, int], int]) -> set[int]:
    """The border placements of which ``part`` left allotted places unused."""
    return {pid for pid, places in part.free_places.items()
            if pid in plan.border_reach and places > used.get((part.region, pid), 0)}


def check_bookings(plan: PartitionPlan, outcomes: Iterable[PartOutcome], *,
                   final: RegionPart | None = None) -> BookingCheck:
    """Count, on what the sub-rounds handed back, every place booked beyond the round's free
    places or beyond a part's allotment (``final``: the final part, for its outcome's
    allotment), and every student proposed twice."""
    allotted: dict[Region | None, Mapping[int, int]] = {p.region: p.free_places
                                                        for p in plan.parts}
    if final is not None:
        allotted[None] = final.free_places
    per_part: Counter[tuple[Region | None, int]] = Counter()
    per_student: Counter[int] = Counter()
    for outcome in outcomes:
        for student, pid in outcome.proposals:
            per_part[(outcome.region, pid)] += 1
            per_student[student] += 1
    per_placement: Counter[int] = Counter()
    for (_, pid), n in per_part.items():
        per_placement[pid] += n
    return BookingCheck(
        over_booked={pid: n - plan.free_places.get(pid, 0)
                     for pid, n in sorted(per_placement.items())
                     if n > plan.free_places.get(pid, 0)},
        over_allotted={key: n - allotted.get(key[0], {}).get(key[1], 0)
                       for key, n in per_part.items()
                       if n > allotted.get(key[0], {}).get(key[1], 0)},
        students_twice=tuple(sorted(s for s, n in per_student.items() if n > 1)))


def merge_results(plan: PartitionPlan, results: Mapping[Region | None, RoundResult], *,
                  final: RegionPart | None = None) -> MergedRound:
    """One result from the sub-rounds' results (key None: the final sub-round, built as
    ``final``), in the plan's order, and its booking check. A student proposed in the final
    sub-round no longer counts as unassigned or without an admissible placement."""
    keys: list[Region | None] = [part.region for part in plan.parts if part.region in results]
    regional = [results[key] for key in keys]
    if None in results:
        keys.append(None)
    rounds = [results[key] for key in keys]
    late = {p.student_id for p in results[None].proposals} if None in results else set()

    def still_waiting(field: str) -> tuple[int, ...]:
        return tuple(s for r in regional for s in getattr(r, field) if s not in late)

    merged = RoundResult(
        proposals=tuple(p for r in rounds for p in r.proposals),
        insufficient=tuple(s for r in regional for s in r.insufficient),
        no_admissible=still_waiting("no_admissible"), unassigned=still_waiting("unassigned"),
        refused_pins=tuple(pin for r in rounds for pin in r.refused_pins))
    outcomes = [PartOutcome.of(key, result) for key, result in zip(keys, rounds, strict=True)]
    return MergedRound(merged, check_bookings(plan, outcomes, final=final))
