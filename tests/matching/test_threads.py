"""Scoring limits BLAS to one thread itself, and gives the caller its own setting back."""

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import matching.rounds
from matching.blocks import CohortBlocks
from matching.rounds import run_round
from matching.scoring import MatchScorer

from .records import TODAY, placement, student


def blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


@pytest.fixture
def two_blas_threads():
    """Two BLAS threads around the test, as on a two-core machine by default."""
    with threadpool_limits(limits=2, user_api="blas"):
        assert blas_threads() == {2}
        yield


def scorer_and_students():
    scorer = MatchScorer(today=TODAY).fit([placement(1), placement(2, postcode="6941")])
    return scorer, [student(1), student(2, postcode="6921"), student(3, postcode=None)]


def recorder(monkeypatch, owner, name) -> list[set[int]]:
    """Records the BLAS threads each time ``owner.name`` is called."""
    seen: list[set[int]] = []
    original = getattr(owner, name)

    def recording(*args, **kwargs):
        seen.append(blas_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return seen


def test_a_cohort_is_scored_on_one_blas_thread_and_the_setting_is_restored(
        monkeypatch, two_blas_threads):
    scorer, students = scorer_and_students()
    seen = recorder(monkeypatch, CohortBlocks, "total")
    table = scorer.score(students)
    assert table.scores.nnz > 0
    assert seen and all(threads == {1} for threads in seen)
    assert blas_threads() == {2}


def test_one_student_is_scored_on_one_blas_thread_and_the_setting_is_restored(
        monkeypatch, two_blas_threads):
    scorer, students = scorer_and_students()
    seen = recorder(monkeypatch, CohortBlocks, "total")
    scorer.score_one(students[0])
    assert seen and all(threads == {1} for threads in seen)
    assert blas_threads() == {2}


def test_a_whole_round_runs_on_one_blas_thread_and_the_setting_is_restored(
        monkeypatch, two_blas_threads):
    scorer, students = scorer_and_students()
    seen = recorder(monkeypatch, matching.rounds, "priorities")
    result = run_round(scorer=scorer, students=students, free_places={1: 1, 2: 1},
                       random_state=0)
    assert len(result.proposals) == 2
    assert seen == [{1}]
    assert blas_threads() == {2}


def test_the_setting_is_restored_when_scoring_fails(monkeypatch, two_blas_threads):
    scorer, students = scorer_and_students()

    def failing(*args, **kwargs):
        raise RuntimeError("scoring failed")

    monkeypatch.setattr(CohortBlocks, "total", failing)
    with pytest.raises(RuntimeError, match="scoring failed"):
        scorer.score(students)
    assert blas_threads() == {2}
