"""Whom a placement prefers when more students want it than it has places.

A student's own score ranks the placements they apply to: what they said they like, their
words and their talent. A placement's few places go by *evidence and practical fit*: the
student's talent for its themes (as observed, whatever the student states), level, distance
and period. What a student says they like decides where they apply, not whether they get the
place: otherwise a boy who names technology beats his twin sister with the very same talent
for every contested technical place, and the matcher teaches what it should correct.

Two students with the same evidence and practical fit are equal to a placement; the
allocation's seeded tie-break decides between them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .scoring import MatchScorer, ScoreTable, StudentBatch

# The parts of the score a placement ranks students by, with the scorer's weights.
PRIORITY_PARTS = ("talent", "level", "distance", "period", "feedback")
_CHUNK = 200_000


def priorities(scorer: MatchScorer, batch: StudentBatch, table: ScoreTable) -> sp.csr_matrix:
    """For every stored pair of ``table`` (scored from ``batch``), the placement's priority of
    the student, in (0, 1]; the same sparsity as ``table.scores``."""
    scores = table.scores.tocsr()
    rows = np.repeat(np.arange(scores.shape[0]), np.diff(scores.indptr))
    cols = scores.indices
    values = np.empty(len(cols), dtype=np.float32)
    for start in range(0, len(cols), _CHUNK):
        r, c = rows[start:start + _CHUNK], cols[start:start + _CHUNK]
        components, _mask, _km = scorer._block(batch, r, c, paired=True, with_text=False)
        # Talent as observed: the respect a student's stated interest earns in their own
        # ranking does not lower their claim to a place.
        components["talent"] = np.clip(
            np.einsum("ij,ij->i", batch.talent[r], scorer.themes_[c]), 0.0, 1.0)
        values[start:start + _CHUNK] = sum(
            scorer.weights_[name] * components[name] for name in PRIORITY_PARTS)
    # Stored values stay positive, so that the pattern is exactly the table's.
    return sp.csr_matrix((np.maximum(values, 1e-6), cols.copy(), scores.indptr.copy()),
                         shape=scores.shape)
