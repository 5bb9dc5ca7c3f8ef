"""The parts of a pair's score, and the full story of single pairs.

Components, each in [0, 1]:

- ``text``: cosine of word TF-IDF vectors (gender forms neutralised, compounds split) of what
  the student wrote and what the placement says;
- ``themes``: how well the placement's themes fit the student: per theme the larger of their
  stated interest and their talent evidence, strong talent counting as a chosen theme (see
  :func:`matching.profiles.theme_fit`: talent is evidence in its own right, and an explicit
  interest elsewhere is respected);
- ``talent``: how much talent evidence the student has for the placement's themes, on top;
- ``level``: 1 when the placement names the student's level, a little less when it is open to
  every level;
- ``distance``: 1 at home, 0 at the student's travel limit;
- ``period``: the share of the placement's period the student is available;
- ``feedback``: what earlier students and hosts said of the placement (smoothed).

:func:`pair_components` computes every component and the hard rules of a block of pairs;
:func:`pair_scores` tells the full story of pairs (:class:`PairScore`: the parts, the themes
and words they share, the explanation). A whole cohort is ranked by
:class:`~matching.scoring.MatchScorer`, in fewer passes over the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .explain import Explanation, explain
from .profiles import Evidence
from .score_inputs import StudentBatch, grid_km, haversine_paired, student_text, surface_words

if TYPE_CHECKING:
    from .scoring import MatchScorer

COMPONENTS = ("text", "themes", "talent", "level", "distance", "period", "feedback")
DEFAULT_WEIGHTS = {"text": 0.15, "themes": 0.30, "talent": 0.20, "level": 0.05,
                   "distance": 0.15, "period": 0.10, "feedback": 0.05}
# What an unknown fact scores: neither a reason for nor against.
UNKNOWN_DISTANCE = 0.5
UNKNOWN_STUDENT_PERIOD = 0.75
OPEN_LEVEL = 0.8


@dataclass(frozen=True, slots=True)
class PairScore:
    """One pair's score with everything that explains it."""

    student_id: int
    placement_id: int
    score: float
    components: dict[str, float]
    shared_themes: tuple[str, ...]
    shared_words: tuple[str, ...]
    distance_km: float | None
    evidence: Evidence | None
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class Block:
    """Components of a block of pairs, whether each pair is admissible, and its km (nan:
    unknown)."""

    components: dict[str, np.ndarray]
    mask: np.ndarray
    km: np.ndarray


@dataclass(frozen=True, slots=True)
class PeriodFit:
    """The period component of pairs and whether their periods overlap."""

    score: np.ndarray
    overlap: np.ndarray


def normalised_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """``weights`` over :data:`DEFAULT_WEIGHTS`, checked, rescaled to sum to one."""
    merged = {**DEFAULT_WEIGHTS, **(weights or {})}
    unknown = set(merged) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown score components: {', '.join(sorted(unknown))}")
    if any(isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w)
           or w < 0 for w in merged.values()) or sum(merged.values()) <= 0:
        raise ValueError("weights must be finite, non-negative numbers, not all zero")
    total = sum(merged.values())
    return {name: merged[name] / total for name in COMPONENTS}


def pair_components(scorer: MatchScorer, batch: StudentBatch, rows: np.ndarray,
                    cols: np.ndarray, paired: bool = False) -> Block:
    """Components, the admissible mask and the distances in km (nan: unknown).

    On a grid (rows x cols), or with ``paired`` for the pairs (rows[i], cols[i]). Both
    forms share every rule below through broadcasting: ``r`` and ``c`` index the student
    and placement side of each cell.
    """
    if paired:
        r, c = rows, cols
        text = (np.asarray(batch.text[rows].multiply(scorer.text_[cols]).sum(axis=1)).ravel()
                if len(rows) else np.zeros(0, dtype=np.float32))
        placement_themes = scorer.themes_[cols]
        themes = np.einsum("ij,ij->i", batch.fit[rows], placement_themes)
        talent = np.einsum("ij,ij->i", batch.evidence[rows], placement_themes)
        accepts = scorer.accepts_[cols, batch.level[rows]]
        wants = batch.wants[rows, scorer.kind_[cols]]
        km = haversine_paired(batch.point[rows], scorer.point_[cols])
    else:
        r, c = rows[:, None], cols[None, :]
        n, m = len(rows), len(cols)
        text = (batch.text[rows] @ scorer.text_[cols].T).toarray() if m and n \
            else np.zeros((n, m), dtype=np.float32)
        placement_themes = scorer.themes_[cols]
        themes = batch.fit[rows] @ placement_themes.T
        talent = batch.evidence[rows] @ placement_themes.T
        accepts = scorer.accepts_[cols][:, batch.level[rows]].T
        wants = batch.wants[rows][:, scorer.kind_[cols]]
        km = grid_km(batch.point[rows], scorer.point_[cols])
    shape = np.broadcast_shapes(np.shape(r), np.shape(c))
    level = np.where(scorer.named_level_[c], 1.0, OPEN_LEVEL).astype(np.float32)
    limit = batch.travel_km[r]
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = np.where(np.isnan(km), UNKNOWN_DISTANCE,
                            np.clip(1.0 - km / np.maximum(limit, 1e-9), 0.0, 1.0))
    near_enough = np.isnan(km) | (km <= limit)
    period = period_fit(scorer, batch.available[r, 0], batch.available[r, 1],
                        batch.period_known[r], c)
    mask = accepts & wants & near_enough & period.overlap & ~batch.insufficient[r]
    components = {
        "text": np.clip(text, 0.0, 1.0), "themes": np.clip(themes, 0.0, 1.0),
        "talent": np.clip(talent, 0.0, 1.0), "level": np.broadcast_to(level, shape),
        "distance": distance, "period": np.clip(period.score, 0.0, 1.0),
        "feedback": np.broadcast_to(scorer.feedback_[c], shape),
    }
    return Block(components, mask, km)


def period_fit(scorer: MatchScorer, available_from: np.ndarray, available_until: np.ndarray,
               student_known: np.ndarray, c: np.ndarray) -> PeriodFit:
    """The period component and whether the periods overlap (broadcasting); ``c`` indexes
    the scorer's placements."""
    start = np.maximum(available_from, scorer.period_[c, 0])
    end = np.minimum(available_until, scorer.period_[c, 1])
    days = np.clip(end - start + 1, 0, None)
    bounded = scorer.period_bounded_[c]
    length = np.where(bounded, scorer.period_[c, 1] - scorer.period_[c, 0] + 1, 1)
    # With an open end the share of the period means nothing; overlapping is what counts.
    share = np.where(bounded, days / length, (days > 0).astype(float))
    placement_known = scorer.period_known_[c]
    period = np.where(~placement_known, 1.0,
                      np.where(student_known, share, UNKNOWN_STUDENT_PERIOD))
    in_period = ~(student_known & placement_known) | (days > 0)
    return PeriodFit(period, in_period)


def weighted_total(weights: Mapping[str, float], components: Mapping[str, np.ndarray]
                   ) -> np.ndarray:
    """The score: the components weighed, summed in float32 in the order of COMPONENTS."""
    total = (weights[COMPONENTS[0]] * components[COMPONENTS[0]]).astype(np.float32)
    for name in COMPONENTS[1:]:
        total = total + weights[name] * components[name]
    return total


def pair_scores(scorer: MatchScorer, batch: StudentBatch, rows: Sequence[int] | np.ndarray,
                cols: Sequence[int] | np.ndarray, force: Sequence[bool] | np.ndarray | None = None
                ) -> list[PairScore | None]:
    """The full story of pairs (rows of ``batch``, placement indices), None for a pair a hard
    rule excludes unless ``force`` scores it anyway (a counsellor's pin)."""
    row_index = np.asarray(rows, dtype=np.int64)
    col_index = np.asarray(cols, dtype=np.int64)
    forced = (np.zeros(len(row_index), dtype=bool) if force is None
              else np.asarray(force, bool))
    block = pair_components(scorer, batch, row_index, col_index, paired=True)
    components, mask, km = block.components, block.mask, block.km
    totals = weighted_total(scorer.weights_, components)
    placement_themes = scorer.themes_[col_index]
    contribution = placement_themes * (scorer.weights_["themes"] * batch.fit[row_index]
                                       + scorer.weights_["talent"] * batch.evidence[row_index])
    words = shared_words(scorer, batch, row_index, col_index)
    # How much of the fit is what the student said, and how much what they showed.
    stated = np.einsum("ij,ij->i", batch.interest[row_index], placement_themes)
    shown = np.einsum("ij,ij->i",
                      np.minimum(batch.evidence[row_index] / scorer.talent_strong, 1.0),
                      placement_themes)
    themes = {t.slug: t for t in scorer.profiler_.themes_}
    slugs = [t.slug for t in scorer.profiler_.themes_]
    index = scorer.profiler_.index_
    # Plain Python numbers per pair, and the themes of every pair by contribution at once.
    order = np.argsort(-contribution, axis=1, kind="stable").tolist()
    positive = (contribution > 0).tolist()
    values = [dict(zip(COMPONENTS, parts, strict=True)) for parts in zip(
        *(np.broadcast_to(components[name], mask.shape).tolist() for name in COMPONENTS),
        strict=True)] if len(mask) else []
    km_, totals_, stated_, shown_ = km.tolist(), totals.tolist(), stated.tolist(), shown.tolist()
    admitted = (np.asarray(mask, bool) | forced).tolist()
    evidence_cache: dict[int, dict[str, Evidence]] = {}
    out: list[PairScore | None] = []
    for n, (row, col) in enumerate(zip(row_index.tolist(), col_index.tolist(), strict=True)):
        if not admitted[n]:
            out.append(None)
            continue
        student, placement = batch.students[row], scorer.placements_[col]
        rounded = {name: round(value, 4) for name, value in values[n].items()}
        shared = tuple(slugs[t] for t in order[n] if positive[n][t])
        if row not in evidence_cache:
            evidence_cache[row] = scorer.profiler_.evidence(student, scorer.today_)
        by_theme = evidence_cache[row]
        evidence = next((by_theme[slug] for slug in shared if slug in by_theme
                         and batch.talent[row, index[slug]] > 0), None)
        interest_theme = next((slug for slug in shared if batch.interest[row, index[slug]] > 0),
                              "")
        distance = None if math.isnan(km_[n]) else round(km_[n], 1)
        reason = explain(
            student=student, placement=placement, components=rounded,
            shared_themes=shared, shared_words=words[n], distance_km=distance,
            evidence=evidence, themes=themes, stated=stated_[n],
            shown=shown_[n], interest_theme=interest_theme)
        out.append(PairScore(student.id, placement.id, round(totals_[n], 4), rounded,
                             shared[:3], words[n], distance, evidence, reason))
    return out


def shared_words(scorer: MatchScorer, batch: StudentBatch, rows: np.ndarray,
                 cols: np.ndarray) -> list[tuple[str, ...]]:
    """Per pair, the (at most three) words that add most to its text similarity, as the
    student wrote them."""
    if scorer.vectorizer_ is None or not len(rows):
        return [()] * len(rows)
    product = batch.text[rows].multiply(scorer.text_[cols]).tocsr()
    found: list[tuple[str, ...]] = []
    for n, row in enumerate(rows.tolist()):
        start, end = product.indptr[n], product.indptr[n + 1]
        if start == end:
            found.append(())
            continue
        data, indices = product.data[start:end], product.indices[start:end]
        order = np.argsort(-data, kind="stable")
        surface = surface_words(student_text(batch.students[row]))
        words = [surface[token] for token in
                 (str(scorer.vocabulary_[indices[i]]) for i in order) if token in surface]
        found.append(tuple(dict.fromkeys(words))[:3])
    return found
