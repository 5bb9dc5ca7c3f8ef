"""School groups to host companies for a group event (Girlsday, Week van de Techniek, PET day).

A capacitated assignment: every group goes whole to one host, a host never receives more
students than its capacity, and travel is kept short.

Rules
-----
* A group goes whole to one host, or stays unassigned. Only a group larger than every host's
  capacity is split over several hosts, all of its students or none of them; each part then
  costs ``split_penalty_km`` extra, so it is split into as few parts as the capacities allow.
* The students received by a host, whole groups and parts together, never exceed its capacity.
* A host may name the age groups it prefers (none: any). Sending it a group of another age
  group is allowed but costs ``age_penalty_km`` per student.

Objective
---------
Lexicographic, solved as two mixed-integer programs (scipy's HiGHS):

1. place as many students as the capacities allow (a group left out is reported, never
   squeezed in);
2. among the assignments that place that many, minimise the cost: student-kilometres of
   travel (the straight-line distance between the school's and the host's postcode centroids,
   times the students who travel it), plus the age and split penalties.

Optimality: when ``optimal_`` is true, the solver proved both steps optimal (step 2 within
``mip_rel_gap`` of the best cost; step 1 exactly, its gap is kept below one student). When a
``time_limit`` ran out first, ``optimal_`` is false and the best assignment found so far is
returned; it still keeps every rule above.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp
from sklearn.base import BaseEstimator

from .geo import distance_km


@dataclass(frozen=True, slots=True)
class SchoolGroup:
    """A class (or part of a year) that travels together."""

    size: int
    postcode: str | None = None
    age_group: str = ""  # "": unknown, never penalised


@dataclass(frozen=True, slots=True)
class HostSite:
    """A company that receives groups, up to ``capacity`` students."""

    capacity: int
    postcode: str | None = None
    age_groups: tuple[str, ...] = ()  # preferred age groups; empty: any


@dataclass(frozen=True, slots=True)
class Part:
    """Students of one group sent to one host (the whole group unless it had to be split)."""

    group: int
    host: int
    students: int
    distance_km: float | None  # None: a postcode is unknown
    preferred: bool  # the host prefers this group's age group (or has no preference)


class GroupAssigner(BaseEstimator):
    """Assigns school groups to host companies (see the module documentation for the rules).

    Parameters
    ----------
    age_penalty_km : what sending a student to a host that prefers other age groups costs,
        in kilometres of travel.
    split_penalty_km : what each part of a split group costs, in student-kilometres.
    unknown_km : the distance counted when a school's or host's postcode is unknown.
    time_limit : seconds each of the two solver steps may take.
    mip_rel_gap : relative optimality gap at which the cost step stops.

    Attributes (after :meth:`fit`)
    ------------------------------
    parts_ : tuple of :class:`Part`, ordered by group, then host.
    placed_ : (n_groups,) int64, students of each group that were placed.
    unassigned_ : tuple of int, groups not (or not completely) placed.
    split_ : tuple of int, groups larger than every host, which may be split.
    distance_km_ : (n_groups, n_hosts) float64, km between school and host (nan: unknown).
    cost_matrix_ : (n_groups, n_hosts) float64, the cost per student of each pairing.
    student_km_ : float, total travel: students times km over every part.
    cost_ : float, the objective of step 2 (travel plus penalties).
    optimal_ : bool, both steps proven optimal (see the module documentation).
    """

    def __init__(self, age_penalty_km: float = 30.0, split_penalty_km: float = 100.0,
                 unknown_km: float = 50.0, time_limit: float = 10.0,
                 mip_rel_gap: float = 1e-3):
        self.age_penalty_km = age_penalty_km
        self.split_penalty_km = split_penalty_km
        self.unknown_km = unknown_km
        self.time_limit = time_limit
        self.mip_rel_gap = mip_rel_gap

    def _check_params(self) -> None:
        for name in ("age_penalty_km", "split_penalty_km", "unknown_km", "mip_rel_gap"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")
        if isinstance(self.time_limit, bool) or not isinstance(self.time_limit, int | float) \
                or not self.time_limit > 0:
            raise ValueError(f"time_limit must be a positive number, not {self.time_limit!r}")

    def fit(self, groups: Sequence[SchoolGroup], hosts: Sequence[HostSite],
            distances=None) -> GroupAssigner:
        """``distances`` (n_groups, n_hosts, km, nan for unknown) overrides the postcodes."""
        self._check_params()
        groups, hosts = tuple(groups), tuple(hosts)
        sizes = _whole_numbers([g.size for g in groups], "group size", minimum=1)
        capacities = _whole_numbers([h.capacity for h in hosts], "host capacity", minimum=0)
        n, m = len(groups), len(hosts)
        if distances is None:
            km = np.array([[_km(g.postcode, h.postcode) for h in hosts] for g in groups],
                          dtype=np.float64).reshape(n, m)
        else:
            km = np.array(distances, dtype=np.float64)
            if km.shape != (n, m) or np.any(km[~np.isnan(km)] < 0) or np.isinf(km).any():
                raise ValueError(f"distances must be a ({n}, {m}) array of km >= 0 or nan")
        preferred = np.array([[not h.age_groups or not g.age_group or g.age_group in h.age_groups
                               for h in hosts] for g in groups], dtype=bool).reshape(n, m)
        cost = np.where(np.isnan(km), self.unknown_km, km) \
            + np.where(preferred, 0.0, self.age_penalty_km)
        largest = int(capacities.max()) if m else 0
        split = sizes > largest
        self.distance_km_, self.cost_matrix_ = km, cost
        self.split_ = tuple(int(i) for i in np.flatnonzero(split))

        self.optimal_ = True
        model = _Model(sizes, capacities, split, cost, float(self.split_penalty_km))
        if model.width == 0:
            solution = np.zeros(0)
        else:
            total = max(int(sizes.sum()), 1)
            first = self._solve(-model.students, model.constraints, model.bounds,
                                gap=min(self.mip_rel_gap, 0.5 / total))
            most = int(round(float(model.students @ first)))
            keep = LinearConstraint(model.students.reshape(1, -1), most, np.inf)
            solution = self._solve(model.price, [*model.constraints, keep], model.bounds,
                                   gap=self.mip_rel_gap, fallback=first)
        self._read(model, solution, sizes, km, preferred, cost)
        return self

    def _solve(self, objective, constraints, bounds, *, gap: float,
               fallback=None) -> np.ndarray:
        result = milp(objective, integrality=np.ones(len(objective)), bounds=bounds,
                      constraints=constraints,
                      options={"time_limit": float(self.time_limit), "mip_rel_gap": gap})
        if result.status != 0:
            self.optimal_ = False
        if result.x is None:
            # Nothing found in time: the first step's assignment, or sending nobody anywhere,
            # still keeps every rule.
            return fallback if fallback is not None else np.zeros(len(objective))
        return np.rint(result.x)

    def _read(self, model: _Model, solution, sizes, km, preferred, cost) -> None:
        sent: dict[tuple[int, int], int] = {}
        for k, (i, j) in enumerate(model.whole):
            if solution[k] > 0.5:
                sent[(i, j)] = int(sizes[i])
        for k, (i, j) in enumerate(model.parted):
            students = int(solution[model.y + k])
            if students > 0:
                sent[(i, j)] = students
        parts = []
        for (i, j), students in sorted(sent.items()):
            distance = None if np.isnan(km[i, j]) else float(km[i, j])
            parts.append(Part(i, j, students, distance, bool(preferred[i, j])))
        self.parts_ = tuple(parts)
        placed = np.zeros(len(sizes), dtype=np.int64)
        for part in parts:
            placed[part.group] += part.students
        self.placed_ = placed
        self.unassigned_ = tuple(int(i) for i in np.flatnonzero(placed < sizes))
        self.student_km_ = float(sum(p.students * (p.distance_km if p.distance_km is not None
                                                   else self.unknown_km) for p in parts))
        n_split_parts = sum(1 for p in parts if p.group in self.split_)
        self.cost_ = float(sum(p.students * cost[p.group, p.host] for p in parts)) \
            + self.split_penalty_km * n_split_parts


class _Model:
    """The integer program. Variables, in this order:

    x[i, j]  whole group i goes to host j (binary; only pairs where the group fits);
    y[i, j]  students of split group i sent to host j (integer, 0 .. min(size, capacity));
    z[i, j]  that part exists (binary), so that each part can cost ``split_penalty_km``;
    w[i]     split group i is placed (binary): all of its students, or none of them.
    """

    def __init__(self, sizes, capacities, split, cost, split_penalty: float):
        n, m = len(sizes), len(capacities)
        self.splits = [int(i) for i in np.flatnonzero(split)]
        self.whole = [(i, j) for i in range(n) if not split[i] for j in range(m)
                      if capacities[j] >= sizes[i]]
        self.parted = [(i, j) for i in self.splits for j in range(m) if capacities[j] > 0]
        nx, ny, nw = len(self.whole), len(self.parted), len(self.splits)
        self.y, self.z, self.w = nx, nx + ny, nx + 2 * ny
        self.width = nx + 2 * ny + nw
        self.part_max = [float(min(sizes[i], capacities[j])) for i, j in self.parted]
        # scipy declares bounds as one float each, though it takes one per variable.
        self.bounds = Bounds(
            np.zeros(self.width),  # pyright: ignore[reportArgumentType]
            np.concatenate([np.ones(nx), self.part_max,
                            np.ones(ny + nw)]))  # pyright: ignore[reportArgumentType]
        self.students = np.concatenate([[float(sizes[i]) for i, _ in self.whole],
                                        np.zeros(2 * ny),
                                        [float(sizes[i]) for i in self.splits]])
        self.price = np.concatenate([[cost[i, j] * sizes[i] for i, j in self.whole],
                                     [cost[i, j] for i, j in self.parted],
                                     np.full(ny, split_penalty), np.zeros(nw)])
        rows = _Rows()
        self._one_host_per_group(rows)
        self._all_or_none(rows, sizes)
        self._parts_exist(rows)
        self._capacities(rows, sizes, capacities)
        self.constraints = rows.constraints(self.width)

    def _one_host_per_group(self, rows: _Rows) -> None:
        """A whole group goes to one host at most."""
        by_group: dict[int, list[int]] = {}
        for k, (i, _) in enumerate(self.whole):
            by_group.setdefault(i, []).append(k)
        for ks in by_group.values():
            rows.add([(k, 1.0) for k in ks], -np.inf, 1.0)

    def _all_or_none(self, rows: _Rows, sizes) -> None:
        """A split group sends all its students or none: sum_j y[i, j] = size * w[i]."""
        for position, i in enumerate(self.splits):
            rows.add([(self.y + k, 1.0) for k, (g, _) in enumerate(self.parted) if g == i]
                     + [(self.w + position, -float(sizes[i]))], 0.0, 0.0)

    def _parts_exist(self, rows: _Rows) -> None:
        """A part sends students only if it exists: y - min(size, capacity) * z <= 0."""
        for k in range(len(self.parted)):
            rows.add([(self.y + k, 1.0), (self.z + k, -self.part_max[k])], -np.inf, 0.0)

    def _capacities(self, rows: _Rows, sizes, capacities) -> None:
        """No host receives more than its capacity."""
        for j in range(len(capacities)):
            rows.add([(k, float(sizes[i])) for k, (i, h) in enumerate(self.whole) if h == j]
                     + [(self.y + k, 1.0) for k, (_, h) in enumerate(self.parted) if h == j],
                     -np.inf, float(capacities[j]))


class _Rows:
    """Linear constraint rows, added one by one: low <= sum(value * x[col]) <= high."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, entries: list[tuple[int, float]], low: float, high: float) -> None:
        for col, val in entries:
            self.rows.append(len(self.lower))
            self.cols.append(col)
            self.vals.append(val)
        self.lower.append(low)
        self.upper.append(high)

    def constraints(self, width: int) -> list[LinearConstraint]:
        if not self.lower:
            return []
        matrix = sp.csr_array((self.vals, (self.rows, self.cols)),
                              shape=(len(self.lower), width))
        # scipy declares the bounds as one float each, though it takes one per row.
        return [LinearConstraint(matrix, self.lower,  # pyright: ignore[reportArgumentType]
                                 self.upper)]  # pyright: ignore[reportArgumentType]


def _km(a: str | None, b: str | None) -> float:
    found = distance_km(a, b) if a and b else None
    return math.nan if found is None else found


def _whole_numbers(values: list, what: str, *, minimum: int) -> np.ndarray:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | np.integer) \
                or value < minimum:
            raise ValueError(f"every {what} must be a whole number >= {minimum}, not {value!r}")
    return np.array(values, dtype=np.int64)
