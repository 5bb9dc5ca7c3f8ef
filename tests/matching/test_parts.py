"""A cohort prepared and scored in several processes, or threads, gives what one process gives."""

import multiprocessing
import threading

import numpy as np
import pytest

import matching.parts
from matching.parts import can_fork, prepare_and_score, processes_for
from matching.rounds import run_round

from .test_blocks import cohort

FORKS = "fork" in multiprocessing.get_all_start_methods()


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of a handful of students, so that a test cohort is split; threads another test
    may have left running do not keep this one from forking."""
    monkeypatch.setattr(matching.parts, "MIN_PART", 20)
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def assert_same(one, other):
    (batch, table), (batch2, table2) = one, other
    assert batch.students == batch2.students
    assert (batch.text != batch2.text).nnz == 0
    for name in matching.parts._ARRAYS:
        np.testing.assert_array_equal(getattr(batch, name), getattr(batch2, name), err_msg=name)
    assert table.student_ids == table2.student_ids
    np.testing.assert_array_equal(table.scores.indptr, table2.scores.indptr)
    np.testing.assert_array_equal(table.scores.indices, table2.scores.indices)
    np.testing.assert_array_equal(table.scores.data, table2.scores.data)
    np.testing.assert_array_equal(table.admissible, table2.admissible)
    np.testing.assert_array_equal(table.insufficient, table2.insufficient)


@pytest.mark.skipif(not FORKS, reason="this platform cannot fork")
def test_scoring_in_processes_gives_the_rows_of_one_process(small_parts):
    scorer, students = cohort(seed=3, n_students=200)
    assert processes_for(len(students), 2) == 2
    seen = []
    in_parts = prepare_and_score(scorer, students, n_jobs=2,
                                 progress=lambda done, total: seen.append((done, total)))
    assert_same(prepare_and_score(scorer, students, n_jobs=1), in_parts)
    assert seen[-1] == (200, 200)


def test_scoring_in_threads_gives_the_rows_of_one_thread():
    scorer, students = cohort(seed=4, n_students=200)
    batch = scorer.prepare(students)
    one = scorer.score(batch)
    threaded = scorer.score(batch, n_threads=3)
    assert_same((batch, one), (batch, threaded))


@pytest.mark.skipif(not FORKS, reason="this platform cannot fork")
def test_a_round_in_processes_makes_the_proposals_of_one_process(small_parts):
    scorer, students = cohort(seed=5, n_students=240)
    free = {int(pid): 2 for pid in scorer.placement_ids_}
    rounds = [run_round(scorer=scorer, students=students, free_places=free, random_state=7,
                        n_jobs=jobs) for jobs in (1, 2)]
    assert rounds[0].proposals
    assert rounds[0] == rounds[1]


def test_a_split_keeps_each_postcode_in_one_part(small_parts):
    _, students = cohort(seed=6, n_students=200)
    parts = matching.parts._split(tuple(students), 3)
    assert sorted(np.concatenate(parts).tolist()) == list(range(200))
    postcodes = [{students[i].postcode for i in part} for part in parts]
    for n, codes in enumerate(postcodes):
        for other in postcodes[n + 1:]:
            assert not codes & other


def test_a_small_cohort_or_one_job_stays_in_this_process():
    assert processes_for(200, 2) == 1
    assert processes_for(10**6, 1) == 1


def test_a_process_with_other_threads_does_not_fork(monkeypatch):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        assert processes_for(10**6, 2) == 1
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(not FORKS, reason="this platform cannot fork")
def test_a_daemonic_process_does_not_fork(monkeypatch):
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert can_fork()
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert not can_fork()
