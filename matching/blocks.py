"""Scoring a whole cohort block by block: one postcode and one level at a time.

The scorer never builds the full students x placements matrix. Students are grouped by
postcode; each postcode's students are scored only against the placements within the largest
travel limit among them (a ball tree over the postcode centroids), and each level of them only
against the placements that take it. What a postcode's blocks share (the placements near it,
their distances, their periods and the words of their texts) is prepared once per postcode.

Much of a block repeats: a postcode's students have a few travel limits and availabilities
between them, and placements have a few periods. The rules that read only those facts (within
reach, the distance part, the periods' overlap and the period part) are computed once per
distinct value and spread over the block; every pair gets the very same number it would get
alone. The products (themes, words) are done per block, with BLAS on one thread
(:mod:`matching.threads`).

The blocks are the groups scoring always had, and the products keep their shapes: BLAS rounds
a product of one row (a matrix times a vector) otherwise than a larger one, so another cut of
the rows would change totals in their last bit and, where totals tie, which placement is kept.
A row's best ``candidates_k`` are found among the placements some row of its block may have;
where totals tie on the last place, that row is decided over all the block's placements, as
before (see :func:`best_candidates`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .components import UNKNOWN_DISTANCE, period_fit
from .geo import EARTH_RADIUS_KM
from .score_inputs import StudentBatch

# Rows of one block: a postcode's students of one level, at most this many at a time (fewer
# without a location, where every placement is a candidate).
BLOCK_ROWS = 1024
UNLOCATED_BLOCK_ROWS = 256
# A postcode's placement words are kept as one dense (words x placements) array up to this many
# cells; a larger one is made per block from the placements the block needs.
DENSE_TEXT_CELLS = 4_000_000


@dataclass(frozen=True, slots=True)
class GroupTotal:
    """A block's total scores over its live placements (those some row may have; -inf where a
    rule excludes the pair), which they are (positions in the block's ``at``), and how many
    placements each row may have."""

    total: np.ndarray
    live: np.ndarray
    admissible: np.ndarray

    def full(self, width: int, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The totals over all ``width`` placements of the block (-inf where excluded)."""
        out = np.full((len(self.total[rows]), width), -np.inf, dtype=self.total.dtype)
        out[:, self.live] = self.total[rows]
        return out


def codes(facts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, a code for its distinct facts (a row of ``facts``), and per code its first row."""
    if not len(facts):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    _, first, inverse = np.unique(facts, axis=0, return_index=True, return_inverse=True)
    return inverse.ravel().astype(np.int64), first.astype(np.int64)


def placement_period_codes(scorer) -> np.ndarray:
    """The fitted placements' period codes: one per distinct (start, end, known, bounded)."""
    return codes(np.column_stack([scorer.period_, scorer.period_known_,
                                  scorer.period_bounded_]))[0]


@dataclass(slots=True)
class Near:
    """A postcode's students (or those without a location) and the placements near them:
    what the postcode's blocks share. Per-row arrays follow ``rows``; tables have a row per
    distinct travel limit, wish of kinds or availability and a column per placement (or per
    distinct period of theirs)."""

    rows: np.ndarray  # student rows of the batch, by level
    cols: np.ndarray  # placement indices
    km: np.ndarray  # their distance, nan when unknown
    by_limit: np.ndarray  # per row, its travel limit in ``reach`` and ``distance``
    reach: np.ndarray  # (limits, cols) bool: within the limit, or no location known
    distance: np.ndarray  # (limits, cols) the weighted distance part
    by_wish: np.ndarray  # per row, its wish of kinds in ``wanted``
    wanted: np.ndarray  # (wishes, cols) bool
    by_period: np.ndarray  # per row, its availability in ``overlap`` and ``period``
    period_of: np.ndarray  # per column, its period in ``overlap`` and ``period``
    overlap: np.ndarray  # (availabilities, periods) bool: the periods overlap
    period: np.ndarray  # (availabilities, periods) the weighted period part
    text: sp.csr_matrix  # (rows, words) the rows' words, over the words they use
    placement_text: np.ndarray | None  # (words, cols) float32, made when a block first needs it
    words: np.ndarray  # the vocabulary columns of ``text``
    dense_text: bool  # whether ``placement_text`` is made (else the words are read per block)


@dataclass(slots=True)
class Block:
    """Rows ``first:last`` of a postcode's students, all of one level, against ``at``: the
    positions in ``near.cols`` of the placements that take that level."""

    near: Near
    first: int
    last: int
    at: np.ndarray

    @property
    def rows(self) -> np.ndarray:
        return self.near.rows[self.first:self.last]

    @property
    def cols(self) -> np.ndarray:
        return self.near.cols[self.at]


class CohortBlocks:
    """The blocks of one cohort (a :class:`StudentBatch`) for a fitted scorer."""

    def __init__(self, scorer, batch: StudentBatch, available: np.ndarray | None = None):
        self.scorer, self.batch, self.available = scorer, batch, available
        w = scorer.weights_
        # Only the total decides the ranking, so the theme and talent parts are one product.
        self.side = np.hstack([w["themes"] * batch.fit,
                               w["talent"] * batch.evidence]).astype(np.float32)
        self.availability, self.availability_first = codes(
            np.column_stack([batch.available, batch.period_known]))
        self.wish, self.wish_first = codes(batch.wants)
        self.with_text = bool(w["text"] and scorer.text_.shape[1])

    # -- which blocks ------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Block]:
        scorer, batch = self.scorer, self.batch
        known = ~np.isnan(batch.point[:, 0])
        all_cols = np.arange(len(scorer.placements_))
        yield from self._by_level(np.flatnonzero(~known), all_cols,
                                  np.full(len(all_cols), np.nan))
        if not known.any():
            return
        points, inverse = np.unique(batch.point[known], axis=0, return_inverse=True)
        inverse = inverse.ravel()
        known_rows = np.flatnonzero(known)
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(len(points) + 1))
        radius = np.maximum.reduceat(batch.travel_km[known_rows[order]], bounds[:-1]) \
            / EARTH_RADIUS_KM
        if scorer.tree_ is not None:
            near, angle = scorer.tree_.query_radius(points, r=radius * (1 + 1e-9),
                                                    return_distance=True)
        else:
            near = angle = [np.zeros(0, dtype=np.int64)] * len(points)
        unlocated = np.full(len(scorer.unlocated_), np.nan)
        for g in range(len(points)):
            rows = known_rows[order[bounds[g]:bounds[g + 1]]]
            cols = np.concatenate([scorer.tree_columns_[near[g]], scorer.unlocated_])
            km = np.concatenate([np.asarray(angle[g]) * EARTH_RADIUS_KM, unlocated])
            yield from self._by_level(rows, cols, km)

    def _by_level(self, rows: np.ndarray, cols: np.ndarray, km: np.ndarray
                  ) -> Iterator[Block]:
        if not len(rows):
            return
        size = BLOCK_ROWS if np.isfinite(km).any() else UNLOCATED_BLOCK_ROWS
        if self.available is not None:
            keep = self.available[cols]
            cols, km = cols[keep], km[keep]
        # The rows by level, in their order within a level: a block is a slice of them.
        rows = rows[np.argsort(self.batch.level[rows], kind="stable")]
        levels = self.batch.level[rows]
        near = self._near(rows, cols, km)
        starts = np.flatnonzero(np.r_[True, levels[1:] != levels[:-1]])
        for start, stop in zip(starts, [*starts[1:], len(rows)], strict=True):
            at = np.flatnonzero(self.scorer.accepts_[cols, levels[start]])
            for first in range(start, stop, size):
                yield Block(near, first, min(first + size, stop), at)

    def _near(self, rows: np.ndarray, cols: np.ndarray, km: np.ndarray) -> Near:
        scorer, batch = self.scorer, self.batch
        w = scorer.weights_
        located = ~np.isnan(km)
        limits, by_limit = np.unique(batch.travel_km[rows], return_inverse=True)
        ratio = np.where(located, km, 0.0)[None, :] / np.maximum(limits, 1e-9)[:, None]
        wishes, by_wish = np.unique(self.wish[rows], return_inverse=True)
        availabilities, by_period = np.unique(self.availability[rows], return_inverse=True)
        _, first, period_of = np.unique(scorer.period_code_[cols], return_index=True,
                                        return_inverse=True)
        students = self.availability_first[availabilities]
        fitting = period_fit(scorer, batch.available[students, 0][:, None],
                             batch.available[students, 1][:, None],
                             batch.period_known[students][:, None], cols[first][None, :])
        text = batch.text[rows]
        words = np.unique(text.indices)
        return Near(
            rows=rows, cols=cols, km=km, by_limit=by_limit.ravel(),
            reach=(km[None, :] <= limits[:, None]) | ~located,
            distance=w["distance"] * np.where(located, np.clip(1.0 - ratio, 0.0, 1.0),
                                              UNKNOWN_DISTANCE),
            by_wish=by_wish.ravel(),
            wanted=batch.wants[self.wish_first[wishes]][:, scorer.kind_[cols]],
            by_period=by_period.ravel(), period_of=period_of.ravel(),
            overlap=fitting.overlap, period=w["period"] * fitting.score,
            text=sp.csr_matrix((text.data, np.searchsorted(words, text.indices),
                                text.indptr), shape=(len(rows), len(words))),
            placement_text=None, words=words,
            dense_text=bool(self.with_text and len(words) * len(cols) <= DENSE_TEXT_CELLS))

    # -- one block ---------------------------------------------------------------------------

    def total(self, block: Block) -> GroupTotal:
        """The total score of a block and its admissible mask.

        The same rules as :func:`matching.components.pair_components` in fewer passes over the
        matrix; a test holds the two to the same results.
        """
        scorer, near = self.scorer, block.near
        w = scorer.weights_
        part, at = slice(block.first, block.last), block.at
        rows = near.rows[part]
        by_limit, by_period = near.by_limit[part], near.by_period[part]
        mask = near.reach[:, at][by_limit]
        mask &= near.wanted[:, at][near.by_wish[part]]
        mask &= ~self.batch.insufficient[rows][:, None]
        period_of = near.period_of[at]
        mask &= near.overlap[by_period][:, period_of]
        # The products are the cost: a placement no student of the block may have (a kind
        # they do not want, beyond every travel limit, another period) is left out of them.
        live = np.flatnonzero(mask.any(axis=0))
        if not len(live):
            return GroupTotal(np.zeros((len(rows), 0), dtype=np.float32), live,
                              np.zeros(len(rows), dtype=np.int64))
        pruned = len(live) < len(at)
        if pruned:
            at, period_of = at[live], period_of[live]
        cols = near.cols[at]
        total = self.side[rows] @ scorer.theme_pair_[cols].T
        if self.with_text:
            total += w["text"] * self._text(near, part, at, cols)
        total += scorer.column_constant_[cols]
        total += near.distance[:, at][by_limit]
        total += near.period[by_period][:, period_of]
        allowed = mask[:, live] if pruned else mask
        return GroupTotal(np.where(allowed, total, -np.inf), live, allowed.sum(axis=1))

    def _text(self, near: Near, part: slice, at: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The text part before its weight: each row's words against each placement's."""
        text = near.text
        start, stop = text.indptr[part.start], text.indptr[part.stop]
        # Only the words of the block's own rows, as columns of its own.
        used, local = np.unique(text.indices[start:stop], return_inverse=True)
        if near.dense_text and near.placement_text is None:
            near.placement_text = _words_of(self.scorer.text_, near.cols, near.words)
        if near.placement_text is not None:
            dense = near.placement_text
            words = dense.ravel().take(used[:, None] * dense.shape[1] + at[None, :])
        else:
            words = _words_of(self.scorer.text_, cols, near.words[used])
        rows = sp.csr_matrix((text.data[start:stop], local.ravel(),
                              text.indptr[part.start:part.stop + 1] - start),
                             shape=(part.stop - part.start, len(used)))
        # A sparse matrix times a dense one adds each word's share in the order of the row's
        # words, as the sparse product does: the same float32 sums.
        return np.asarray(rows @ words, dtype=np.float32)


def _words_of(text: sp.csr_matrix, cols: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The placements' (``cols``) TF-IDF weights of ``words``, words x placements."""
    return np.asarray(text[cols][:, words].toarray(order="F"), dtype=np.float32).T


def best_candidates(blocks: CohortBlocks, k: int, indices: np.ndarray, values: np.ndarray,
                    admissible: np.ndarray,
                    progress: Callable[[int, int], None] | None = None,
                    n_threads: int = 1) -> None:
    """Fills, per student row, the ``k`` best admissible placements (``indices``, by placement
    index, -1 where fewer), their scores (``values``) and how many placements are admissible.

    With ``n_threads`` > 1 the blocks are scored by that many threads while this one makes the
    next blocks. A block's rows are its own and its result reads nothing another block writes,
    so the results are the same as on one thread; numpy and scipy let go of the interpreter
    lock in the products and sorts that are most of a block's time.
    """
    n, done = len(blocks.batch.students), 0

    def report(rows: np.ndarray) -> None:
        nonlocal done
        done += len(rows)
        if progress is not None:
            progress(done, n)

    if n_threads <= 1:
        for block in blocks:
            report(_fill(blocks, block, k, indices, values, admissible))
        return
    with ThreadPoolExecutor(max_workers=n_threads, thread_name_prefix="scoring") as pool:
        # A few blocks ahead at most: each holds its own matrices until it is scored.
        waiting: deque[Future[np.ndarray]] = deque()
        for block in blocks:
            waiting.append(pool.submit(_fill, blocks, block, k, indices, values, admissible))
            while len(waiting) > 2 * n_threads:
                report(waiting.popleft().result())
        while waiting:
            report(waiting.popleft().result())


def _fill(blocks: CohortBlocks, block: Block, k: int, indices: np.ndarray, values: np.ndarray,
          admissible: np.ndarray) -> np.ndarray:
    """Scores one block into its rows of ``indices``, ``values`` and ``admissible``; returns
    the rows."""
    rows = block.rows
    if not len(block.at):  # no placement left that takes their level
        return rows
    group = blocks.total(block)
    admissible[rows] = group.admissible
    chosen = _chosen(group, k, len(block.at))
    if chosen.shape[1]:
        cols = block.cols[group.live]
        picked = np.take_along_axis(group.total, chosen, axis=1)
        kept = np.isfinite(picked)
        order = np.argsort(np.where(kept, cols[chosen], len(blocks.scorer.placements_)),
                           axis=1, kind="stable")
        chosen, picked = (np.take_along_axis(chosen, order, axis=1),
                          np.take_along_axis(picked, order, axis=1))
        kept = np.isfinite(picked)
        width = chosen.shape[1]
        indices[rows, :width] = np.where(kept, cols[chosen], -1)
        values[rows, :width] = np.where(kept, picked, 0.0)
    return rows


def _chosen(group: GroupTotal, k: int, width: int) -> np.ndarray:
    """Per row, the positions (in ``group.live``) of its ``k`` best totals.

    The set is the one a selection over all ``width`` placements of the block makes (-inf
    where excluded): when several placements tie with the k-th best, which of them are kept is
    decided over that whole row, exactly as scoring always did. A row with at most ``k``
    admissible placements keeps them all (the rest of its positions hold -inf).
    """
    total, count = group.total, group.admissible
    live = total.shape[1]
    if live <= k:
        return np.broadcast_to(np.arange(live), total.shape)
    chosen = np.broadcast_to(np.arange(k), (len(total), k)).copy()
    few = np.flatnonzero((count > 0) & (count <= k))
    if len(few):
        chosen[few] = np.argsort(~np.isfinite(total[few]), axis=1, kind="stable")[:, :k]
    many = np.flatnonzero(count > k)
    if len(many):
        lowest = -total[many]
        # Position k holds the first total left out; the k before it are the best.
        parted = np.argpartition(lowest, k, axis=1)
        best = parted[:, :k]
        kth = np.take_along_axis(lowest, best, axis=1).max(axis=1)
        tied = np.flatnonzero(kth == np.take_along_axis(lowest, parted[:, k:k + 1], axis=1)[:, 0])
        if len(tied):
            position = np.full(width, -1, dtype=np.int64)
            position[group.live] = np.arange(live)
            over_all = np.argpartition(-group.full(width, many[tied]), k - 1, axis=1)[:, :k]
            # More than k totals are finite in these rows, so the k best are all live ones.
            best[tied] = position[over_all]
            assert (best[tied] >= 0).all()
        chosen[many] = best
    return chosen
