"""Scoring (student, placement) pairs: hard rules first, then a weighted sum of components.

Seven components, each in [0, 1]: ``text``, ``themes``, ``talent``, ``level``, ``distance``,
``period`` and ``feedback``, defined (with the full story of a single pair) in
:mod:`matching.components`. What the scorer reads of students and placements is built in
:mod:`matching.score_inputs`.

Hard rules exclude a pair: a level the placement does not take, a kind the student does not
want, beyond the travel limit, no overlap of the periods. Unknown facts never exclude: a missing
postcode or period scores in the middle instead.

For a whole cohort the scorer never builds the full students x placements matrix: students are
grouped by postcode, and each group is scored only against the placements within the group's
largest travel limit (a ball tree over the postcode centroids), block by block
(:mod:`matching.blocks`), with BLAS on one thread (:mod:`matching.threads`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import BallTree

from .blocks import CohortBlocks, best_candidates, placement_period_codes
from .components import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    OPEN_LEVEL,
    UNKNOWN_DISTANCE,
    UNKNOWN_STUDENT_PERIOD,
    PairScore,
    normalised_weights,
    pair_scores,
)
from .profiles import STRONG_TALENT, OccupationLookup, ThemeProfiler, theme_fit
from .records import PlacementRecord, StudentRecord
from .score_inputs import (
    ScoreTable,
    StudentBatch,
    analyse,
    placement_arrays,
    placement_text,
    student_arrays,
    student_text,
)
from .threads import one_blas_thread

# Callers import these from here, also those now defined in matching.components and
# matching.score_inputs.
__all__ = ["COMPONENTS", "DEFAULT_WEIGHTS", "OPEN_LEVEL", "UNKNOWN_DISTANCE",
           "UNKNOWN_STUDENT_PERIOD", "MatchScorer", "PairScore", "ScoreTable", "StudentBatch",
           "analyse", "normalised_weights"]


class MatchScorer(BaseEstimator):
    """Scores students against a fixed set of placements.

    Parameters
    ----------
    weights : component weights (see ``COMPONENTS``); missing ones default, all are rescaled to
        sum to one.
    candidates_k : how many best placements per student ``score`` keeps.
    today : the day observations are aged against (default: the day ``fit`` runs).
    half_life_days : an observation counts half after this many days.
    occupation_lookup : text -> ESCO occupation code, used to link dream jobs and placement
        titles to themes; None leaves occupations out.
    talent_strong : talent evidence at which a theme fits as well as a chosen one.
    respect : what talent counts for a student who states interests only on the other side
        (technical or not) of it; see :func:`matching.profiles.theme_fit`.
    talent_fits : whether talent can fit a theme as a stated interest does (False: the themes
        part reads stated interest alone, for comparison).
    transfer : for an undecided student, how much talent on one side (technical or not) fits
        the other themes of that side.
    """

    def __init__(self, weights: dict[str, float] | None = None, candidates_k: int = 50,
                 today: date | None = None, half_life_days: float = 730.0,
                 occupation_lookup: OccupationLookup | None = None,
                 talent_strong: float = STRONG_TALENT, respect: float = 0.5,
                 talent_fits: bool = True, transfer: float = 0.5):
        self.weights = weights
        self.candidates_k = candidates_k
        self.today = today
        self.half_life_days = half_life_days
        self.occupation_lookup = occupation_lookup
        self.talent_strong = talent_strong
        self.respect = respect
        self.talent_fits = talent_fits
        self.transfer = transfer

    # -- fitting on the placements ------------------------------------------------------------

    def fit(self, placements: Sequence[PlacementRecord]) -> MatchScorer:
        self.today_ = self.today or date.today()
        self.weights_ = normalised_weights(self.weights)
        self.profiler_ = ThemeProfiler(half_life_days=self.half_life_days,
                                       occupation_lookup=self.occupation_lookup).fit()
        self.placements_ = tuple(placements)
        self.placement_ids_ = np.array([p.id for p in self.placements_], dtype=np.int64)
        self._fit_text()
        self.themes_ = self.profiler_.placement_matrix(self.placements_)
        facts = placement_arrays(self.placements_)
        self.levels_, self.accepts_, self.named_level_ = (facts.levels, facts.accepts,
                                                          facts.named_level)
        self.kinds_, self.kind_ = facts.kinds, facts.kind
        self.point_ = facts.point
        self.located_ = ~np.isnan(self.point_[:, 0])
        self.unlocated_ = np.flatnonzero(~self.located_)
        self.tree_ = BallTree(self.point_[self.located_], metric="haversine") \
            if self.located_.any() else None
        self.tree_columns_ = np.flatnonzero(self.located_)
        self.period_, self.period_known_, self.period_bounded_ = (
            facts.period, facts.period_known, facts.period_bounded)
        self.period_code_ = placement_period_codes(self)
        self.feedback_ = facts.feedback
        self.theme_pair_ = np.hstack([self.themes_, self.themes_]).astype(np.float32)
        level_fit = np.where(self.named_level_, 1.0, OPEN_LEVEL)
        self.column_constant_ = (self.weights_["level"] * level_fit
                                 + self.weights_["feedback"] * self.feedback_).astype(np.float32)
        return self

    def _fit_text(self) -> None:
        """The placements' TF-IDF vectors, and the words they are over (for explanations)."""
        docs = [placement_text(p) for p in self.placements_]
        self.vectorizer_: TfidfVectorizer | None = None
        self.vocabulary_ = np.zeros(0, dtype=object)
        if not any(analyse(doc) for doc in docs):
            self.text_ = sp.csr_matrix((len(docs), 1), dtype=np.float32)
            return
        # scikit-learn's inferred types miss a callable analyzer and a float32 dtype.
        vectorizer = TfidfVectorizer(analyzer=analyse,  # pyright: ignore[reportArgumentType]
                                     sublinear_tf=True,
                                     dtype=np.float32)  # pyright: ignore[reportArgumentType]
        self.text_ = sp.csr_matrix(vectorizer.fit_transform(docs))
        self.vectorizer_ = vectorizer
        self.vocabulary_ = vectorizer.get_feature_names_out()

    # -- students -----------------------------------------------------------------------------

    def prepare(self, students: Sequence[StudentRecord]) -> StudentBatch:
        students = tuple(students)
        profiler = self.profiler_
        docs = [student_text(s) for s in students]
        if self.vectorizer_ is not None and students:
            # Each distinct text is read once; a row does not depend on the others.
            distinct = {doc: n for n, doc in enumerate(dict.fromkeys(docs))}
            text = sp.csr_matrix(self.vectorizer_.transform(list(distinct)))
            if len(distinct) < len(docs):
                text = sp.csr_matrix(text[[distinct[doc] for doc in docs]])
        else:
            # scipy declares a sparse matrix's shape from its None default: a stub gap.
            width = self.text_.shape[1]  # pyright: ignore[reportOptionalSubscript]
            text = sp.csr_matrix((len(students), width), dtype=np.float32)
        interest = profiler.interest_matrix(students)
        talent = profiler.talent_matrix(students, self.today_)
        fitted = theme_fit(interest, talent, profiler.technical_,
                           strong=self.talent_strong, respect=self.respect,
                           talent_fits=self.talent_fits, transfer=self.transfer)
        facts = student_arrays(students, self.levels_, self.kinds_)
        has_words = np.diff(text.indptr) > 0 if students else np.zeros(0, dtype=bool)
        insufficient = ~(has_words | (interest.sum(axis=1) > 0) | (talent.sum(axis=1) > 0))
        return StudentBatch(
            students=students, text=text, interest=interest, talent=talent, fit=fitted.fit,
            evidence=fitted.evidence, level=facts.level, wants=facts.wants, point=facts.point,
            travel_km=facts.travel_km, available=facts.available,
            period_known=facts.period_known, insufficient=insufficient)

    # -- whole cohorts ------------------------------------------------------------------------

    def score(self, students: Sequence[StudentRecord] | StudentBatch,
              progress: Callable[[int, int], None] | None = None,
              available: np.ndarray | None = None, n_threads: int = 1) -> ScoreTable:
        """Each student's best ``candidates_k`` admissible placements.

        ``available`` (a bool per placement) leaves out placements without a free place, so
        that they do not take up the candidate lists. ``progress(done, total)`` is called after
        each block of students. ``n_threads`` > 1 scores blocks in that many threads (the
        same results).
        """
        batch = students if isinstance(students, StudentBatch) else self.prepare(students)
        n, k = len(batch.students), self.candidates_k
        indices = np.full((n, k), -1, dtype=np.int64)
        values = np.zeros((n, k), dtype=np.float32)
        admissible = np.zeros(n, dtype=np.int64)
        with one_blas_thread():
            best_candidates(CohortBlocks(self, batch, available), k, indices, values,
                            admissible, progress, n_threads=n_threads)
        keep = indices >= 0
        counts = keep.sum(axis=1)
        indptr = np.concatenate([[0], np.cumsum(counts)])
        # Stored scores stay positive so that "stored" always means "admissible".
        scores = sp.csr_matrix(
            (np.maximum(values[keep], 1e-6), indices[keep], indptr),
            shape=(n, len(self.placements_)))
        return ScoreTable(scores=scores, insufficient=batch.insufficient.copy(),
                          admissible=admissible,
                          student_ids=tuple(s.id for s in batch.students))

    # -- one student, one pair ----------------------------------------------------------------

    def score_one(self, student: StudentRecord,
                  batch: StudentBatch | None = None) -> np.ndarray:
        """Scores against every placement, in fitted order; -inf where a hard rule excludes.

        Only the placements within reach and taking the student's level are computed.
        ``batch``, when given, is the student already prepared (one row).
        """
        batch = batch if batch is not None else self.prepare([student])
        out = np.full(len(self.placements_), -np.inf, dtype=np.float32)
        blocks = CohortBlocks(self, batch)
        with one_blas_thread():
            for block in blocks:
                group = blocks.total(block)
                out[block.cols[group.live]] = group.total[0]
        return out

    def pair(self, student: StudentRecord, placement_index: int,
             batch: StudentBatch | None = None, row: int = 0,
             force: bool = False) -> PairScore | None:
        """The full story of one pair, or None when a hard rule excludes it.

        ``force`` scores it anyway: a counsellor's pin overrides the hard rules.
        """
        batch = batch if batch is not None else self.prepare([student])
        return self.pairs(batch, [row], [placement_index], force=[force])[0]

    def pairs(self, batch: StudentBatch, rows: Sequence[int] | np.ndarray,
              cols: Sequence[int] | np.ndarray,
              force: Sequence[bool] | np.ndarray | None = None) -> list[PairScore | None]:
        """:meth:`pair` for many pairs (rows of ``batch``, placement indices) at once."""
        return pair_scores(self, batch, rows, cols, force)
