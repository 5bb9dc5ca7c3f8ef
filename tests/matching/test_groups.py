"""School groups to host companies: capacities, whole groups, splits, travel."""

from __future__ import annotations

import dataclasses
import math
import random
from itertools import product

import numpy as np
import pytest

from matching.geo import distance_km
from matching.groups import GroupAssigner, HostSite, Part, SchoolGroup


def random_instance(rng: random.Random, *, max_groups: int = 8, max_hosts: int = 5,
                    max_size: int = 30):
    groups = [SchoolGroup(rng.randint(1, max_size), age_group=rng.choice(["", "po", "vo"]))
              for _ in range(rng.randint(0, max_groups))]
    hosts = [HostSite(rng.randint(0, max_size),
                      age_groups=tuple(rng.sample(["po", "vo"], rng.randint(0, 2))))
             for _ in range(rng.randint(0, max_hosts))]
    distances = np.array([[rng.uniform(0, 40) if rng.random() > 0.1 else math.nan
                           for _ in hosts] for _ in groups]).reshape(len(groups), len(hosts))
    return groups, hosts, distances


def check_rules(assigner: GroupAssigner, groups, hosts) -> None:
    """Every rule of the assignment, whatever the instance."""
    largest = max((h.capacity for h in hosts), default=0)
    received = [0] * len(hosts)
    parts_of: dict[int, list[Part]] = {}
    for part in assigner.parts_:
        assert part.students >= 1
        received[part.host] += part.students
        parts_of.setdefault(part.group, []).append(part)
    for host, count in zip(hosts, received, strict=True):
        assert count <= host.capacity
    for i, group in enumerate(groups):
        parts = parts_of.get(i, [])
        placed = sum(p.students for p in parts)
        # All of a group or none of it.
        assert placed in (0, group.size)
        assert assigner.placed_[i] == placed
        assert (i in assigner.unassigned_) == (placed == 0)
        if group.size <= largest:
            assert len(parts) <= 1 and i not in assigner.split_
        else:
            assert i in assigner.split_
        assert len({p.host for p in parts}) == len(parts)


def test_no_host_ever_receives_more_than_its_capacity_over_many_random_instances():
    rng = random.Random(7)
    for _ in range(300):
        groups, hosts, distances = random_instance(rng)
        assigner = GroupAssigner().fit(groups, hosts, distances=distances)
        check_rules(assigner, groups, hosts)
        assert assigner.optimal_


def brute_force(groups, hosts, cost, split_penalty):
    """(most students placed, lowest cost among those) by trying every assignment."""
    largest = max((h.capacity for h in hosts), default=0)
    best = (-1, math.inf)

    def options(i, left):
        size = groups[i].size
        yield (), 0.0, 0
        if size <= largest:
            for j, free in enumerate(left):
                if free >= size:
                    yield ((j, size),), cost[i][j] * size, size
            return
        for split in product(*[range(min(size, free) + 1) for free in left]):
            if sum(split) == size:
                parts = tuple((j, s) for j, s in enumerate(split) if s)
                yield parts, sum(cost[i][j] * s for j, s in parts) + \
                    split_penalty * len(parts), size

    def walk(i, left, placed, total):
        nonlocal best
        if i == len(groups):
            if placed > best[0] or (placed == best[0] and total < best[1] - 1e-9):
                best = (placed, total)
            return
        for parts, price, students in options(i, left):
            remaining = list(left)
            for j, s in parts:
                remaining[j] -= s
            walk(i + 1, remaining, placed + students, total + price)

    walk(0, [h.capacity for h in hosts], 0, 0.0)
    return best


def test_the_assignment_places_the_most_students_and_travels_least_as_brute_force_shows():
    rng = random.Random(11)
    checked_splits = 0
    for _ in range(250):
        groups, hosts, distances = random_instance(rng, max_groups=4, max_hosts=3, max_size=7)
        assigner = GroupAssigner(mip_rel_gap=0.0, split_penalty_km=5.0).fit(
            groups, hosts, distances=distances)
        placed, cost = brute_force(groups, hosts, assigner.cost_matrix_, 5.0)
        assert int(assigner.placed_.sum()) == placed
        assert assigner.cost_ == pytest.approx(cost, abs=1e-6)
        checked_splits += bool(assigner.split_)
        check_rules(assigner, groups, hosts)
    assert checked_splits > 20  # the brute force saw splitting too


def test_a_group_that_fits_a_host_is_never_split_even_when_that_leaves_it_out():
    groups = [SchoolGroup(20), SchoolGroup(20)]
    hosts = [HostSite(25), HostSite(15), HostSite(10)]
    assigner = GroupAssigner().fit(groups, hosts, distances=np.zeros((2, 3)))
    assert len(assigner.parts_) == 1 and assigner.parts_[0].host == 0
    assert assigner.split_ == () and len(assigner.unassigned_) == 1


def test_a_group_larger_than_every_host_is_split_into_as_few_parts_as_possible():
    groups = [SchoolGroup(50)]
    hosts = [HostSite(30), HostSite(30), HostSite(30)]
    distances = np.array([[5.0, 6.0, 7.0]])
    assigner = GroupAssigner().fit(groups, hosts, distances=distances)
    assert assigner.split_ == (0,)
    assert [(p.host, p.students) for p in assigner.parts_] == [(0, 30), (1, 20)]
    assert assigner.unassigned_ == ()


def test_a_split_group_goes_all_or_nothing():
    groups = [SchoolGroup(50)]
    hosts = [HostSite(30), HostSite(15)]
    assigner = GroupAssigner().fit(groups, hosts, distances=np.zeros((1, 2)))
    assert assigner.parts_ == () and assigner.unassigned_ == (0,)


def test_as_many_students_as_possible_are_placed_before_travel_counts():
    groups = [SchoolGroup(20), SchoolGroup(15), SchoolGroup(10)]
    hosts = [HostSite(25)]
    distances = np.array([[1.0], [30.0], [30.0]])
    assigner = GroupAssigner().fit(groups, hosts, distances=distances)
    assert sorted(p.group for p in assigner.parts_) == [1, 2]
    assert assigner.unassigned_ == (0,)


def test_travel_is_kept_short():
    groups = [SchoolGroup(20, postcode="6901"), SchoolGroup(20, postcode="7001")]
    hosts = [HostSite(25, postcode="7002"), HostSite(25, postcode="6902")]
    assigner = GroupAssigner().fit(groups, hosts)
    assert [(p.group, p.host) for p in assigner.parts_] == [(0, 1), (1, 0)]
    expected = 20 * (distance_km("6901", "6902") + distance_km("7001", "7002"))
    assert assigner.student_km_ == pytest.approx(expected)
    assert assigner.parts_[0].distance_km == pytest.approx(distance_km("6901", "6902"))


def test_a_preferred_age_group_wins_unless_the_detour_is_too_long():
    groups = [SchoolGroup(20, age_group="primary")]
    hosts = [HostSite(25, age_groups=("upper_secondary",)), HostSite(25, age_groups=("primary",))]
    near = GroupAssigner(age_penalty_km=30).fit(groups, hosts, distances=[[2.0, 10.0]])
    assert near.parts_[0].host == 1 and near.parts_[0].preferred
    far = GroupAssigner(age_penalty_km=30).fit(groups, hosts, distances=[[2.0, 50.0]])
    assert far.parts_[0].host == 0 and not far.parts_[0].preferred


def test_an_unknown_postcode_counts_as_the_unknown_distance():
    groups = [SchoolGroup(10, postcode="0000"), SchoolGroup(10, postcode="6901")]
    hosts = [HostSite(10, postcode="6902"), HostSite(10, postcode=None)]
    assigner = GroupAssigner(unknown_km=40).fit(groups, hosts)
    assert np.isnan(assigner.distance_km_[0]).all()
    assert [(p.group, p.host) for p in assigner.parts_] == [(0, 1), (1, 0)]
    assert assigner.parts_[0].distance_km is None
    assert assigner.cost_matrix_[0, 0] == 40


def test_results_are_frozen_and_nothing_is_assigned_without_hosts():
    assigner = GroupAssigner().fit([SchoolGroup(5)], [])
    assert assigner.parts_ == () and assigner.unassigned_ == (0,)
    part = Part(0, 0, 5, 1.0, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        part.students = 6
    assert GroupAssigner().fit([], [HostSite(3)]).parts_ == ()


@pytest.mark.parametrize("groups, hosts, distances", [
    ([SchoolGroup(0)], [HostSite(5)], None),
    ([SchoolGroup(2.5)], [HostSite(5)], None),
    ([SchoolGroup(True)], [HostSite(5)], None),
    ([SchoolGroup(5)], [HostSite(-1)], None),
    ([SchoolGroup(5)], [HostSite(5)], [[1.0, 2.0]]),
    ([SchoolGroup(5)], [HostSite(5)], [[-1.0]]),
    ([SchoolGroup(5)], [HostSite(5)], [[math.inf]]),
])
def test_bad_input_is_refused(groups, hosts, distances):
    with pytest.raises(ValueError):
        GroupAssigner().fit(groups, hosts, distances=distances)


@pytest.mark.parametrize("params", [{"age_penalty_km": -1}, {"unknown_km": math.nan},
                                    {"time_limit": 0}, {"split_penalty_km": True}])
def test_bad_parameters_are_refused(params):
    with pytest.raises(ValueError):
        GroupAssigner(**params).fit([SchoolGroup(5)], [HostSite(5)])
