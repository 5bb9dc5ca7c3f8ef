"""The round benchmark's parts: seeding once, a busy core, the old BLAS threading, and its
figures on a small seeded round (no timing is checked)."""

from __future__ import annotations

import argparse
import os
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits

import matching.parts
import matching.rounds
import matching.scoring
from benchmarks.environment import blas_threads, busy_core
from benchmarks.matching_round import (
    conditions,
    fingerprint,
    load,
    seeded,
    timed_round,
    without_blas_limit,
)
from matching.threads import one_blas_thread

TODAY = date(2025, 9, 1)
ARGS = argparse.Namespace(candidates=20, top=5)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = tmp_path_factory.mktemp("round") / "seeded.sqlite3"
    url = f"sqlite:///{path}"
    assert seeded(url, 120, 40, "unused") == url
    return url, path


def test_an_sqlite_file_that_is_not_there_is_seeded_once_and_then_reused(database, capsys):
    url, path = database
    assert path.exists()
    written = path.stat().st_mtime_ns
    assert seeded(url, 120, 40, "unused") == url
    assert path.stat().st_mtime_ns == written
    assert "seeding" not in capsys.readouterr().out


def test_a_round_on_the_seeded_data_gives_the_same_proposals_with_or_without_the_blas_limit(
        database):
    url, _ = database
    students, placements, free = load(url, TODAY, every_placement=False)
    assert len(students) == 120 and placements
    limited = timed_round(students, placements, free, TODAY, ARGS, 1)
    with threadpool_limits(limits=2, user_api="blas"), without_blas_limit():
        unlimited = timed_round(students, placements, free, TODAY, ARGS, 1)
    assert limited.result.proposals
    assert fingerprint(limited.result) == fingerprint(unlimited.result)
    assert set(limited.blas.replace(",", " ").split()) == {"openblas=1"}
    assert "openblas=2" in unlimited.blas
    assert set(limited.stages) == set(unlimited.stages) and len(limited.stages) == 5
    assert all(seconds >= 0 for seconds in limited.stages.values())


def test_a_round_in_two_processes_gives_the_proposals_of_one_and_shows_its_stages_joined(
        database, monkeypatch):
    url, _ = database
    monkeypatch.setattr(matching.parts, "MIN_PART", 30)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # threads of other tests
    students, placements, free = load(url, TODAY, every_placement=False)
    one = timed_round(students, placements, free, TODAY, ARGS, 1)
    two = timed_round(students, placements, free, TODAY, ARGS, 2)
    assert fingerprint(one.result) == fingerprint(two.result)
    assert "vectorise + score (top-20) in 2 processes" in two.stages
    assert len(two.stages) == 4 and len(one.stages) == 5
    assert two.cpu_s > 0


def test_the_old_blas_threading_is_put_back_after_the_baseline():
    with without_blas_limit():
        assert matching.scoring.one_blas_thread is not one_blas_thread
        assert matching.rounds.one_blas_thread is not one_blas_thread
    assert matching.scoring.one_blas_thread is one_blas_thread
    assert matching.rounds.one_blas_thread is one_blas_thread


def cpu_ticks(pid: int) -> tuple[int, int]:
    """The parent and the user plus system CPU ticks of a process (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def test_the_busy_core_is_a_spinning_child_that_ends_with_the_context():
    with busy_core() as pid:
        parent, before = cpu_ticks(pid)
        time.sleep(0.5)
        _, after = cpu_ticks(pid)
        assert parent == os.getpid()
        assert after - before >= 0.1 * os.sysconf("SC_CLK_TCK") * 0.5  # it spins
    assert not Path(f"/proc/{pid}").exists()


def test_both_conditions_run_and_the_baseline_adds_both_in_one_process_with_and_without_limit():
    assert [(busy, old, jobs) for _, busy, old, jobs in conditions(False, 2)] == [
        (False, False, 2), (True, False, 2)]
    assert [(busy, old, jobs) for _, busy, old, jobs in conditions(True, 2)][2:] == [
        (False, False, 1), (True, False, 1), (False, True, 1), (True, True, 1)]


def test_the_blas_threads_are_read_as_threadpoolctl_sees_them():
    with threadpool_limits(limits=1, user_api="blas"):
        assert set(blas_threads().split(", ")) == {"openblas=1"}
