"""Which hard rules a pair breaks, named, for a counsellor who chooses a placement by hand.

The engine leaves such a pair out (its score is -inf); a counsellor may still offer it, and is
told first what it breaks. The same facts as the engine's rules (matching.blocks): the level
the placement takes, the kinds the student wants, the travel limit, the periods' overlap, and
a profile too empty to match.
"""

from __future__ import annotations

import numpy as np

from .components import period_fit
from .score_inputs import StudentBatch

RULES = ("level", "kind", "distance", "period", "profile")


def broken_rules(scorer, batch: StudentBatch, row: int, col: int,
                 distance_km: float | None) -> tuple[str, ...]:
    """The rules of :data:`RULES` that student ``row`` of ``batch`` and the scorer's placement
    ``col`` break, in that order; empty when the engine may propose the pair."""
    broken = []
    level = int(batch.level[row])
    if level < 0 or not bool(scorer.accepts_[col, level]):
        broken.append("level")
    if not bool(batch.wants[row, scorer.kind_[col]]):
        broken.append("kind")
    if distance_km is not None and distance_km > float(batch.travel_km[row]):
        broken.append("distance")
    fit = period_fit(scorer, batch.available[row, 0], batch.available[row, 1],
                     batch.period_known[row], np.asarray(col))
    if not bool(fit.overlap):
        broken.append("period")
    if bool(batch.insufficient[row]):
        broken.append("profile")
    return tuple(broken)
