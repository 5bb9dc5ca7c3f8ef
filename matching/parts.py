"""A cohort prepared and scored in parts, by several processes at once.

Preparing students (reading their texts, interests and talent) is Python, and scoring is many
small products with Python between them: one process keeps one core busy and the interpreter
lock keeps threads from doing much better. The cohort is therefore split into ``n_jobs`` parts,
each of whole postcodes, and child processes prepare and score one part each. A student's row
reads only that student and the fitted placements, so the rows come out the same as in one
process; they are put back in the cohort's order.

The children are forked: they see the scorer and the students as they are, without copying
them through a pipe, and send back only arrays. Where forking is not possible or not safe,
the work stays in this process (scoring then uses threads, see
:func:`matching.blocks.best_candidates`):

- a platform without ``fork``;
- a daemonic process, such as a worker of Celery's prefork pool, which may not have children
  (its parallelism is the region tasks of :mod:`matching.partition`);
- a process with other threads running, which a fork would copy in whatever state they hold.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import scipy.sparse as sp

from .score_inputs import ScoreTable, StudentBatch, StudentRecord

# Below this many students a part costs more to start than it saves.
MIN_PART = 5_000
_ARRAYS = ("interest", "talent", "fit", "evidence", "level", "wants", "point", "travel_km",
           "available", "period_known", "insufficient")

# What the children read: set just before they are forked, cleared after (see _part).
_shared: dict = {}


def can_fork() -> bool:
    """Whether this process may fork children that compute (see the module documentation)."""
    return ("fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon
            and threading.active_count() == 1)


def processes_for(n_students: int, n_jobs: int) -> int:
    """How many processes a cohort of ``n_students`` is worth, with at most ``n_jobs``."""
    if n_jobs <= 1 or not can_fork():
        return 1
    return max(1, min(n_jobs, n_students // MIN_PART))


def prepare_and_score(scorer, students: Sequence[StudentRecord], *,
                      available: np.ndarray | None = None, n_jobs: int = 1,
                      progress: Callable[[int, int], None] | None = None
                      ) -> tuple[StudentBatch, ScoreTable]:
    """``scorer.prepare(students)`` and ``scorer.score`` of it, in up to ``n_jobs`` processes.

    ``progress(done, total)`` is called as parts are scored (per block in one process).
    """
    students = tuple(students)
    parts = processes_for(len(students), n_jobs)
    if parts == 1:
        batch = scorer.prepare(students)
        return batch, scorer.score(batch, available=available, progress=progress,
                                   n_threads=n_jobs)
    rows = _split(students, parts)
    _shared.update(scorer=scorer, students=students, available=available)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=parts, mp_context=context) as pool:
            futures = [pool.submit(_part, part) for part in rows]
            results = []
            for future in futures:
                results.append(future.result())
                if progress is not None:
                    progress(sum(len(r) for r in rows[:len(results)]), len(students))
    finally:
        _shared.clear()
    return _joined(scorer, students, rows, results)


def _split(students: tuple[StudentRecord, ...], parts: int) -> list[np.ndarray]:
    """Row numbers of ``parts`` parts of about equal size, a postcode in one part only, so
    that each part's blocks stay as large as the whole cohort's."""
    keys = np.array([s.postcode or "" for s in students], dtype=object)
    order = np.argsort(keys, kind="stable")
    bounds = [len(order) * n // parts for n in range(parts + 1)]
    ordered = keys[order]
    for n in range(1, parts):
        # Move the cut to the next postcode's first student.
        while 0 < bounds[n] < len(order) and ordered[bounds[n]] == ordered[bounds[n] - 1]:
            bounds[n] += 1
    return [np.sort(order[bounds[n]:bounds[n + 1]]) for n in range(parts)
            if bounds[n + 1] > bounds[n]]


def _part(rows: np.ndarray) -> tuple[dict, ScoreTable]:
    """In a child: one part's batch (arrays only) and its score table."""
    scorer, students = _shared["scorer"], _shared["students"]
    batch = scorer.prepare([students[i] for i in rows.tolist()])
    table = scorer.score(batch, available=_shared["available"])
    arrays = {name: getattr(batch, name) for name in _ARRAYS}
    arrays["text"] = batch.text
    return arrays, ScoreTable(scores=table.scores, insufficient=table.insufficient,
                              admissible=table.admissible)


def _joined(scorer, students: tuple[StudentRecord, ...], rows: list[np.ndarray],
            results: list[tuple[dict, ScoreTable]]) -> tuple[StudentBatch, ScoreTable]:
    """The parts put back together in the cohort's order."""
    back = np.argsort(np.concatenate(rows), kind="stable")
    batches = [arrays for arrays, _ in results]
    tables = [table for _, table in results]
    batch = StudentBatch(
        students=students,
        text=sp.csr_matrix(sp.vstack([b["text"] for b in batches], format="csr"))[back],
        **{name: np.concatenate([b[name] for b in batches])[back] for name in _ARRAYS})
    scores = sp.csr_matrix(sp.vstack([t.scores for t in tables], format="csr"))[back]
    scores.sort_indices()
    table = ScoreTable(
        scores=scores,
        insufficient=np.concatenate([t.insufficient for t in tables])[back],
        admissible=np.concatenate([t.admissible for t in tables])[back],
        student_ids=tuple(s.id for s in students))
    return batch, table
