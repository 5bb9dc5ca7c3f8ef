"""A student's short list: the best ``k`` placements, with room kept for talent.

The score already lets strong observed talent count as much as a stated interest (see
:mod:`matching.scoring`). A student who explicitly states an interest elsewhere ("zorg",
"creatief") is respected: their stated interest leads. But a list of five that holds only that
interest would hide what a scout saw. So when a student has *strong* talent for a theme and
none of their first ``k`` placements is led by it, the best admissible placement led by that
talent takes the second place of the list (the first stays the student's own choice), and the
list says it is there for the talent.

A placement is *led by* a student's talent when the themes the student showed strong talent
for make up at least ``talent_share`` of its theme profile. When no such placement is within
reach (no work of that theme at the student's level, say), a placement led by any of the
student's talent takes its place. For the kept place a snuffelstage
(a day or a week of looking around) is preferred when it scores nearly as well
(``snuffel_margin``): it is the easiest way to try what a scout saw and the student never
named. The list, its scores and the talent-led marks are plain arrays, so the export, the
student's page and the audit read the same list.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

import numpy as np

from .profiles import STRONG_TALENT
from .scoring import MatchScorer, ScoreTable, StudentBatch

# Where a kept talent-led placement goes in the list: beside the first, not above it.
TALENT_SLOT = 1
TRY_OUT_KIND = "snuffelstage"


@dataclass(frozen=True)
class Recommendations:
    """Per student row: ``columns`` (fitted placement indices, -1 where the list is shorter),
    ``scores`` and ``talent_led`` (the placement is there for the student's strong talent),
    each of shape (students, k)."""

    columns: np.ndarray
    scores: np.ndarray
    talent_led: np.ndarray

    def row(self, i: int) -> list[tuple[int, float, bool]]:
        """Student ``i``'s list as (placement index, score, talent-led) triples."""
        keep = self.columns[i] >= 0
        return list(zip(self.columns[i][keep].tolist(), self.scores[i][keep].tolist(),
                        self.talent_led[i][keep].tolist(), strict=True))


def talent_led_mask(scorer: MatchScorer, batch: StudentBatch, rows: np.ndarray,
                    cols: np.ndarray, talent_share: float = 0.5,
                    threshold: float = STRONG_TALENT) -> np.ndarray:
    """For pairs (rows[i], cols[i]): is the placement led by the student's talent of at least
    ``threshold`` (strong talent by default; 0 for any talent at all)?"""
    shown = batch.talent[rows] > threshold if threshold <= 0 \
        else batch.talent[rows] >= threshold
    share = np.einsum("ij,ij->i", shown.astype(np.float32), scorer.themes_[cols])
    return share >= talent_share


def recommend(scorer: MatchScorer, batch: StudentBatch, table: ScoreTable, k: int = 5,
              talent_share: float = 0.5, snuffel_margin: float = 0.05,
              exclude: Mapping[int, Set[int]] | None = None) -> Recommendations:
    """The ``k`` best placements per student of ``table`` (scored from ``batch``), ties broken
    by placement position, with a talent-led placement kept in the list (see the module).

    ``exclude`` maps a student row to placement indices that must not be listed (a pair that
    was turned down, or that a counsellor excluded)."""
    try_out = np.array([p.kind == TRY_OUT_KIND for p in scorer.placements_], dtype=bool)
    indptr, indices = table.scores.indptr, table.scores.indices
    # scipy infers the stored values' dtype from its own constructor, too narrowly for "-".
    data: np.ndarray = table.scores.data
    n = len(indptr) - 1
    columns = np.full((n, k), -1, dtype=np.int64)
    scores = np.zeros((n, k), dtype=np.float32)
    led = np.zeros((n, k), dtype=bool)
    strong = np.any(batch.talent >= STRONG_TALENT, axis=1)
    for i in range(n):
        cols, values = indices[indptr[i]:indptr[i + 1]], data[indptr[i]:indptr[i + 1]]
        if exclude and exclude.get(i):
            keep = ~np.isin(cols, list(exclude[i]))
            cols, values = cols[keep], values[keep]
        if not len(cols):
            continue
        order = np.lexsort((cols, -values))
        cols, values = cols[order], values[order]
        rows = np.full(len(cols), i)
        flags = talent_led_mask(scorer, batch, rows, cols, talent_share)
        top = list(range(min(k, len(cols))))
        if strong[i] and not flags[top].any() and not flags.any():
            # Nothing within reach is led by the strong talent itself (no such work at the
            # student's level, say): the work their other talent leads to stands in for it.
            flags = talent_led_mask(scorer, batch, rows, cols, talent_share, threshold=0.0)
        if strong[i] and not flags[top].any() and flags.any():
            # The best talent-led candidate takes the place of the last one in the list; a
            # snuffelstage nearly as good goes first.
            options = np.flatnonzero(flags)
            near = options[(values[options] >= values[options[0]] - snuffel_margin)
                           & try_out[cols[options]]]
            best = int(near[0]) if len(near) else int(options[0])
            top = top[:-1] if len(top) == k else top
            top.insert(min(TALENT_SLOT, len(top)), best)
        columns[i, :len(top)] = cols[top]
        scores[i, :len(top)] = values[top]
        led[i, :len(top)] = flags[top]
    return Recommendations(columns, scores, led)
