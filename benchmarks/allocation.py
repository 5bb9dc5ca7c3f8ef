"""How long deferred acceptance takes for a large cohort (100,000 students, 20,000 placements).

    python -m benchmarks.allocation
    python -m benchmarks.allocation --students 20000 --placements 4000 --repeat 1

The instance is synthetic and seeded: each student has about 50 admissible placements drawn
with a popularity skew (a few placements appear on many lists), scores rounded to two
decimals (so there are many ties) and favouring popular placements, capacities 1-4.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
import tracemalloc

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_info

from matching.allocation import FIRST_PASS, NONE, SECOND_PASS, DeferredAcceptance


def build(students: int, placements: int, per_student: int, seed: int):
    rng = np.random.default_rng(seed)
    popularity = rng.lognormal(sigma=1.2, size=placements)
    # Draw more than needed, since popular placements come up twice on one list.
    drawn = rng.choice(placements, size=(students, per_student + per_student // 2),
                       p=popularity / popularity.sum())
    by_value = np.argsort(drawn, axis=1, kind="stable")
    ordered = np.take_along_axis(drawn, by_value, axis=1)
    repeat = np.zeros(drawn.shape, bool)
    np.put_along_axis(repeat, by_value[:, 1:], ordered[:, 1:] == ordered[:, :-1], axis=1)
    keep = ~repeat & (np.cumsum(~repeat, axis=1) <= per_student)
    rows = np.repeat(np.arange(students), keep.sum(axis=1))
    cols = drawn[keep]

    popular = np.argsort(np.argsort(popularity)) / max(placements - 1, 1)
    strength = rng.beta(2, 2, size=students)
    raw = (0.45 * rng.random(cols.size) + 0.25 * strength[rows] + 0.3 * popular[cols]
           + rng.normal(0, 0.05, cols.size) - 0.05)
    # Two decimals like the scores people see; clipping stores some explicit 0.0 scores.
    scores = np.round(np.clip(raw, 0.0, 1.0), 2)
    matrix = sp.csr_array((scores, (rows, cols)), shape=(students, placements))
    capacities = rng.integers(1, 5, size=placements)
    return matrix, capacities


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--placements", type=int, default=20_000)
    parser.add_argument("--per-student", type=int, default=50)
    parser.add_argument("--first-pass-k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', '(not set)')}")
    for pool in threadpool_info():
        print(f"threadpool: {pool.get('internal_api')} {pool.get('version')} "
              f"threads={pool.get('num_threads')} arch={pool.get('architecture')} "
              f"({pool.get('filepath')})")
    print(f"CPUs: {os.cpu_count()}")

    started = time.perf_counter()
    scores, capacities = build(args.students, args.placements, args.per_student, args.seed)
    print(f"build: {time.perf_counter() - started:.2f} s; {scores.shape[0]:,} students x "
          f"{scores.shape[1]:,} placements, {scores.nnz:,} admissible pairs "
          f"({scores.nnz / max(scores.shape[0], 1):.1f} per student, "
          f"{int((scores.data == 0).sum()):,} stored zeros), {int(capacities.sum()):,} places; "
          f"peak RSS {peak_rss_mib():.0f} MiB")

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        model = DeferredAcceptance(first_pass_k=args.first_pass_k, random_state=args.seed)
        model.fit(scores, capacities)
        timings.append(time.perf_counter() - started)
    print("allocation: " + ", ".join(f"{t:.2f}" for t in timings)
          + f" s (median {statistics.median(timings):.2f} s); rounds {model.n_rounds_}")

    # A separate run under tracemalloc, whose bookkeeping would distort the timings above.
    tracemalloc.start()
    again = DeferredAcceptance(first_pass_k=args.first_pass_k, random_state=args.seed)
    again.fit(scores, capacities)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert np.array_equal(again.assignment_, model.assignment_), "same seed, other result"

    used = np.bincount(model.assignment_[model.assignment_ >= 0], minlength=scores.shape[1])
    assert (used <= capacities).all(), "a placement is overbooked"
    first = int((model.pass_ == FIRST_PASS).sum())
    second = int((model.pass_ == SECOND_PASS).sum())
    none = int((model.pass_ == NONE).sum())
    ranks = model.rank_[model.rank_ > 0]
    print(f"assigned: first pass {first:,}, second pass {second:,}, unassigned {none:,}")
    print(f"places used: {int(used.sum()):,} of {int(capacities.sum()):,}; "
          f"placements full {int((model.remaining_ == 0).sum()):,} of {scores.shape[1]:,}")
    if ranks.size:
        print(f"rank of the assigned placement: median {np.median(ranks):.0f}, "
              f"first choice {int((ranks == 1).sum()):,}")
    print(f"peak memory: fit allocations (tracemalloc) {traced_peak / 2**20:.0f} MiB, "
          f"process peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
