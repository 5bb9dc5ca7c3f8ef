"""Fairness of matching for girls and boys: measured on the round's proposals and rankings.

Gender is never an input to matching (see :mod:`matching.records`). Whether matching still
treats girls and boys alike is a question of outcomes, and this module measures them. Gender
comes in here only, as a label beside each student, and never reaches the scorer.

The lead figure is per group of stated interest and observed talent, on what the round
proposed (:mod:`matching.fairness_strata`, where the groups, the shares, their ratio intervals
and the headline, the worst large group, are defined). Besides it, for each student's list of
:func:`matching.recommend.recommend` (its ``k`` (5) placements, the list students see):

- *technical placement*: one whose theme profile (a row of ``MatchScorer.themes_``, summing to
  one) weighs more than half on technical themes (``ThemeDef.technical``). A placement
  without any theme is not technical.
- *exposure*: sum over the list of ``technical / log2(rank + 1)`` (rank 1 counts 1, rank 5
  0.39), the position-weighted exposure to technical placements; *share*: the technical part
  of the list.
- *standardised ratio* of exposure and share: ``sum_s w_s girls_s / sum_s w_s boys_s`` over the
  groups ``s`` holding girls and boys, ``girls_s``/``boys_s`` the group's mean and ``w_s`` its
  number of girls and boys; once over the stance x talent groups, once over the talent levels
  alone. Its interval is a percentile bootstrap resampling girls and boys within each group.
  It is an average, and an average can hide a group: the per-group figures lead.
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
admissible) have no ranking to measure: they count in their group (no technical proposal, no
technical top 5) but not in exposure, share and NDCG.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from .fairness_measures import (
    Exposure,
    Ranked,
    discounts,
    exposure,
    flipped,
    ndcg,
    proxy_auc,
    ranked,
    standardised_ratio,
    technical_by_id,
    technical_placements,
)
from .fairness_report import (
    BOY,
    FORMAT,
    GENDERS,
    GIRL,
    Counterfactual,
    FairnessReport,
    Proxy,
    Ratio,
)
from .fairness_strata import MIN_BOYS, MIN_GIRLS, group_figures, student_groups, worst_group
from .recommend import recommend
from .records import PlacementRecord, StudentRecord
from .scoring import MatchScorer, StudentBatch

# The figures were defined here before matching.fairness_measures; callers import them here.
__all__ = ["BOY", "FORMAT", "GENDERS", "GIRL", "Counterfactual", "Exposure", "FairnessAudit",
           "FairnessReport", "Proxy", "Ranked", "Ratio", "discounts", "exposure", "flipped",
           "ndcg", "proxy_auc", "ranked", "standardised_ratio", "technical_by_id",
           "technical_placements"]


@dataclass(frozen=True, slots=True)
class _RoundProposals:
    """Per student: the round proposed a placement, and a technical one (None: the
    proposals are not known)."""

    proposed: np.ndarray | None
    technical: np.ndarray | None


# -- the audit --------------------------------------------------------------------------------

class FairnessAudit(BaseEstimator):
    """Audits a round of a fitted scorer for girls and boys: its proposals and rankings.

    Parameters
    ----------
    scorer : a fitted :class:`~matching.scoring.MatchScorer`; it is only read.
    k : the length of the list audited (as :func:`~matching.recommend.recommend` gives it).
    technical_threshold : a placement is technical above this share of technical themes.
    n_bootstrap : bootstrap resamples for the standardised ratios and the NDCG difference (0:
        no intervals). The groups' ratios have closed-form intervals.
    confidence : the intervals' coverage.
    proxy_folds : cross-validation folds of the proxy check.
    max_students : a larger cohort is audited on a random sample of this many students (the
        report says so); keeps the audit of a round with 100,000 students to seconds.
    min_girls, min_boys : a group leads the report (the headline) only with this many.
    counterfactual, proxy : run these checks.
    random_state : seed of the sample, the bootstrap and the folds.
    """

    def __init__(self, scorer: MatchScorer, k: int = 5, technical_threshold: float = 0.5,
                 n_bootstrap: int = 1000, confidence: float = 0.95, proxy_folds: int = 5,
                 max_students: int | None = 5000, min_girls: int = MIN_GIRLS,
                 min_boys: int = MIN_BOYS, counterfactual: bool = True, proxy: bool = True,
                 random_state: int | None = 0):
        self.scorer = scorer
        self.k = k
        self.technical_threshold = technical_threshold
        self.n_bootstrap = n_bootstrap
        self.confidence = confidence
        self.proxy_folds = proxy_folds
        self.max_students = max_students
        self.min_girls = min_girls
        self.min_boys = min_boys
        self.counterfactual = counterfactual
        self.proxy = proxy
        self.random_state = random_state

    def fit(self, students: Sequence[StudentRecord], genders: Sequence[str | None],
            proposals: Mapping[int, int] | None = None,
            proposed_placements: Sequence[PlacementRecord] = (),
            excludes: Iterable[tuple[int, int]] = ()) -> FairnessAudit:
        """``genders[i]`` is the gender of ``students[i]`` ("girl", "boy", "other",
        "not_given"; None counts as not given). ``proposals`` maps a student id to the
        placement id the round proposed (a student not in it has no proposal; None: the
        proposals are not known, and the report has no proposal figures).
        ``proposed_placements`` are the records of proposed placements the scorer was not
        fitted on (closed since the round), to tell whether they are technical.
        ``excludes`` are (student id, placement id) pairs never to list (turned down, or
        excluded by a counsellor), left out of the top ``k`` as a round leaves them out."""
        started = time.perf_counter()
        students = tuple(students)
        labels = np.array([str(g) if g in GENDERS else "not_given" for g in genders],
                          dtype=object)
        if len(labels) != len(students):
            raise ValueError("give one gender per student")
        if self.k < 1:
            raise ValueError("k must be at least 1")
        scorer = self.scorer
        rng = np.random.default_rng(self.random_state)
        sampled_from = None
        if self.max_students is not None and len(students) > self.max_students:
            keep = np.sort(rng.choice(len(students), self.max_students, replace=False))
            sampled_from = len(students)
            students = tuple(students[i] for i in keep.tolist())
            labels = labels[keep]
        girls, boys = np.equal(labels, GIRL), np.equal(labels, BOY)

        batch = scorer.prepare(students)
        table = scorer.score(batch)
        cols = ranked(table).columns
        top = recommend(scorer, batch, table, k=self.k,
                        exclude=_excluded_columns(scorer, students, excludes)).columns
        listed = top >= 0
        technical = technical_placements(scorer, self.technical_threshold)
        technical_listed = technical[np.where(listed, top, 0)] & listed
        exposed = exposure(technical_listed, listed)
        student_exposure, share = exposed.weighted, exposed.share
        has_ranking = np.any(listed, axis=1)
        strata = student_groups(batch.interest, batch.talent, scorer.profiler_.technical_)
        stance, talent = strata.stance, strata.talent
        round_ = self._proposals(students, proposals, proposed_placements, technical)
        groups = group_figures(stance, talent, girls, boys, np.any(technical_listed, axis=1),
                               round_.proposed, round_.technical, self.confidence)
        g, b = girls & has_ranking, boys & has_ranking
        figures = {"exposure": student_exposure, "share": share}
        by = {"": np.char.add(np.char.add(stance, "|"), talent), "_by_talent": talent}
        ratios = {name + suffix: self._ratio(values, g, b, strata, rng)
                  for name, values in figures.items() for suffix, strata in by.items()}

        ndcg_values = self._ndcg(batch, cols, top)
        ndcg_g, ndcg_b = g & np.isfinite(ndcg_values), b & np.isfinite(ndcg_values)
        difference = self._difference(ndcg_values, ndcg_g, ndcg_b, rng)

        self.report_ = FairnessReport(
            k=self.k, students={name: int(np.equal(labels, name).sum()) for name in GENDERS},
            ranked={GIRL: int(g.sum()), BOY: int(b.sum())},
            placements=len(scorer.placements_), technical_placements=int(technical.sum()),
            exposure_girls=_mean(student_exposure[g]), exposure_boys=_mean(student_exposure[b]),
            exposure=ratios["exposure"], share=ratios["share"],
            exposure_by_talent=ratios["exposure_by_talent"],
            share_by_talent=ratios["share_by_talent"],
            groups=groups, headline=worst_group(groups, self.min_girls, self.min_boys),
            proposals_given=proposals is not None,
            ndcg_girls=_mean(ndcg_values[ndcg_g]), ndcg_boys=_mean(ndcg_values[ndcg_b]),
            ndcg_difference=difference,
            counterfactual=self._counterfactual(students, cols) if self.counterfactual
            else None,
            proxy=self._proxy(batch, girls | boys, girls) if self.proxy else None,
            sampled_from=sampled_from,
            settings={"technical_threshold": self.technical_threshold,
                      "n_bootstrap": self.n_bootstrap, "confidence": self.confidence,
                      "max_students": self.max_students, "min_girls": self.min_girls,
                      "min_boys": self.min_boys, "candidates_k": scorer.candidates_k,
                      "random_state": self.random_state},
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

    def _ndcg(self, batch: StudentBatch, cols: np.ndarray, top: np.ndarray) -> np.ndarray:
        """NDCG@k per student: the list ``top`` against the best k of their scored
        candidates ``cols``."""
        scorer = self.scorer
        n, width = cols.shape
        if not n or not width:
            return np.full(n, np.nan)
        likes = np.maximum(batch.interest, batch.talent)

        def relevance_of(columns: np.ndarray) -> np.ndarray:
            rows = np.repeat(np.arange(n), columns.shape[1])
            flat = columns.ravel()
            present = flat >= 0
            relevance = np.full(len(flat), np.nan)
            relevance[present] = np.einsum(
                "ij,ij->i", likes[rows[present]], scorer.themes_[flat[present]])
            return relevance.reshape(columns.shape)

        ideal = -np.sort(-np.nan_to_num(relevance_of(cols), nan=0.0), axis=1)[:, :self.k]
        return ndcg(relevance_of(top), ideal)

    def _proposals(self, students: tuple[StudentRecord, ...],
                   proposals: Mapping[int, int] | None,
                   proposed_placements: Sequence[PlacementRecord], technical: np.ndarray
                   ) -> _RoundProposals:
        """Per student: has the round proposed a placement, and is it technical?"""
        if proposals is None:
            return _RoundProposals(None, None)
        known = technical_by_id(self.scorer, proposed_placements, self.technical_threshold,
                                technical)
        placed = [proposals.get(s.id) for s in students]
        return _RoundProposals(
            np.array([p is not None for p in placed], dtype=bool),
            np.array([p is not None and known.get(p, False) for p in placed], dtype=bool))

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
        a, b = ranked(original, width), ranked(again, width)
        listed_differently = np.any(a.columns != b.columns, axis=1)
        both = np.isfinite(a.scores) & np.isfinite(b.scores)
        change = float(np.abs(a.scores - b.scores)[both].max(initial=0.0))
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



def _mean(values: np.ndarray) -> float | None:
    values = values[np.isfinite(values)]
    return float(values.mean()) if len(values) else None


def _excluded_columns(scorer: MatchScorer, students: Sequence[StudentRecord],
                      excludes: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    """(student id, placement id) pairs as student row -> placement columns."""
    column = {pid: j for j, pid in enumerate(scorer.placement_ids_.tolist())}
    row = {s.id: i for i, s in enumerate(students)}
    found: dict[int, set[int]] = {}
    for student_id, placement_id in excludes:
        if student_id in row and placement_id in column:
            found.setdefault(row[student_id], set()).add(column[placement_id])
    return found
