"""Whom a placement prefers when more students want it than it has places.

A student's own score ranks the placements they apply to: what they said they like, their
words and their talent. A placement's few places go by *evidence and practical fit*: the
student's talent for its themes (as observed, whatever the student states), how near they live
and how well their availability covers its period, with the scorer's weights for those parts.
What a student says they like decides where they apply, not whether they get the place:
otherwise a boy who names technology beats his twin sister with the very same talent for every
contested technical place, and the matcher teaches what it should correct. (Level and feedback
are the same for every student of one placement, so they cannot order its students.)

Two students with the same evidence and practical fit are equal to a placement; the
allocation's seeded tie-break decides between them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .components import UNKNOWN_DISTANCE, period_fit
from .score_inputs import ScoreTable, StudentBatch, haversine_paired
from .scoring import MatchScorer

# The parts of the score a placement ranks its students by.
PRIORITY_PARTS = ("talent", "distance", "period")
_CHUNK = 250_000


def priorities(scorer: MatchScorer, batch: StudentBatch, table: ScoreTable) -> sp.csr_matrix:
    """For every stored pair of ``table`` (scored from ``batch``), the placement's priority of
    the student, in (0, 1]; the same sparsity as ``table.scores``."""
    scores = table.scores.tocsr()
    rows = np.repeat(np.arange(len(scores.indptr) - 1), np.diff(scores.indptr))
    cols = scores.indices
    w = scorer.weights_
    values = np.zeros(len(cols), dtype=np.float32)
    # Talent as observed: the respect a student's stated interest earns in their own ranking
    # does not lower their claim to a place. Most students have none: only theirs is computed.
    gifted = np.flatnonzero(np.any(batch.talent, axis=1)[rows])
    for start in range(0, len(gifted), _CHUNK):
        at = gifted[start:start + _CHUNK]
        values[at] = w["talent"] * np.clip(np.einsum(
            "ij,ij->i", batch.talent[rows[at]], scorer.themes_[cols[at]]), 0.0, 1.0)
    for start in range(0, len(cols), _CHUNK):
        r, c = rows[start:start + _CHUNK], cols[start:start + _CHUNK]
        km = haversine_paired(batch.point[r], scorer.point_[c])
        with np.errstate(invalid="ignore", divide="ignore"):
            distance = np.where(np.isnan(km), UNKNOWN_DISTANCE, np.clip(
                1.0 - km / np.maximum(batch.travel_km[r], 1e-9), 0.0, 1.0))
        period = period_fit(scorer, batch.available[r, 0], batch.available[r, 1],
                            batch.period_known[r], c).score
        values[start:start + _CHUNK] += (w["distance"] * distance
                                         + w["period"] * np.clip(period, 0.0, 1.0))
    # Stored values stay positive, so that the pattern is exactly the table's.
    return sp.csr_matrix((np.maximum(values, 1e-6), cols.copy(), scores.indptr.copy()),
                         shape=scores.shape)
