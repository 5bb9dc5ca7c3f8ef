"""The records of the national round benchmark (:mod:`benchmarks.national_round`), made
without a database: a pool seeded by the demo generator, spread over the 12 provinces.

Seeding a database of a million students takes hours. Instead the demo generator
(``seeds.generate``) seeds a small pool into an in-memory SQLite database (their texts, themes,
levels, kinds, periods, observations and places are the generator's), and the national records
are drawn from that pool with a fixed seed, each moved to a home or a company in one of the
provinces (the regions). A region's students are spread over its province in proportion to its
postcodes, live within 15 km of one of its schools (in the same province) and keep the pool
student's travel limit, so students near a border reach placements across it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from sklearn.neighbors import BallTree

from matching.geo import EARTH_RADIUS_KM, postcodes
from matching.records import PlacementRecord, StudentRecord

HOME_KM = 15.0  # students live this close to their school
STUDENTS_PER_SCHOOL = 2_500
PLACEMENTS_PER_COMPANY = 2.5


@dataclass(frozen=True)
class World:
    students: dict[str, list[StudentRecord]]
    placements: list[PlacementRecord]
    free_places: dict[int, int]


def seed_pool(students: int, placements: int, today: date, seed: int
              ) -> tuple[list[StudentRecord], list[PlacementRecord], dict[int, int]]:
    """Students and open placements of the demo generator, seeded into in-memory SQLite."""
    # Imported here only: the benchmark's worker processes import this module, not the app.
    from sqlmodel import Session, select
    from werkzeug.security import generate_password_hash

    from app.db import make_engine
    from app.models import StudentProfile, metadata
    from app.services.matching_data import (
        free_places,
        open_placement_ids,
        placement_records,
        student_records,
    )
    from seeds import generate

    engine = make_engine("sqlite://")
    metadata.create_all(engine)
    with Session(engine) as session:
        generate(session, students=students, placements=placements, seed=seed,
                 password_hash=generate_password_hash("benchmark"))
        ids = list(session.exec(select(StudentProfile.id).order_by(StudentProfile.id)))
        open_ids = open_placement_ids(session=session, today=today)
        pool = (student_records(session=session, student_ids=[i for i in ids if i is not None]),
                placement_records(session=session, placement_ids=open_ids),
                free_places(session=session, placement_ids=open_ids))
    engine.dispose()
    return pool


def provinces(count: int) -> dict[str, list[str]]:
    """The ``count`` provinces nearest the middle of the country, with their postcodes."""
    by_province: dict[str, list[str]] = defaultdict(list)
    for code in sorted(postcodes()):
        by_province[postcodes()[code].province].append(code)
    middle = np.mean([(p.lat, p.lon) for p in postcodes().values()], axis=0)

    def distance(name: str) -> float:
        centre = np.mean([(postcodes()[c].lat, postcodes()[c].lon) for c in by_province[name]],
                         axis=0)
        return float(np.hypot(*(centre - middle)))

    chosen = sorted(by_province, key=lambda name: (distance(name), name))[:count]
    return {name: by_province[name] for name in sorted(chosen)}


def _radians(codes: list[str]) -> np.ndarray:
    return np.radians([(postcodes()[c].lat, postcodes()[c].lon) for c in codes])


def _homes(codes: list[str], schools: list[str]) -> list[list[str]]:
    """Per school, the postcodes of its province within HOME_KM (at least the 3 nearest)."""
    tree = BallTree(_radians(codes), metric="haversine")
    near = tree.query_radius(_radians(schools), r=HOME_KM / EARTH_RADIUS_KM)
    nearest = tree.query(_radians(schools), k=min(3, len(codes)), return_distance=False)
    return [[codes[i] for i in sorted(found if len(found) >= 3 else three)]
            for found, three in zip(near, nearest, strict=True)]


def build_world(pool_students: list[StudentRecord], pool_placements: list[PlacementRecord],
                pool_free: dict[int, int], *, students: int, placements: int, regions: int,
                seed: int) -> World:
    from seeds.sampling import apportion

    rng = np.random.default_rng(seed)
    areas = provinces(regions)
    sizes = apportion(students, [len(codes) for codes in areas.values()])
    cohorts: dict[str, list[StudentRecord]] = {}
    next_id = 1
    for (name, codes), size in zip(areas.items(), sizes, strict=True):
        schools = [codes[i] for i in rng.integers(0, len(codes),
                                                  max(2, round(size / STUDENTS_PER_SCHOOL)))]
        homes = _homes(codes, schools)
        school = rng.integers(0, len(schools), size)
        pick = rng.random(size)
        template = rng.integers(0, len(pool_students), size)
        cohort = []
        for k in range(size):
            near = homes[school[k]]
            cohort.append(replace(pool_students[template[k]], id=next_id + k,
                                  postcode=near[int(pick[k] * len(near))]))
        cohorts[name] = cohort
        next_id += size
    codes = [c for area in areas.values() for c in area]
    companies = [codes[i] for i in rng.integers(0, len(codes),
                                                math.ceil(placements / PLACEMENTS_PER_COMPANY))]
    company = rng.integers(0, len(companies), placements)
    template = rng.integers(0, len(pool_placements), placements)
    made, free = [], {}
    for j in range(placements):
        source = pool_placements[template[j]]
        site = companies[company[j]]
        made.append(replace(source, id=j + 1, postcode=site, place=postcodes()[site].place))
        free[j + 1] = pool_free.get(source.id, 1)
    return World(cohorts, made, free)
