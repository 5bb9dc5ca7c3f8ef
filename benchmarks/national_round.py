"""A national matching round, partitioned per region, with 1 and with 2 worker processes.

    python -m benchmarks.national_round                        # 1,000,000 x 200,000, 12 regions
    python -m benchmarks.national_round --students 250000 --placements 50000
    python -m benchmarks.national_round --students 20000 --placements 4000 --regions 4

The data. Seeding a database of a million students takes hours, so the records are made
without one (:mod:`benchmarks.national_data`): the demo generator seeds a small pool
(``--pool-students``, ``--pool-placements``) into in-memory SQLite, and the national records
are drawn from it with a fixed seed, each moved to a home or a company in one of the 12
provinces (the regions; ``--regions`` takes the ones nearest the middle of the country).

The round. The parent plans the partition (:func:`matching.partition.plan_partitions`), then
each region's sub-round runs in a worker process (``spawn``, so a worker's memory is its own):
a :class:`~matching.scoring.MatchScorer` fitted on the placements allotted to the region and
:func:`~matching.rounds.run_round` with the region's allotment, biggest regions first. When
all are done the parent builds the final sub-round over the pooled unused border places
(:func:`~matching.partition.leftover_part`), a worker runs it, and the parent checks the
bookings. The same runs with 1 and with 2 workers; the workers are started (and warmed up)
before the clock starts, as long-lived task workers would be. Printed: the BLAS setup, the
time of planning, of each run (wall and CPU, and the load average: the cores are shared) and
the speed-up, each worker's and the parent's peak memory (RSS), the students proposed, the
double-booking check, and whether both runs made the same proposals.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from threadpoolctl import threadpool_info, threadpool_limits

from matching.partition import (
    PartitionPlan,
    PartOutcome,
    RegionPart,
    check_bookings,
    leftover_part,
    plan_partitions,
)
from matching.records import PlacementRecord, StudentRecord
from matching.rounds import run_round
from matching.scoring import MatchScorer

from .environment import print_environment
from .national_data import World, build_world, seed_pool


@dataclass(frozen=True)
class Task:
    region: str | None
    students: list[StudentRecord]
    placements: list[PlacementRecord]
    free_places: dict[int, int]
    today: date
    top: int
    candidates: int
    seed: int


@dataclass(frozen=True)
class Report:
    outcome: PartOutcome
    students: int
    placements: int
    seconds: float
    cpu_seconds: float  # the worker's own CPU time: what contention on the cores does not grow
    pid: int
    peak_mib: float
    blas: str


@dataclass
class Run:
    workers: int
    seconds: float = 0.0
    load: float = 0.0  # the 1-minute load average when the run started
    reports: list[Report] = field(default_factory=list)
    pooled: int = 0  # unused border places offered in the final pass
    final_proposed: int = 0
    double_bookings: int = -1

    @property
    def proposals(self) -> list[tuple[int, int]]:
        return sorted(pair for r in self.reports for pair in r.outcome.proposals)


# -- the workers ------------------------------------------------------------------------------

def peak_rss_mib() -> float:
    """Peak resident memory of this process's own memory (VmHWM). Not ``ru_maxrss``: a spawned
    worker is forked from the parent before it executes Python afresh, and Linux keeps the
    parent's peak in ``ru_maxrss`` across that exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))


_started: dict = {}


def start_worker(blas_threads: int, warm: Task, barrier) -> None:
    """Each worker limits its BLAS threads and runs a small sub-round first, so the first calls'
    costs (loading the taxonomy and word lists, first products) fall before the clock starts,
    as in a long-lived task worker."""
    threadpool_limits(blas_threads)
    run_part(warm)
    _started["barrier"] = barrier


def warm_up(_: int) -> int:
    """Waits until every worker holds one of these: then all have started and warmed up."""
    _started["barrier"].wait(timeout=600)
    return os.getpid()


@cache
def _occupations():
    from matching.occupations import default_normaliser
    from matching.profiles import occupation_lookup

    return occupation_lookup(default_normaliser())


def _dream_jobs(text: str) -> str:
    """Dream jobs to ESCO codes; the normaliser is fitted on the first dream job (the seeded
    students have none), as the application's worker does."""
    return _occupations()(text)


def run_part(task: Task) -> Report:
    started, cpu = time.perf_counter(), time.process_time()
    outcome = PartOutcome(task.region, ())
    if task.students and task.placements:
        scorer = MatchScorer(today=task.today, candidates_k=task.candidates,
                             occupation_lookup=_dream_jobs).fit(task.placements)
        result = run_round(scorer=scorer, students=task.students,
                           free_places=task.free_places, first_pass_k=task.top,
                           random_state=task.seed)
        outcome = PartOutcome.of(task.region, result)
    blas = "; ".join(f"{p.get('internal_api')} threads={p.get('num_threads')}"
                     for p in threadpool_info())
    return Report(outcome, len(task.students), len(task.placements),
                  time.perf_counter() - started, time.process_time() - cpu, os.getpid(),
                  peak_rss_mib(), blas)


def _task(part: RegionPart, students: list[StudentRecord],
          placements: dict[int, PlacementRecord], args: argparse.Namespace) -> Task:
    return Task(part.region, students, [placements[j] for j in part.placement_ids],
                dict(part.free_places), args.today, args.top, args.candidates, args.seed)


def _final_students(world: World, final: RegionPart) -> list[StudentRecord]:
    wanted = set(final.student_ids)
    found = {s.id: s for cohort in world.students.values() for s in cohort if s.id in wanted}
    return [found[i] for i in final.student_ids]


def run_partitioned(plan: PartitionPlan, world: World, workers: int,
                    args: argparse.Namespace) -> Run:
    placements = {p.id: p for p in world.placements}
    run = Run(workers)
    context = multiprocessing.get_context("spawn")
    first = plan.parts[0]
    warm = _task(RegionPart(first.region, first.student_ids[:200], first.placement_ids[:100],
                            first.free_places), world.students[str(first.region)][:200],
                 placements, args)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker,
                             initargs=(args.blas_threads, warm,
                                       context.Barrier(workers))) as executor:
        list(executor.map(warm_up, range(workers)))
        run.load = os.getloadavg()[0]
        started = time.perf_counter()
        parts = sorted(plan.parts, key=lambda p: (-len(p.student_ids), str(p.region)))
        futures = [executor.submit(run_part, _task(part, world.students[str(part.region)],
                                                   placements, args)) for part in parts]
        run.reports = [future.result() for future in futures]
        final = leftover_part(plan, [r.outcome for r in run.reports], world.students,
                              world.placements)
        if final.student_ids and final.placement_ids:
            run.reports.append(executor.submit(run_part, _task(
                final, _final_students(world, final), placements, args)).result())
            run.final_proposed = len(run.reports[-1].outcome.proposals)
        check = check_bookings(plan, [r.outcome for r in run.reports], final=final)
        run.seconds = time.perf_counter() - started
    run.pooled = sum(final.free_places.values())
    run.double_bookings = check.double_bookings
    return run


# -- printing ---------------------------------------------------------------------------------

def digest(pairs: list[tuple[int, int]]) -> str:
    return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]


def print_plan(plan: PartitionPlan, seconds: float) -> None:
    border_places = sum(plan.free_places[pid] for pid in plan.border_reach)
    print(f"plan: {len(plan.parts)} regions, {len(plan.border_reach):,} border placements "
          f"({border_places:,} of {sum(plan.free_places.values()):,} free places), "
          f"{len(plan.unreached):,} placements nobody reaches: {seconds:.1f} s")
    for part in plan.parts:
        print(f"  {part.region:<14} {len(part.student_ids):>9,} students "
              f"{len(part.placement_ids):>8,} placements {sum(part.free_places.values()):>8,} "
              "places allotted")


def print_run(run: Run) -> None:
    print(f"\n{run.workers} worker process(es): total {run.seconds:.1f} s "
          "(sub-rounds, final pass and booking check; planning apart); load average "
          f"{run.load:.1f} on {os.cpu_count()} CPUs at the start")
    print(f"  worker BLAS: {run.reports[0].blas}")
    for r in run.reports:
        name = r.outcome.region if r.outcome.region is not None else "(final pass)"
        print(f"  {name:<14} {r.students:>9,} students {r.placements:>8,} placements "
              f"{r.seconds:6.1f} s ({r.cpu_seconds:5.1f} s CPU) "
              f"{len(r.outcome.proposals):>7,} proposed  worker {r.pid}")
    print(f"  CPU time of the sub-rounds: {sum(r.cpu_seconds for r in run.reports):.1f} s")
    peaks: dict[int, float] = {}
    for r in run.reports:
        peaks[r.pid] = max(peaks.get(r.pid, 0.0), r.peak_mib)
    for pid, peak in sorted(peaks.items()):
        print(f"  peak memory (RSS) of worker {pid}: {peak:,.0f} MiB")
    proposals = run.proposals
    print(f"  students proposed: {len(proposals):,}; in the final pass: "
          f"{run.final_proposed:,} (on {run.pooled:,} pooled unused border places)")
    print(f"  proposals digest: {digest(proposals)}")
    print(f"  double bookings ({run.workers} workers; places beyond the free places or an "
          f"allotment, and students proposed twice): {run.double_bookings}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--students", type=int, default=1_000_000)
    parser.add_argument("--placements", type=int, default=200_000)
    parser.add_argument("--regions", type=int, default=12, choices=range(1, 13),
                        metavar="1-12")
    parser.add_argument("--pool-students", type=int, default=6_000)
    parser.add_argument("--pool-placements", type=int, default=3_000)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS threads in each worker (default 1)")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2025, 9, 1))
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    print_environment()
    started = time.perf_counter()
    pool = seed_pool(args.pool_students, args.pool_placements, args.today, args.seed)
    print(f"pool from the demo generator: {len(pool[0]):,} students, {len(pool[1]):,} open "
          f"placements: {time.perf_counter() - started:.1f} s (not part of the round)")
    started = time.perf_counter()
    world = build_world(*pool, students=args.students, placements=args.placements,
                        regions=args.regions, seed=args.seed)
    print(f"national records: {sum(map(len, world.students.values())):,} students, "
          f"{len(world.placements):,} placements, {sum(world.free_places.values()):,} places: "
          f"{time.perf_counter() - started:.1f} s (not part of the round)")
    started = time.perf_counter()
    plan = plan_partitions(world.students, world.placements, world.free_places)
    print_plan(plan, time.perf_counter() - started)
    runs = []
    for workers in (int(w) for w in args.workers.split(",")):
        runs.append(run_partitioned(plan, world, workers, args))
        print_run(runs[-1])
    print()
    for base, run in zip(runs, runs[1:], strict=False):
        print(f"speed-up of {run.workers} workers over {base.workers}: "
              f"{base.seconds / run.seconds:.2f}x")
        same = "yes" if run.proposals == base.proposals else "NO"
        print(f"same proposals with {base.workers} and {run.workers} workers: {same}")
    print("peak memory (RSS) of the parent (pool seeding, records, plan, checks): "
          f"{peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
