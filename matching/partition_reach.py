"""Who reaches what, for :mod:`matching.partition`: students and placements as arrays, and
how many students of each region reach each placement, without a students x placements matrix.

A student reaches a placement when the placement takes their level (it names it, or names none),
is of a kind they want (or they named none) and lies within their travel limit: the
great-circle distance between the postcode centroids, as the scorer measures it, with 1 mm of
slack so that the plan is never stricter than the scorer. A placement without a known postcode
is within everyone's reach; a student without a known postcode reaches only such placements.
What a student can take (their level and the kinds they want) is their *profile*; students are
counted per profile, and a placement takes some profiles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.neighbors import BallTree

from .geo import EARTH_RADIUS_KM
from .records import PlacementRecord, StudentRecord
from .score_inputs import points

Profile = tuple[str, tuple[str, ...]]  # a level, and the kinds wanted (sorted; none: every kind)
SLACK_KM = 1e-6  # the plan reaches 1 mm further than the scorer, never less far
_SPOTS_PER_CHUNK = 128  # student postcodes whose neighbourhoods are counted at once


@dataclass(frozen=True, slots=True)
class People:
    """Students as arrays: region index, profile index, point (radians, nan: unknown), km."""

    region: np.ndarray
    profile: np.ndarray
    point: np.ndarray
    travel: np.ndarray

    def take(self, rows: np.ndarray) -> People:
        return People(self.region[rows], self.profile[rows], self.point[rows],
                      self.travel[rows])


@dataclass(frozen=True, slots=True)
class Places:
    """Placements as arrays: id, which profiles each takes, point."""

    ids: np.ndarray
    accepts: np.ndarray
    point: np.ndarray = field(repr=False)


def profile_of(student: StudentRecord) -> Profile:
    return student.level, tuple(sorted(student.wanted_kinds))


def profile_index(cohorts: Sequence[Sequence[StudentRecord]]) -> dict[Profile, int]:
    """Every profile of the students, numbered in sorted order."""
    found = {profile_of(s) for cohort in cohorts for s in cohort}
    return {profile: i for i, profile in enumerate(sorted(found))}


def people_arrays(cohorts: Sequence[Sequence[StudentRecord]],
                  profiles: Mapping[Profile, int]) -> People:
    """The students of each cohort (region index: the cohort's position) as arrays."""
    everyone = [s for cohort in cohorts for s in cohort]
    return People(
        region=np.repeat(np.arange(len(cohorts)), [len(c) for c in cohorts]).astype(np.int64),
        profile=np.array([profiles[profile_of(s)] for s in everyone], dtype=np.int64),
        point=points([s.postcode for s in everyone]),
        travel=np.array([max(s.travel_km, 0.0) for s in everyone], dtype=np.float64))


def place_arrays(placements: Sequence[PlacementRecord],
                 profiles: Mapping[Profile, int]) -> Places:
    """The placements as arrays, with the profiles each takes: one that names no level takes
    every level, a student who names no kind wants every kind."""
    signatures: dict[tuple[tuple[str, ...], str], int] = {}
    rows = [signatures.setdefault((p.levels, p.kind), len(signatures)) for p in placements]
    table = np.array([[(not levels or level in levels) and (not kinds or kind in kinds)
                       for level, kinds in profiles] for levels, kind in signatures],
                     dtype=bool).reshape(len(signatures), len(profiles))
    return Places(np.array([p.id for p in placements], dtype=np.int64),
                  table[np.array(rows, dtype=np.int64)],
                  points([p.postcode for p in placements]))


def reach_counts(people: People, places: Places, n_regions: int) -> np.ndarray:
    """(placements, regions): how many students of each region reach each placement."""
    out = np.zeros((len(places.ids), n_regions), dtype=np.int64)
    located = ~np.isnan(places.point[:, 0])
    if (~located).any():
        by_profile = np.zeros((n_regions, places.accepts.shape[1]), dtype=np.int64)
        np.add.at(by_profile, (people.region, people.profile), 1)
        out[~located] = places.accepts[~located].astype(np.int64) @ by_profile.T
    known = ~np.isnan(people.point[:, 0])
    if located.any() and known.any():
        out[located] = _located_counts(people.take(np.flatnonzero(known)),
                                       places.point[located], places.accepts[located],
                                       n_regions)
    return out


def _located_counts(people: People, sites_of: np.ndarray, accepts: np.ndarray,
                    n_regions: int) -> np.ndarray:
    """:func:`reach_counts` for located students and placements, without a students x
    placements matrix: students are grouped by (postcode, region, profile) with their travel
    limits sorted, placements by postcode; a ball tree gives each student postcode the
    placement postcodes within its groups' longest reach, and a binary search per (group,
    placement postcode) counts the students whose limit reaches that far."""
    n_profiles = accepts.shape[1]
    spots, spot_of = np.unique(people.point, axis=0, return_inverse=True)
    sites, site_of = np.unique(sites_of, axis=0, return_inverse=True)
    code = (spot_of.ravel() * n_regions + people.region) * n_profiles + people.profile
    groups, group_of = np.unique(code, return_inverse=True)
    group_of = group_of.ravel()
    order = np.lexsort((people.travel, group_of))
    bounds = np.searchsorted(group_of[order], np.arange(len(groups) + 1))
    travel = people.travel[order]
    reach = travel[bounds[1:] - 1]  # the longest limit of each group
    step = float(np.ceil(travel.max())) + 2.0
    keys = group_of[order] * step + travel  # ascending: by group, then by limit
    group_spot, group_region, group_profile = (groups // (n_regions * n_profiles),
                                             groups // n_profiles % n_regions,
                                             groups % n_profiles)
    spot_bounds = np.searchsorted(group_spot, np.arange(len(spots) + 1))
    radius = np.maximum.reduceat(reach, spot_bounds[:-1])
    tree = BallTree(sites, metric="haversine")
    counted = np.zeros(len(sites) * n_regions * n_profiles, dtype=np.float64)
    for start in range(0, len(spots), _SPOTS_PER_CHUNK):
        stop = min(start + _SPOTS_PER_CHUNK, len(spots))
        near, angle = tree.query_radius(
            spots[start:stop], r=(radius[start:stop] + SLACK_KM) / EARTH_RADIUS_KM,
            return_distance=True)
        spot = np.repeat(np.arange(start, stop), [len(a) for a in near])
        site = np.concatenate(near).astype(np.int64)
        km = np.concatenate(angle) * EARTH_RADIUS_KM
        # One row per (spot, site) pair and group at that spot.
        per = spot_bounds[spot + 1] - spot_bounds[spot]
        pair = np.repeat(np.arange(len(spot)), per)
        first = np.repeat(np.cumsum(per) - per, per)
        group = spot_bounds[spot][pair] + np.arange(len(pair)) - first
        km, site = km[pair], site[pair]
        keep = km <= reach[group] + SLACK_KM
        group, km, site = group[keep], km[keep], site[keep]
        within = bounds[group + 1] - np.searchsorted(
            keys, group * step + np.maximum(km - SLACK_KM, 0.0), side="left")
        counted += np.bincount((site * n_regions + group_region[group]) * n_profiles
                               + group_profile[group], weights=within, minlength=len(counted))
    table = np.rint(counted).astype(np.int64).reshape(len(sites), n_regions, n_profiles)
    takes = accepts.astype(np.int64)
    site_of = site_of.ravel()
    return np.stack([np.einsum("jl,jl->j", table[site_of, r, :], takes)
                     for r in range(n_regions)], axis=1)


def reaches_any(people: People, places: Places) -> np.ndarray:
    """Per student: whether they reach at least one of the placements."""
    out = np.zeros(len(people.profile), dtype=bool)
    located = ~np.isnan(places.point[:, 0])
    for profile in np.unique(people.profile).tolist():
        rows = np.flatnonzero(people.profile == profile)
        takes = places.accepts[:, profile]
        if (takes & ~located).any():
            out[rows] = True
            continue
        rows = rows[~np.isnan(people.point[rows, 0])]
        if not (takes & located).any() or not len(rows):
            continue
        angle, _ = BallTree(places.point[takes & located], metric="haversine").query(
            people.point[rows], k=1)
        out[rows] = angle[:, 0] * EARTH_RADIUS_KM <= people.travel[rows] + SLACK_KM
    return out
