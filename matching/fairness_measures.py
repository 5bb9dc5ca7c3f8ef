"""The fairness audit's figures, each simple enough to check by hand.

Which placements are technical, each student's ranked candidates, position-weighted exposure
and share, NDCG, the standardised ratio over strata, the proxy check's AUC and the students with
their gendered words flipped: :class:`matching.fairness.FairnessAudit` puts them together, and
its module says what each means.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from .gender import flip_gender
from .records import PlacementRecord, StudentRecord
from .scoring import MatchScorer, ScoreTable


def technical_placements(scorer: MatchScorer, threshold: float = 0.5) -> np.ndarray:
    """Per fitted placement: does its theme profile weigh more than ``threshold`` on
    technical themes?"""
    share = scorer.themes_ @ scorer.profiler_.technical_.astype(np.float32)
    return share > threshold


def technical_by_id(scorer: MatchScorer, others: Sequence[PlacementRecord] = (),
                    threshold: float = 0.5, fitted: np.ndarray | None = None
                    ) -> dict[int, bool]:
    """Placement id -> technical, for the scorer's placements (``fitted``: their
    :func:`technical_placements`, when already known) and for ``others`` it was not fitted on,
    profiled the same way."""
    fitted = technical_placements(scorer, threshold) if fitted is None else fitted
    found = dict(zip(scorer.placement_ids_.tolist(), fitted.tolist(), strict=True))
    rest = [p for p in others if p.id not in found]
    if rest:
        share = scorer.profiler_.placement_matrix(rest) @ scorer.profiler_.technical_.astype(
            np.float32)
        found.update(zip((p.id for p in rest), (share > threshold).tolist(), strict=True))
    return found


@dataclass(frozen=True, slots=True)
class Ranked:
    """Each student's candidates best first, (n, k) each, padded with -1 and nan."""

    columns: np.ndarray  # placement indices
    scores: np.ndarray


def ranked(table: ScoreTable, k: int | None = None) -> Ranked:
    """Each student's candidates best first (ties: the lower placement index first)."""
    n = len(table.scores.indptr) - 1
    counts = np.diff(table.scores.indptr)
    width = int(counts.max()) if n and len(counts) else 0
    width = width if k is None else k
    cols = np.full((n, width), -1, dtype=np.int64)
    scores = np.full((n, width), np.nan, dtype=np.float64)
    if not n or not width or not table.scores.nnz:
        return Ranked(cols, scores)
    rows = np.repeat(np.arange(n), counts)
    data, indices = table.scores.data.astype(np.float64), table.scores.indices
    order = np.lexsort((indices, -data, rows))
    rows, data, indices = rows[order], data[order], indices[order]
    position = np.arange(len(rows)) - table.scores.indptr[rows]
    keep = position < width
    cols[rows[keep], position[keep]] = indices[keep]
    scores[rows[keep], position[keep]] = data[keep]
    return Ranked(cols, scores)


def discounts(k: int) -> np.ndarray:
    """1 / log2(rank + 1) for ranks 1..k."""
    return 1.0 / np.log2(np.arange(2, k + 2))


@dataclass(frozen=True, slots=True)
class Exposure:
    """Per student: position-weighted exposure to technical placements, and their share of
    the list (nan for an empty list)."""

    weighted: np.ndarray
    share: np.ndarray


def exposure(technical: np.ndarray, listed: np.ndarray) -> Exposure:
    """Position-weighted exposure to technical placements and their share, per student.

    ``technical`` and ``listed`` are (n, k) booleans: is the placement at that rank technical,
    is there a placement at that rank at all. A student with an empty list has share nan.
    """
    hits = technical & listed
    weighted = (hits * discounts(technical.shape[1])).sum(axis=1)
    length = listed.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(length > 0, hits.sum(axis=1) / np.maximum(length, 1), np.nan)
    return Exposure(weighted.astype(np.float64), share)


def ndcg(relevance: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    """NDCG per row: ``relevance`` (n, k) in ranked order (nan where nothing is listed) and
    ``ideal`` (n, k), the best relevances possible. nan where the ideal is all zero."""
    weights = discounts(relevance.shape[1])
    gained = (np.nan_to_num(relevance) * weights).sum(axis=1)
    best = (np.nan_to_num(ideal) * weights[:ideal.shape[1]]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(best > 0, gained / np.where(best > 0, best, 1.0), np.nan)


def standardised_ratio(values: np.ndarray, girls: np.ndarray, boys: np.ndarray,
                       strata: np.ndarray) -> float | None:
    """``sum_s w_s mean(girls in s) / sum_s w_s mean(boys in s)`` over the strata holding both,
    ``w_s`` the number of girls and boys in ``s``; None without such a stratum or when the
    boys' side is zero."""
    top = bottom = 0.0
    for s in np.unique(strata):
        g, b = girls & (strata == s), boys & (strata == s)
        if not g.any() or not b.any():
            continue
        w = g.sum() + b.sum()
        top += w * values[g].mean()
        bottom += w * values[b].mean()
    return float(top / bottom) if bottom > 0 else None


def proxy_auc(features, labels: np.ndarray, folds: int = 5,
              random_state: int | None = 0) -> float | None:
    """Cross-validated ROC AUC of a logistic regression predicting ``labels`` (bool) from
    ``features``; None when either class has fewer than two members."""
    labels = np.asarray(labels, dtype=int)
    smallest = int(np.bincount(labels, minlength=2).min()) if len(labels) else 0
    folds = min(folds, smallest)
    if folds < 2:
        return None
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
    # scikit-learn's inferred return type of cross_val_predict is not an array.
    predicted = np.asarray(cross_val_predict(model, features, labels, cv=cv,
                                             method="predict_proba"))[:, 1]
    return float(roc_auc_score(labels, predicted))


def flipped(students: Sequence[StudentRecord]) -> list[StudentRecord]:
    """The students with every gendered word they wrote, or was written about them, flipped."""
    return [dataclasses.replace(
        s, interests=flip_gender(s.interests), dream_job=flip_gender(s.dream_job),
        observations=tuple(dataclasses.replace(o, skills=flip_gender(o.skills))
                           for o in s.observations)) for s in students]
