"""Fairness of the ranking for girls and boys: measured on the scorer's own rankings.

Gender is never an input to matching (see :mod:`matching.records`). Whether the rankings still
treat girls and boys alike is a question of outcomes, and this module measures them. Gender
comes in here only, as a label beside each student, and never reaches the scorer.

What is measured, for each student, on their own ranking: the ``k`` (5) best admissible
placements of :meth:`MatchScorer.score <matching.scoring.MatchScorer.score>`, ties broken by
the placement's position (not only the one placement a round proposes):

- *technical placement*: one whose theme profile (a row of ``MatchScorer.themes_``, summing to
  one) weighs more than half on technical themes (``ThemeDef.technical``). A placement
  without any theme is not technical.
- *exposure*: sum over the ranking of ``technical / log2(rank + 1)`` (rank 1 counts 1, rank 5
  0.39), the position-weighted exposure to technical placements; *share*: the technical part
  of the ranking.
- *strata*: students are compared with students of comparable technical evidence. Technical
  interest is the student's strongest interest in a technical theme, technical talent their
  strongest talent evidence in one (both in [0, 1]); each is binned into none (0), some
  (below ``bin_edges[0]``) and strong. The girls/boys ratio is taken within the nine
  interest x talent strata, and also within the three talent strata alone: the second asks
  whether girls with the same talent see as many technical placements even when they state
  technical interest less often.
- *ratio*: the directly standardised ratio ``sum_s w_s girls_s / sum_s w_s boys_s`` over the
  strata holding girls and boys, ``girls_s``/``boys_s`` the group's mean in stratum ``s``
  and ``w_s`` the stratum's number of girls and boys. It is the mean of the stratum ratios
  weighted by size x the boys' mean, and unlike a plain mean of ratios it does not swing
  wildly on a stratum where the boys' mean is near zero. Its interval is a percentile
  bootstrap resampling girls and boys within each stratum (so the weights stay fixed).
- *NDCG@k*: ranking quality with relevance = the placement's theme profile against the
  elementwise maximum of the student's interest and talent vectors (the themes the student
  likes *or* showed talent for), in [0, 1]. The ideal ranking is the best ``k`` by relevance
  among the student's scored candidates (``candidates_k``, 50 in the app); a student whose
  candidates all have relevance 0 has no NDCG. Reported per group with the difference
  girls - boys and a bootstrap interval.
- *counterfactual*: every gendered word the students wrote (interests, dream job, what
  observers wrote) is flipped to the other gender (:func:`matching.gender.flip_gender`), and the
  flipped students are scored again. The largest change of a score at any position of their
  candidate lists and the number of changed candidate lists must both be 0.
- *proxy*: how well gender can be told from what the scorer sees: a logistic regression
  predicting girl against boy from the interest and talent vectors, level, wanted kinds,
  travel limit and the words (as the scorer's TF-IDF), cross-validated, as ROC AUC. 0.5 means
  no proxy; close to 1 means the scorer's inputs carry gender even though gender is not one.

Students whose gender is other or not given are in the counterfactual check but not in the
girls/boys figures. Students without any ranked placement (nothing to match on, nothing
admissible) have no ranking to measure and are counted apart.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from .gender import flip_gender
from .records import StudentRecord
from .scoring import MatchScorer, ScoreTable, StudentBatch

FORMAT = "talentmatch-fairness/1"
GIRL, BOY = "girl", "boy"
GENDERS = ("girl", "boy", "other", "not_given")
BIN_LABELS = ("none", "some", "strong")


# -- the figures, each simple enough to check by hand ----------------------------------------

def technical_placements(scorer: MatchScorer, threshold: float = 0.5) -> np.ndarray:
    """Per fitted placement: does its theme profile weigh more than ``threshold`` on
    technical themes?"""
    share = scorer.themes_ @ scorer.profiler_.technical_.astype(np.float32)
    return share > threshold


def technical_level(vectors: np.ndarray, technical: np.ndarray) -> np.ndarray:
    """Per row, the largest value over the technical themes (0 without technical themes)."""
    if not technical.any() or not len(vectors):
        return np.zeros(len(vectors))
    return vectors[:, technical].max(axis=1).astype(np.float64)


def evidence_bins(values: np.ndarray, edges: Sequence[float] = (0.5,)) -> np.ndarray:
    """0 for none (<= 0), then 1 + the number of ``edges`` at or below the value."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(values <= 0, 0,
                    1 + np.searchsorted(np.asarray(edges), values, side="right"))


def ranked(table: ScoreTable, k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each student's candidates best first (ties: the lower placement index first), as
    (placement indices, scores) of shape (n, k), padded with -1 and nan."""
    n = table.scores.shape[0]
    counts = np.diff(table.scores.indptr)
    width = int(counts.max()) if n and len(counts) else 0
    width = width if k is None else k
    cols = np.full((n, width), -1, dtype=np.int64)
    scores = np.full((n, width), np.nan, dtype=np.float64)
    if not n or not width or not table.scores.nnz:
        return cols, scores
    rows = np.repeat(np.arange(n), counts)
    data, indices = table.scores.data.astype(np.float64), table.scores.indices
    order = np.lexsort((indices, -data, rows))
    rows, data, indices = rows[order], data[order], indices[order]
    position = np.arange(len(rows)) - table.scores.indptr[rows]
    keep = position < width
    cols[rows[keep], position[keep]] = indices[keep]
    scores[rows[keep], position[keep]] = data[keep]
    return cols, scores


def discounts(k: int) -> np.ndarray:
    """1 / log2(rank + 1) for ranks 1..k."""
    return 1.0 / np.log2(np.arange(2, k + 2))


def exposure(technical: np.ndarray, listed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position-weighted exposure to technical placements and their share, per student.

    ``technical`` and ``listed`` are (n, k) booleans: is the placement at that rank technical,
    is there a placement at that rank at all. A student with an empty list has share nan.
    """
    hits = technical & listed
    weighted = (hits * discounts(technical.shape[1])).sum(axis=1)
    length = listed.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(length > 0, hits.sum(axis=1) / np.maximum(length, 1), np.nan)
    return weighted.astype(np.float64), share


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
    predicted = cross_val_predict(model, features, labels, cv=cv, method="predict_proba")[:, 1]
    return float(roc_auc_score(labels, predicted))


def flipped(students: Sequence[StudentRecord]) -> list[StudentRecord]:
    """The students with every gendered word they wrote, or was written about them, flipped."""
    return [dataclasses.replace(
        s, interests=flip_gender(s.interests), dream_job=flip_gender(s.dream_job),
        observations=tuple(dataclasses.replace(o, skills=flip_gender(o.skills))
                           for o in s.observations)) for s in students]


# -- the report -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Ratio:
    """A figure with its bootstrap interval (None where it cannot be computed)."""

    value: float | None
    low: float | None = None
    high: float | None = None

    def to_json(self) -> dict:
        return {"value": _round(self.value), "low": _round(self.low), "high": _round(self.high)}


@dataclass(frozen=True, slots=True)
class Stratum:
    interest: str
    talent: str
    girls: int
    boys: int
    exposure_girls: float | None
    exposure_boys: float | None
    share_girls: float | None
    share_boys: float | None

    def to_json(self) -> dict:
        return {name: _round(value) if isinstance(value, float) else value
                for name, value in ((f.name, getattr(self, f.name))
                                    for f in dataclasses.fields(self))}


@dataclass(frozen=True, slots=True)
class Counterfactual:
    students_flipped: int  # students whose texts held a gendered word
    max_score_change: float
    rankings_changed: int

    @property
    def unchanged(self) -> bool:
        return self.max_score_change == 0 and self.rankings_changed == 0

    def to_json(self) -> dict:
        return {"students_flipped": self.students_flipped,
                "max_score_change": float(self.max_score_change),
                "rankings_changed": self.rankings_changed, "unchanged": self.unchanged}


@dataclass(frozen=True, slots=True)
class Proxy:
    auc: float | None  # everything the scorer sees, words included
    auc_without_words: float | None
    students: int

    def to_json(self) -> dict:
        return {"auc": _round(self.auc), "auc_without_words": _round(self.auc_without_words),
                "students": self.students}


@dataclass(frozen=True)
class FairnessReport:
    k: int
    students: dict[str, int]  # audited students per gender
    ranked: dict[str, int]  # girls and boys with at least one ranked placement
    placements: int
    technical_placements: int
    exposure_girls: float | None  # plain means, before standardising
    exposure_boys: float | None
    exposure: Ratio  # girls/boys within interest x talent strata
    share: Ratio
    exposure_by_talent: Ratio  # girls/boys within talent strata
    share_by_talent: Ratio
    strata: tuple[Stratum, ...]
    ndcg_girls: float | None
    ndcg_boys: float | None
    ndcg_difference: Ratio  # girls - boys
    counterfactual: Counterfactual | None
    proxy: Proxy | None
    sampled_from: int | None = None  # the cohort's size when a sample was audited
    settings: dict = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "format": FORMAT, "k": self.k, "students": dict(self.students),
            "ranked": dict(self.ranked), "placements": self.placements,
            "technical_placements": self.technical_placements,
            "exposure_girls": _round(self.exposure_girls),
            "exposure_boys": _round(self.exposure_boys),
            "exposure": self.exposure.to_json(), "share": self.share.to_json(),
            "exposure_by_talent": self.exposure_by_talent.to_json(),
            "share_by_talent": self.share_by_talent.to_json(),
            "strata": [s.to_json() for s in self.strata],
            "ndcg_girls": _round(self.ndcg_girls), "ndcg_boys": _round(self.ndcg_boys),
            "ndcg_difference": self.ndcg_difference.to_json(),
            "counterfactual": self.counterfactual.to_json() if self.counterfactual else None,
            "proxy": self.proxy.to_json() if self.proxy else None,
            "sampled_from": self.sampled_from, "settings": dict(self.settings),
            "seconds": round(self.seconds, 2),
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def _mean(values: np.ndarray) -> float | None:
    values = values[np.isfinite(values)]
    return float(values.mean()) if len(values) else None


# -- the audit --------------------------------------------------------------------------------

class FairnessAudit:
    """Audits a fitted scorer's rankings of a cohort for girls and boys.

    Parameters
    ----------
    scorer : a fitted :class:`~matching.scoring.MatchScorer`; it is only read.
    k : the length of the ranking audited.
    technical_threshold : a placement is technical above this share of technical themes.
    bin_edges : edges between "some" and "strong" technical interest and talent (above 0).
    n_bootstrap : bootstrap resamples for the intervals (0: no intervals).
    confidence : the intervals' coverage.
    proxy_folds : cross-validation folds of the proxy check.
    max_students : a larger cohort is audited on a random sample of this many students (the
        report says so); keeps the audit of a round with 100,000 students to seconds.
    counterfactual, proxy : run these checks.
    random_state : seed of the sample, the bootstrap and the folds.
    """

    def __init__(self, scorer: MatchScorer, k: int = 5, technical_threshold: float = 0.5,
                 bin_edges: Sequence[float] = (0.5,), n_bootstrap: int = 1000,
                 confidence: float = 0.95, proxy_folds: int = 5,
                 max_students: int | None = 5000, counterfactual: bool = True,
                 proxy: bool = True, random_state: int | None = 0):
        self.scorer = scorer
        self.k = k
        self.technical_threshold = technical_threshold
        self.bin_edges = bin_edges
        self.n_bootstrap = n_bootstrap
        self.confidence = confidence
        self.proxy_folds = proxy_folds
        self.max_students = max_students
        self.counterfactual = counterfactual
        self.proxy = proxy
        self.random_state = random_state

    def fit(self, students: Sequence[StudentRecord],
            genders: Sequence[str | None]) -> FairnessAudit:
        """``genders[i]`` is the gender of ``students[i]`` ("girl", "boy", "other",
        "not_given"; None counts as not given)."""
        started = time.perf_counter()
        students = tuple(students)
        genders = np.array([str(g) if g in GENDERS else "not_given" for g in genders],
                           dtype=object)
        if len(genders) != len(students):
            raise ValueError("give one gender per student")
        if self.k < 1:
            raise ValueError("k must be at least 1")
        scorer = self.scorer
        rng = np.random.default_rng(self.random_state)
        sampled_from = None
        if self.max_students is not None and len(students) > self.max_students:
            keep = np.sort(rng.choice(len(students), self.max_students, replace=False))
            sampled_from = len(students)
            students = tuple(students[i] for i in keep)
            genders = genders[keep]
        girls, boys = genders == GIRL, genders == BOY

        batch = scorer.prepare(students)
        table = scorer.score(batch)
        cols, _scores = ranked(table)
        top = cols[:, :self.k]
        listed = top >= 0
        technical = technical_placements(scorer, self.technical_threshold)
        student_exposure, share = exposure(technical[np.where(listed, top, 0)] & listed,
                                           listed)
        has_ranking = listed.any(axis=1)
        tech_themes = scorer.profiler_.technical_.astype(bool)
        interest_bin = evidence_bins(technical_level(batch.interest, tech_themes),
                                     self.bin_edges)
        talent_bin = evidence_bins(technical_level(batch.talent, tech_themes), self.bin_edges)
        n_bins = len(self.bin_edges) + 2
        both = interest_bin * n_bins + talent_bin
        g, b = girls & has_ranking, boys & has_ranking
        figures = {"exposure": student_exposure, "share": share}
        ratios = {}
        for name, values in figures.items():
            for strata_name, strata in (("", both), ("_by_talent", talent_bin)):
                ratios[name + strata_name] = self._ratio(values, g, b, strata, rng)

        ndcg_values = self._ndcg(batch, cols)
        ndcg_g, ndcg_b = g & np.isfinite(ndcg_values), b & np.isfinite(ndcg_values)
        difference = self._difference(ndcg_values, ndcg_g, ndcg_b, rng)

        self.report_ = FairnessReport(
            k=self.k, students={name: int((genders == name).sum()) for name in GENDERS},
            ranked={GIRL: int(g.sum()), BOY: int(b.sum())},
            placements=len(scorer.placements_), technical_placements=int(technical.sum()),
            exposure_girls=_mean(student_exposure[g]), exposure_boys=_mean(student_exposure[b]),
            exposure=ratios["exposure"], share=ratios["share"],
            exposure_by_talent=ratios["exposure_by_talent"],
            share_by_talent=ratios["share_by_talent"],
            strata=self._strata(student_exposure, share, g, b, interest_bin, talent_bin),
            ndcg_girls=_mean(ndcg_values[ndcg_g]), ndcg_boys=_mean(ndcg_values[ndcg_b]),
            ndcg_difference=difference,
            counterfactual=self._counterfactual(students, cols) if self.counterfactual
            else None,
            proxy=self._proxy(batch, girls | boys, girls) if self.proxy else None,
            sampled_from=sampled_from,
            settings={"technical_threshold": self.technical_threshold,
                      "bin_edges": list(self.bin_edges), "n_bootstrap": self.n_bootstrap,
                      "confidence": self.confidence, "max_students": self.max_students,
                      "candidates_k": scorer.candidates_k, "random_state": self.random_state},
            seconds=time.perf_counter() - started)
        return self

    # -- parts --------------------------------------------------------------------------------

    def _interval(self, samples: np.ndarray) -> tuple[float | None, float | None]:
        samples = samples[np.isfinite(samples)]
        if not len(samples):
            return None, None
        tail = (1 - self.confidence) / 2 * 100
        low, high = np.percentile(samples, [tail, 100 - tail])
        return float(low), float(high)

    def _resampled_means(self, values: np.ndarray, members: np.ndarray,
                         rng: np.random.Generator) -> np.ndarray:
        """Means of ``n_bootstrap`` resamples (with replacement) of ``values[members]``."""
        picked = values[members]
        draws = rng.integers(0, len(picked), size=(self.n_bootstrap, len(picked)))
        return picked[draws].mean(axis=1)

    def _ratio(self, values: np.ndarray, girls: np.ndarray, boys: np.ndarray,
               strata: np.ndarray, rng: np.random.Generator) -> Ratio:
        value = standardised_ratio(values, girls, boys, strata)
        if value is None or self.n_bootstrap <= 0:
            return Ratio(value)
        top = np.zeros(self.n_bootstrap)
        bottom = np.zeros(self.n_bootstrap)
        for s in np.unique(strata):
            in_g, in_b = girls & (strata == s), boys & (strata == s)
            if not in_g.any() or not in_b.any():
                continue
            w = in_g.sum() + in_b.sum()
            top += w * self._resampled_means(values, in_g, rng)
            bottom += w * self._resampled_means(values, in_b, rng)
        with np.errstate(invalid="ignore", divide="ignore"):
            samples = np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)
        return Ratio(value, *self._interval(samples))

    def _difference(self, values: np.ndarray, girls: np.ndarray, boys: np.ndarray,
                    rng: np.random.Generator) -> Ratio:
        if not girls.any() or not boys.any():
            return Ratio(None)
        value = float(values[girls].mean() - values[boys].mean())
        if self.n_bootstrap <= 0:
            return Ratio(value)
        samples = (self._resampled_means(values, girls, rng)
                   - self._resampled_means(values, boys, rng))
        return Ratio(value, *self._interval(samples))

    def _strata(self, exposure_values, share, girls, boys, interest_bin,
                talent_bin) -> tuple[Stratum, ...]:
        labels = _bin_labels(len(self.bin_edges))
        out = []
        for i, interest in enumerate(labels):
            for t, talent in enumerate(labels):
                here = (interest_bin == i) & (talent_bin == t)
                g, b = girls & here, boys & here
                if not g.any() and not b.any():
                    continue
                out.append(Stratum(
                    interest, talent, int(g.sum()), int(b.sum()),
                    _mean(exposure_values[g]), _mean(exposure_values[b]),
                    _mean(share[g]), _mean(share[b])))
        return tuple(out)

    def _ndcg(self, batch: StudentBatch, cols: np.ndarray) -> np.ndarray:
        """NDCG@k per student against the best k of their scored candidates."""
        scorer = self.scorer
        n, width = cols.shape
        if not n or not width:
            return np.full(n, np.nan)
        likes = np.maximum(batch.interest, batch.talent)
        rows = np.repeat(np.arange(n), width)
        flat = cols.ravel()
        present = flat >= 0
        relevance = np.full(n * width, np.nan)
        relevance[present] = np.einsum(
            "ij,ij->i", likes[rows[present]], scorer.themes_[flat[present]])
        relevance = relevance.reshape(n, width)
        ideal = -np.sort(-np.nan_to_num(relevance, nan=0.0), axis=1)[:, :self.k]
        return ndcg(relevance[:, :self.k], ideal)

    def _counterfactual(self, students: tuple[StudentRecord, ...],
                        cols: np.ndarray) -> Counterfactual:
        """Scores again the students whose texts change when gender is flipped; compares each
        position of their candidate lists."""
        mirror = flipped(students)
        changed = np.array([a != b for a, b in zip(students, mirror, strict=True)], dtype=bool)
        rows = np.flatnonzero(changed)
        if not len(rows):
            return Counterfactual(0, 0.0, 0)
        scorer = self.scorer
        original = scorer.score(scorer.prepare([students[i] for i in rows]))
        again = scorer.score(scorer.prepare([mirror[i] for i in rows]))
        width = max(int(np.diff(original.scores.indptr).max(initial=0)),
                    int(np.diff(again.scores.indptr).max(initial=0)))
        a_cols, a_scores = ranked(original, width)
        b_cols, b_scores = ranked(again, width)
        listed_differently = (a_cols != b_cols).any(axis=1)
        both = np.isfinite(a_scores) & np.isfinite(b_scores)
        change = float(np.abs(a_scores - b_scores)[both].max(initial=0.0))
        return Counterfactual(len(rows), change, int(listed_differently.sum()))

    def _proxy(self, batch: StudentBatch, known: np.ndarray, girls: np.ndarray) -> Proxy:
        rows = np.flatnonzero(known)
        scorer = self.scorer
        if not len(rows):
            return Proxy(None, None, 0)
        level = np.zeros((len(rows), len(scorer.levels_) + 1), dtype=np.float32)
        level[np.arange(len(rows)), batch.level[rows]] = 1
        profile = np.hstack([batch.interest[rows], batch.talent[rows], level,
                             batch.wants[rows].astype(np.float32),
                             (batch.travel_km[rows] / 100.0)[:, None]])
        labels = girls[rows]
        words = sp.hstack([sp.csr_matrix(profile), batch.text[rows]]).tocsr()
        return Proxy(
            proxy_auc(words, labels, self.proxy_folds, self.random_state),
            proxy_auc(profile, labels, self.proxy_folds, self.random_state), len(rows))


def _bin_labels(n_edges: int) -> tuple[str, ...]:
    if n_edges == 1:
        return BIN_LABELS
    return ("none", *(f"level {i}" for i in range(1, n_edges + 2)))
