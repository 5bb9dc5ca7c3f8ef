"""Partitioned rounds: who reaches what, how border places are split, the final pass, and
that the merged round never books a place twice."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.geo import distance_km, postcodes
from matching.partition import (
    SLACK_KM,
    PartitionPlan,
    PartOutcome,
    RegionPart,
    apportion,
    check_bookings,
    leftover_part,
    leftover_places,
    merge_results,
    plan_partitions,
)
from matching.records import PlacementRecord, StudentRecord
from matching.rounds import run_round
from matching.scoring import MatchScorer

from .records import TODAY, placement, student

# A 40 km strip from Arnhem (west) through the Liemers to the Achterhoek (east).
STRIP = [p.pc4 for p in sorted(
    (p for p in postcodes().values() if 51.85 <= p.lat <= 52.05 and 5.85 <= p.lon <= 6.45),
    key=lambda p: (p.lon, p.pc4))][::4]
# Each region's students live in its own stretch; the stretches overlap a little.
STRETCH = {"a": STRIP[:12], "b": STRIP[8:20], "c": STRIP[16:]}
LEVELS = ("mbo_2", "mbo_3", "hbo")
KINDS = ("bol_internship", "bbl_apprenticeship")


def reaches(s: StudentRecord, p: PlacementRecord) -> bool:
    """The documented rule, pair by pair."""
    if p.levels and s.level not in p.levels:
        return False
    if s.wanted_kinds and p.kind not in s.wanted_kinds:
        return False
    if p.postcode is None:
        return True
    if s.postcode is None:
        return False
    km = distance_km(s.postcode, p.postcode)
    return km is not None and km <= s.travel_km + SLACK_KM


def reach_by_region(students, p: PlacementRecord) -> dict[str, int]:
    counts = {r: sum(reaches(s, p) for s in cohort) for r, cohort in students.items()}
    return {r: n for r, n in counts.items() if n}


@st.composite
def instances(draw):
    ids = iter(range(1, 10_000))
    students = {}
    for region, stretch in STRETCH.items():
        students[region] = [
            StudentRecord(id=next(ids), level=draw(st.sampled_from(LEVELS)),
                          wanted_kinds=tuple(draw(st.sets(st.sampled_from(KINDS)))),
                          postcode=draw(st.none() | st.sampled_from(stretch)),
                          travel_km=float(draw(st.integers(0, 30))))
            for _ in range(draw(st.integers(0, 12)))]
    placements = [
        PlacementRecord(id=j, kind=draw(st.sampled_from(KINDS)), title="Stage",
                        levels=tuple(draw(st.sets(st.sampled_from(LEVELS), max_size=2))),
                        postcode=draw(st.none() | st.sampled_from(STRIP)))
        for j in range(1, draw(st.integers(1, 15)) + 1)]
    free = {p.id: draw(st.integers(0, 5)) for p in placements}
    return students, placements, free


def allotted(plan: PartitionPlan) -> Counter:
    total: Counter = Counter()
    for part in plan.parts:
        total.update(part.free_places)
    return total


@settings(max_examples=80, deadline=None)
@given(instances())
def test_allotments_add_up_to_the_free_places_and_follow_who_reaches_them(instance):
    students, placements, free = instance
    plan = plan_partitions(students, placements, free)
    total = allotted(plan)
    for p in placements:
        reach = reach_by_region(students, p)
        if free[p.id] <= 0:
            assert p.id not in plan.free_places and p.id not in total
            continue
        shares = {part.region: part.free_places.get(p.id, 0) for part in plan.parts}
        if not reach:
            assert p.id in plan.unreached and total[p.id] == 0
        elif len(reach) == 1:
            assert shares[next(iter(reach))] == free[p.id] == total[p.id]
            assert p.id not in plan.border_reach
        else:
            assert plan.border_reach[p.id] == reach and total[p.id] == free[p.id]
            whole = sum(reach.values())
            for region, share in shares.items():
                assert abs(share - free[p.id] * reach.get(region, 0) / whole) < 1
    for part in plan.parts:
        assert list(part.placement_ids) == sorted(part.free_places)
        assert all(n > 0 for n in part.free_places.values())
        assert part.student_ids == tuple(s.id for s in students[part.region])


def greedy(part: RegionPart, students, placements) -> PartOutcome:
    """A sub-round that books every place it can (an adversary for the booking rules), where
    every third pair is ruled out as a period would be: the plan does not see that, so some
    allotted places stay unused."""
    left = dict(part.free_places)
    by_id = {p.id: p for p in placements}
    everyone = {s.id: s for cohort in students.values() for s in cohort}
    proposals = []
    for sid in part.student_ids:
        for pid in part.placement_ids:
            if left[pid] and reaches(everyone[sid], by_id[pid]) and (sid + pid) % 3:
                left[pid] -= 1
                proposals.append((sid, pid))
                break
    return PartOutcome(part.region, tuple(proposals))


@settings(max_examples=80, deadline=None)
@given(instances())
def test_merged_parts_and_the_final_pass_never_book_a_place_twice(instance):
    students, placements, free = instance
    plan = plan_partitions(students, placements, free)
    outcomes = [greedy(part, students, placements) for part in plan.parts]
    pooled = leftover_places(plan, outcomes)
    final = leftover_part(plan, outcomes, students, placements)
    outcomes.append(greedy(final, students, placements))
    check = check_bookings(plan, outcomes, final=final)
    assert check.ok and check.double_bookings == 0
    booked = Counter(pid for o in outcomes for _, pid in o.proposals)
    assert all(n <= free[pid] for pid, n in booked.items())
    proposed = [s for o in outcomes for s, _ in o.proposals]
    assert len(proposed) == len(set(proposed))
    # The final pass offers pooled border places only, and only to students left without one.
    assert set(final.free_places) <= set(pooled) <= plan.border
    assert all(final.free_places[pid] == pooled[pid] for pid in final.free_places)
    assert not set(final.student_ids) & {s for o in outcomes[:-1] for s, _ in o.proposals}
    # Each is offered a pooled placement they reach that their own region did not leave unused.
    region_of = {s.id: r for r, cohort in students.items() for s in cohort}
    everyone = {s.id: s for cohort in students.values() for s in cohort}
    by_id = {p.id: p for p in placements}
    used = Counter((o.region, pid) for o in outcomes[:-1] for _, pid in o.proposals)
    for sid in final.student_ids:
        own = plan.part(region_of[sid]).free_places
        assert any(reaches(everyone[sid], by_id[pid])
                   and used[(region_of[sid], pid)] >= own.get(pid, 0)
                   for pid in final.placement_ids)


def test_a_placement_only_one_region_reaches_goes_wholly_to_it():
    students = {"a": [student(1, postcode="6515", travel_km=5.0)],
                "b": [student(2, postcode="7071", travel_km=5.0)]}
    plan = plan_partitions(students, [placement(1, postcode="6515")], {1: 3})
    assert plan.part("a").free_places == {1: 3} and plan.part("b").free_places == {}
    assert plan.border == frozenset() and plan.unreached == ()


def test_a_border_placement_is_split_by_how_many_of_each_region_reach_it():
    # 6903 Zevenaar lies between the two; three students of a reach it, one of b.
    students = {"a": [student(i, postcode="6515", travel_km=30.0) for i in (1, 2, 3)],
                "b": [student(4, postcode="7071", travel_km=30.0),
                      student(5, postcode="7071", travel_km=2.0)]}
    plan = plan_partitions(students, [placement(1, postcode="6903")], {1: 4})
    assert plan.border_reach == {1: {"a": 3, "b": 1}}
    assert plan.part("a").free_places == {1: 3} and plan.part("b").free_places == {1: 1}


def test_a_placement_without_a_postcode_is_shared_by_the_students_whose_level_it_takes():
    students = {"a": [student(1, level="mbo_2"), student(2, level="hbo")],
                "b": [student(3, level="mbo_2", postcode=None)]}
    plan = plan_partitions(students, [placement(1, postcode=None, levels=("mbo_2",))], {1: 2})
    assert plan.border_reach == {1: {"a": 1, "b": 1}}
    assert plan.part("a").free_places == plan.part("b").free_places == {1: 1}


def test_a_pin_reserves_a_place_for_its_region_even_beyond_reach():
    students = {"a": [student(1, postcode="6515", travel_km=1.0)],
                "b": [student(i, postcode="7071", travel_km=5.0) for i in (2, 3, 4)]}
    plan = plan_partitions(students, [placement(1, postcode="7071")], {1: 2}, pins=[(1, 1)])
    assert plan.part("a").free_places == {1: 1} and plan.part("b").free_places == {1: 1}


def test_equal_remainders_go_to_the_first_region_and_the_shares_add_up():
    shares = apportion(np.array([1, 3, 5, 0]), np.array([[1, 1], [2, 1], [0, 0], [4, 1]]))
    assert shares.tolist() == [[1, 0], [2, 1], [0, 0], [0, 0]]
    weights = np.random.default_rng(4).integers(0, 50, size=(200, 6))
    totals = np.random.default_rng(5).integers(0, 30, size=200)
    split = apportion(totals, weights)
    assert (split.sum(axis=1) == np.where(weights.sum(axis=1) > 0, totals, 0)).all()
    assert (split[weights == 0] == 0).all()


def test_the_plan_is_the_same_whatever_the_order_of_the_regions():
    rng = np.random.default_rng(7)
    students = {r: [student(100 * k + i, postcode=str(rng.choice(stretch)),
                            travel_km=float(rng.integers(3, 25))) for i in range(20)]
                for k, (r, stretch) in enumerate(STRETCH.items())}
    places = [placement(j, postcode=str(rng.choice(STRIP))) for j in range(1, 30)]
    free = {j: int(rng.integers(1, 4)) for j in range(1, 30)}
    plan = plan_partitions(students, places, free)
    assert plan == plan_partitions(dict(reversed(students.items())), places[::-1], free)
    assert [part.region for part in plan.parts] == ["a", "b", "c"]


def test_the_booking_check_counts_places_booked_twice_and_students_proposed_twice():
    students = {"a": [student(1), student(2)], "b": [student(3)]}
    plan = plan_partitions(students, [placement(1)], {1: 2})
    assert plan.part("a").free_places == {1: 1} and plan.part("b").free_places == {1: 1}
    check = check_bookings(plan, [PartOutcome("a", ((1, 1), (2, 1))),
                                  PartOutcome("b", ((3, 1), (1, 1)))])
    assert check.over_booked == {1: 2} and check.over_allotted == {("a", 1): 1, ("b", 1): 1}
    assert check.students_twice == (1,) and check.double_bookings == 3 and not check.ok


def test_places_one_region_leaves_unused_go_to_another_regions_student_in_the_final_pass():
    # Zevenaar's one place: two Arnhem students reach it (so a gets it) but are free only
    # after it ends; the Doetinchem student who also reaches it gets it in the final pass
    # (the two are not offered it again: they had it in their own sub-round).
    places = [placement(1, postcode="6903"), placement(2, postcode="6515", title="Anders",
                                                       themes=("bouw",))]
    students = {
        "a": [student(i, postcode="6515", available_from=date(2026, 7, 1),
                      available_until=date(2026, 12, 31)) for i in (1, 2)],
        "b": [student(3, postcode="7005")]}
    plan = plan_partitions(students, places, {1: 1, 2: 1})
    assert plan.part("a").free_places == {1: 1, 2: 1} and plan.part("b").free_places == {}
    by_id = {p.id: p for p in places}
    everyone = {s.id: s for cohort in students.values() for s in cohort}
    results = {}
    for part in plan.parts:
        scorer = MatchScorer(today=TODAY).fit([by_id[j] for j in part.placement_ids])
        results[part.region] = run_round(scorer=scorer,
                                         students=[everyone[i] for i in part.student_ids],
                                         free_places=part.free_places, random_state=0)
    outcomes = [PartOutcome.of(region, result) for region, result in results.items()]
    assert results["a"].proposals == () and leftover_places(plan, outcomes) == {1: 1}
    final = leftover_part(plan, outcomes, students, places)
    assert final.student_ids == (3,) and final.free_places == {1: 1}
    scorer = MatchScorer(today=TODAY).fit([by_id[1]])
    results[None] = run_round(scorer=scorer, students=[everyone[i] for i in final.student_ids],
                              free_places=final.free_places, random_state=0)
    merged = merge_results(plan, results, final=final)
    assert [(p.student_id, p.placement_id) for p in merged.result.proposals] == [(3, 1)]
    assert merged.check.ok and set(merged.result.no_admissible) == {1, 2}
