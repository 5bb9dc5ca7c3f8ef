"""A round pauses the cyclic garbage collector and gives the caller its own setting back."""

import gc

import pytest

import matching.rounds
from matching.collector import collection_paused
from matching.rounds import run_round
from matching.scoring import MatchScorer

from .records import TODAY, placement, student


@pytest.fixture
def collector_on():
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


def test_a_round_runs_with_the_collector_paused_and_turns_it_back_on(monkeypatch, collector_on):
    seen = []
    original = matching.rounds.priorities

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(matching.rounds, "priorities", recording)
    scorer = MatchScorer(today=TODAY).fit([placement(1), placement(2)])
    result = run_round(scorer=scorer, students=[student(1), student(2)],
                       free_places={1: 1, 2: 1}, random_state=0)
    assert len(result.proposals) == 2
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()


def test_the_collector_is_turned_back_on_when_the_round_fails(collector_on):
    with pytest.raises(RuntimeError, match="failed"), collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("failed")
    assert gc.isenabled()
