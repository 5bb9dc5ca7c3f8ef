"""The stories of many pairs told at once are each pair's own story."""

import numpy as np

from .test_blocks import cohort


def test_many_pairs_at_once_tell_each_pairs_own_story():
    scorer, students = cohort(6, n_students=40, n_placements=30)
    batch = scorer.prepare(students)
    rng = np.random.default_rng(6)
    rows = rng.integers(0, len(students), 300)
    cols = rng.integers(0, len(scorer.placements_), 300)
    force = rng.random(300) < 0.2
    together = scorer.pairs(batch, rows, cols, force=force)
    alone = [scorer.pair(students[i], j, batch=batch.take(np.array([i])), force=bool(f))
             for i, j, f in zip(rows.tolist(), cols.tolist(), force.tolist(), strict=True)]
    assert together == alone
    told = [pair for pair in together if pair is not None]
    assert len(told) > 20 and len(told) < 300
    assert any(pair.shared_words for pair in told) and any(pair.evidence for pair in told)
    assert len({pair.explanation.parts["why"] for pair in told}) >= 3
