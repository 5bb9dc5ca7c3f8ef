"""A full matching round at scale: 100,000 students and 20,000 placements of seeded demo data.

    python -m benchmarks.matching_round                      # seeds a temporary SQLite database
    python -m benchmarks.matching_round --database sqlite:////path/round.sqlite3
    python -m benchmarks.matching_round --database ... --baseline

``--database`` with an SQLite file that does not exist yet seeds it there and keeps it, so a
second run skips the seeding (minutes); an existing database is used as it is.

The round runs in two conditions, one after the other in this process: on a quiet machine, and
with the other core busy (a child process spinning in pure Python for the whole round, as a
second worker or a web request would). The round prepares and scores its students in
``--jobs`` processes (default: one per core, as the app's ``MATCHING_JOBS``; see
matching/parts.py). ``--baseline`` runs both conditions again in one process as before, with
the one-thread BLAS limit and without it, so the figures sit side by side. For each run: the
time of each stage (fitting the scorer on the placements, vectorising the students, scoring
with the top candidates per student, which overlap when several processes do them, allocation,
explanations), the whole round, the CPU time of the process and its children, the BLAS threads
the scoring ran with (threadpoolctl, read inside the round) and the load average before it
(the machine may be shared). Loading from
the database is shown apart. The proposals must be the same in every run: their fingerprint is
printed. Targets (issue 20): under 10 s on a quiet machine, under 15 s with the other core busy.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlmodel import Session, select
from werkzeug.security import generate_password_hash

import matching.rounds
import matching.scoring
from app.db import make_engine
from app.models import Placement, StudentProfile, metadata
from app.services.matching_data import (
    free_places,
    open_placement_ids,
    placement_records,
    student_records,
)
from matching.occupations import default_normaliser
from matching.parts import can_fork, processes_for
from matching.profiles import occupation_lookup
from matching.rounds import RoundResult, run_round
from matching.scoring import MatchScorer
from seeds import generate

from .environment import (
    blas_threads,
    busy_core,
    load_average,
    peak_rss_mib,
    print_environment,
)

TARGETS = {"quiet": 10.0, "other core busy": 15.0}


def seeded(url: str | None, students: int, placements: int, folder: str) -> str:
    """The database to read: ``url`` (seeded first when it is an SQLite file not there yet),
    or a temporary SQLite database in ``folder``."""
    if url:
        path = make_url(url).database if url.startswith("sqlite") else None
        if not path or Path(path).exists():
            return url
    else:
        path = str(Path(folder) / "round.sqlite3")
        url = f"sqlite:///{path}"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    metadata.create_all(engine)
    started = time.perf_counter()
    with Session(engine) as session:
        generate(session, students=students, placements=placements, seed=2026,
                 password_hash=generate_password_hash("benchmark"))
    print(f"seeding {students:,} students / {placements:,} placements into {path}: "
          f"{time.perf_counter() - started:.1f} s (not part of the round)")
    engine.dispose()
    return url


def load(url: str, today: date, every_placement: bool):
    engine = make_engine(url)
    with Session(engine) as session:
        started = time.perf_counter()
        student_ids = list(session.exec(
            StudentProfile.__table__.select().with_only_columns(StudentProfile.id)
            .order_by(StudentProfile.id)).scalars())
        placement_ids = (list(session.exec(select(Placement.id).order_by(Placement.id)))
                         if every_placement
                         else open_placement_ids(session=session, today=today))
        students = student_records(session=session, student_ids=student_ids)
        placements = placement_records(session=session, placement_ids=placement_ids)
        free = free_places(session=session, placement_ids=placement_ids)
        if every_placement:
            free = {pid: max(n, 1) for pid, n in free.items()}
        print(f"loading {len(students):,} students and {len(placements):,} placements "
              f"from the database: {time.perf_counter() - started:.1f} s "
              "(not part of the round)")
    engine.dispose()
    return students, placements, free


@dataclass
class Figures:
    stages: dict[str, float]
    round_s: float
    cpu_s: float
    blas: str
    load: str
    result: RoundResult
    capacities: dict[int, int]


@contextmanager
def without_blas_limit() -> Iterator[None]:
    """The round as before issue 20: BLAS with its own threads around the scoring."""
    patched = (matching.scoring, matching.rounds)
    saved = [module.one_blas_thread for module in patched]
    for module in patched:
        module.one_blas_thread = nullcontext  # type: ignore[assignment]
    try:
        yield
    finally:
        for module, original in zip(patched, saved, strict=True):
            module.one_blas_thread = original  # type: ignore[assignment]


def timed_round(students, placements, free, today: date, args, jobs: int) -> Figures:
    load = load_average()
    lookup = occupation_lookup(default_normaliser())
    marks: dict[str, float] = {}
    seen = {"blas": "(not read)"}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in marks:
            marks[stage] = time.perf_counter()
            if stage == "scoring":
                seen["blas"] = blas_threads()

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_started, started = time.process_time(), time.perf_counter()
    scorer = MatchScorer(today=today, candidates_k=args.candidates,
                         occupation_lookup=lookup).fit(placements)
    fitted = time.perf_counter()
    result = run_round(scorer=scorer, students=students, free_places=free,
                       first_pass_k=args.top, random_state=2026, progress=progress,
                       n_jobs=jobs)
    ended = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    processes = processes_for(len(students), jobs)
    explaining = marks.get("explaining", ended)
    stages = {"fit on placements (TF-IDF, theme profiles, ball tree)": fitted - started}
    if processes > 1:
        # Each child prepares and then scores its part: the two stages overlap.
        stages[f"vectorise + score (top-{args.candidates}) in {processes} processes"] = (
            marks["allocating"] - fitted)
    else:
        stages["vectorise students (TF-IDF, interest, talent)"] = marks["scoring"] - fitted
        stages[f"score, hard rules, top-{args.candidates} per student ({jobs} thread(s))"] = (
            marks["allocating"] - marks["scoring"])
    stages.update({
        "allocation (deferred acceptance, second and last pass)": (
            explaining - marks["allocating"]),
        f"explanations for {len(result.proposals):,} proposals": ended - explaining,
    })
    capacities = {pid: free.get(pid, 0) for pid in scorer.placement_ids_.tolist()}
    return Figures(stages, ended - started,
                   time.process_time() - cpu_started + children_cpu, seen["blas"],
                   load, result, capacities)


def fingerprint(result: RoundResult) -> str:
    """A hash of the proposals: who, where, rank, pass, score and both explanations."""
    rows = sorted((p.student_id, p.placement_id, p.rank, p.pass_, p.pair.score,
                   p.pair.explanation.text_nl, p.pair.explanation.text_en)
                  for p in result.proposals)
    digest = hashlib.sha256(repr(rows).encode())
    digest.update(repr((result.insufficient, result.no_admissible, result.unassigned)).encode())
    return digest.hexdigest()[:16]


def report(label: str, figures: Figures) -> None:
    used: dict[int, int] = {}
    for proposal in figures.result.proposals:
        used[proposal.placement_id] = used.get(proposal.placement_id, 0) + 1
    assert all(n <= figures.capacities[pid] for pid, n in used.items()), \
        "a placement was overbooked"
    print(f"\n== {label} ({figures.load} before it; BLAS during scoring: {figures.blas})")
    for stage, seconds in figures.stages.items():
        print(f"  {stage:<58} {seconds:6.2f} s")
    print(f"  {'FULL ROUND (fit + vectorise + score + allocation + explanations)':<58} "
          f"{figures.round_s:6.2f} s   CPU time (process and children) {figures.cpu_s:6.2f} s")
    print(f"  proposals fingerprint {fingerprint(figures.result)}")


def conditions(baseline: bool, jobs: int) -> list[tuple[str, bool, bool, int]]:
    """(label, other core busy, old BLAS threading, jobs) for each run, in order."""
    runs = [("quiet", False, False, jobs), ("other core busy", True, False, jobs)]
    if baseline:
        runs += [("baseline (one process), quiet", False, False, 1),
                 ("baseline (one process), other core busy", True, False, 1),
                 ("baseline (one process, no BLAS limit), quiet", False, True, 1),
                 ("baseline (one process, no BLAS limit), other core busy", True, True, 1)]
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a seeded database, or an SQLite file to seed and "
                                           "keep (default: seed a temporary one)")
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--placements", type=int, default=20_000)
    parser.add_argument("--today", default="2025-09-01",
                        help="the day the round runs (default: start of the seeded school "
                             "year, so every seeded placement is still ahead)")
    parser.add_argument("--every-placement", action="store_true",
                        help="score against every seeded placement, also drafts, paused and "
                             "closed ones (the full 20,000), not only the open ones")
    parser.add_argument("--top", type=int, default=10, help="first-pass list per student")
    parser.add_argument("--candidates", type=int, default=50,
                        help="candidates kept per student for the second pass")
    parser.add_argument("--jobs", type=int, default=0,
                        help="processes (or threads) the round scores in, as MATCHING_JOBS; "
                             "0 (default, as the app): one per core this process may use")
    parser.add_argument("--baseline", action="store_true",
                        help="also run both conditions in one process, with and without the "
                             "one-thread BLAS limit")
    args = parser.parse_args()
    today = date.fromisoformat(args.today)
    jobs = args.jobs or len(os.sched_getaffinity(0))
    print_environment()
    print(f"jobs: {jobs} (processes where this process may fork: "
          f"{'yes' if can_fork() else 'no, threads'})")
    with tempfile.TemporaryDirectory() as folder:
        url = seeded(args.database, args.students, args.placements, folder)
        students, placements, free = load(url, today, args.every_placement)

    figures: dict[str, Figures] = {}
    for label, busy, old_threading, run_jobs in conditions(args.baseline, jobs):
        with busy_core() if busy else nullcontext(), \
                without_blas_limit() if old_threading else nullcontext():
            figures[label] = timed_round(students, placements, free, today, args, run_jobs)
        report(label, figures[label])

    first = figures["quiet"].result
    summary = first.summary()
    print(f"\nstudents: {len(students):,}; with nothing to match on: {summary['insufficient']:,}; "
          f"with no admissible placement: {summary['no_admissible']:,}; all fitting places "
          f"taken: {summary['unassigned']:,}")
    print(f"proposals: {summary['students_proposed']:,} (first pass {summary['first_pass']:,}, "
          f"second/last pass {summary['second_pass']:,}); places offered by the placements: "
          f"{sum(figures['quiet'].capacities.values()):,}; mean score "
          f"{summary['mean_score']:.3f}")
    prints = {fingerprint(f.result) for f in figures.values()}
    print(f"the same proposals in every run: {'yes' if len(prints) == 1 else 'NO'}")
    for label, target in TARGETS.items():
        seconds = figures[label].round_s
        print(f"target {label}: under {target:.0f} s: {seconds:.2f} s "
              f"({'met' if seconds < target else 'NOT met'})")
    print(f"peak memory (RSS of the whole process, database loading included): "
          f"{peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
