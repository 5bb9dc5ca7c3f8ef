"""Re-scoring one student against every placement: what a changed profile costs.

    python -m benchmarks.one_student                    # seeds a temporary SQLite database
    python -m benchmarks.one_student --database sqlite:////path/seeded.sqlite3

Fits the scorer on all 20,000 seeded placements once (the application keeps it per process),
then times ``MatchScorer.score_one`` (turning the student into vectors included) for 1,000
students drawn at random, and prints p50, p99 and the maximum.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date

import numpy as np
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Placement, StudentProfile
from app.services.matching_data import placement_records, student_records
from matching.occupations import default_normaliser
from matching.profiles import occupation_lookup
from matching.scoring import MatchScorer

from .environment import peak_rss_mib, print_environment
from .matching_round import seeded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="an already seeded database (default: seed one)")
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--placements", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=1_000)
    args = parser.parse_args()
    print_environment()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(seeded(args.database, args.students, args.placements, folder))
        with Session(engine) as session:
            placement_ids = list(session.exec(select(Placement.id).order_by(Placement.id)))
            student_ids = list(session.exec(select(StudentProfile.id)))
            picked = random.Random(2026).sample(student_ids, min(args.runs, len(student_ids)))
            students = student_records(session=session, student_ids=picked)
            placements = placement_records(session=session, placement_ids=placement_ids)
        engine.dispose()
    lookup = occupation_lookup(default_normaliser())
    started = time.perf_counter()
    scorer = MatchScorer(today=date(2025, 9, 1), occupation_lookup=lookup).fit(placements)
    print(f"fit on {len(placements):,} placements (once per process): "
          f"{time.perf_counter() - started:.2f} s")
    scorer.score_one(students[0])  # warm caches, as a running server has them
    timings = []
    for student in students:
        started = time.perf_counter()
        scores = scorer.score_one(student)
        timings.append((time.perf_counter() - started) * 1000)
    assert len(scores) == len(placements)
    timings = np.array(timings)
    print(f"score_one over {len(timings):,} students x {len(placements):,} placements: "
          f"p50 {np.percentile(timings, 50):.2f} ms, p99 {np.percentile(timings, 99):.2f} ms, "
          f"max {timings.max():.2f} ms")
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
