"""Scoring (student, placement) pairs: hard rules first, then a weighted sum of components.

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

Hard rules exclude a pair: a level the placement does not take, a kind the student does not
want, beyond the travel limit, no overlap of the periods. Unknown facts never exclude: a missing
postcode or period scores in the middle instead.

For a whole cohort the scorer never builds the full students x placements matrix: students are
grouped by postcode, and each group is scored only against the placements within the group's
largest travel limit (a ball tree over the postcode centroids).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import BallTree

from .explain import Explanation, explain
from .gender import GENDER_WORDS
from .geo import EARTH_RADIUS_KM, postcodes
from .profiles import STRONG_TALENT, Evidence, OccupationLookup, ThemeProfiler, theme_fit
from .records import PlacementRecord, StudentRecord
from .text import normalise, tokens

COMPONENTS = ("text", "themes", "talent", "level", "distance", "period", "feedback")
DEFAULT_WEIGHTS = {"text": 0.15, "themes": 0.30, "talent": 0.20, "level": 0.05,
                   "distance": 0.15, "period": 0.10, "feedback": 0.05}
# What an unknown fact scores: neither a reason for nor against.
UNKNOWN_DISTANCE = 0.5
UNKNOWN_STUDENT_PERIOD = 0.75
OPEN_LEVEL = 0.8
# A far day for "available until further notice".
_FOREVER = date(9999, 12, 31).toordinal()
_NEVER = -1


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


@dataclass(frozen=True)
class ScoreTable:
    """A cohort's best admissible placements.

    ``scores`` holds, per student row, up to ``candidates_k`` admissible placements (columns
    in the order the scorer was fitted with) and their scores, all stored values > 0.
    ``insufficient`` marks students with nothing to match on (no themes, no words, no talent
    evidence); they get no candidates rather than random ones. ``admissible`` counts, per
    student, the placements that passed the hard rules.
    """

    scores: sp.csr_matrix
    insufficient: np.ndarray
    admissible: np.ndarray
    student_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class StudentBatch:
    """Students turned into the arrays the scorer reads."""

    students: tuple[StudentRecord, ...]
    text: sp.csr_matrix
    interest: np.ndarray
    talent: np.ndarray
    fit: np.ndarray  # what the themes part multiplies (theme_fit)
    evidence: np.ndarray  # what the talent part multiplies
    level: np.ndarray  # index into the scorer's levels, -1 for a level no placement names
    wants: np.ndarray  # (n, kinds) bool; a student who named no kind wants all
    point: np.ndarray  # (n, 2) radians; nan when the postcode is unknown
    travel_km: np.ndarray
    available: np.ndarray  # (n, 2) ordinal days; _NEVER/_FOREVER when open
    period_known: np.ndarray
    insufficient: np.ndarray

    def take(self, rows: np.ndarray) -> StudentBatch:
        """The batch of only these rows, in this order."""
        return StudentBatch(
            students=tuple(self.students[i] for i in rows), text=self.text[rows],
            interest=self.interest[rows], talent=self.talent[rows], fit=self.fit[rows],
            evidence=self.evidence[rows], level=self.level[rows],
            wants=self.wants[rows], point=self.point[rows], travel_km=self.travel_km[rows],
            available=self.available[rows], period_known=self.period_known[rows],
            insufficient=self.insufficient[rows])


class MatchScorer:
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
        weights = {**DEFAULT_WEIGHTS, **(self.weights or {})}
        unknown = set(weights) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"unknown score components: {', '.join(sorted(unknown))}")
        if any(isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w)
               or w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
            raise ValueError("weights must be finite, non-negative numbers, not all zero")
        total = sum(weights.values())
        self.weights_ = {name: weights[name] / total for name in COMPONENTS}
        self.profiler_ = ThemeProfiler(half_life_days=self.half_life_days,
                                       occupation_lookup=self.occupation_lookup).fit()
        self.placements_ = tuple(placements)
        self._vocabulary = None
        self.placement_ids_ = np.array([p.id for p in self.placements_], dtype=np.int64)
        docs = [_placement_text(p) for p in self.placements_]
        self.vectorizer_ = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, dtype=np.float32)
        if any(analyse(doc) for doc in docs):
            self.text_ = self.vectorizer_.fit_transform(docs).tocsr()
        else:
            self.vectorizer_ = None
            self.text_ = sp.csr_matrix((len(docs), 1), dtype=np.float32)
        self.themes_ = self.profiler_.placement_matrix(self.placements_)
        self.levels_ = sorted({level for p in self.placements_ for level in p.levels})
        level_index = {level: i for i, level in enumerate(self.levels_)}
        self.accepts_ = np.ones((len(self.placements_), len(self.levels_) + 1), dtype=bool)
        self.named_level_ = np.zeros(len(self.placements_), dtype=bool)
        for j, p in enumerate(self.placements_):
            if p.levels:
                self.named_level_[j] = True
                self.accepts_[j, :] = False
                for level in p.levels:
                    self.accepts_[j, level_index[level]] = True
        self.kinds_ = sorted({p.kind for p in self.placements_})
        kind_index = {kind: i for i, kind in enumerate(self.kinds_)}
        self.kind_ = np.array([kind_index[p.kind] for p in self.placements_], dtype=np.int64)
        self.point_ = _points([p.postcode for p in self.placements_])
        self.located_ = ~np.isnan(self.point_[:, 0])
        self.unlocated_ = np.flatnonzero(~self.located_)
        self.tree_ = BallTree(self.point_[self.located_], metric="haversine") \
            if self.located_.any() else None
        self.tree_columns_ = np.flatnonzero(self.located_)
        # An open end ("from 1 February") or an open start ("until June") is still a rule.
        self.period_ = np.array(
            [(p.starts_on.toordinal() if p.starts_on else _NEVER,
              p.ends_on.toordinal() if p.ends_on else _FOREVER) for p in self.placements_],
            dtype=np.int64).reshape(-1, 2)
        self.period_known_ = np.array(
            [p.starts_on is not None or p.ends_on is not None for p in self.placements_],
            dtype=bool)
        self.period_bounded_ = np.array(
            [p.starts_on is not None and p.ends_on is not None for p in self.placements_],
            dtype=bool)
        self.feedback_ = np.array(
            [(p.feedback_positive + 1) / (p.feedback_total + 2) for p in self.placements_],
            dtype=np.float32)
        self.theme_pair_ = np.hstack([self.themes_, self.themes_]).astype(np.float32)
        level_fit = np.where(self.named_level_, 1.0, OPEN_LEVEL)
        self.column_constant_ = (self.weights_["level"] * level_fit
                                 + self.weights_["feedback"] * self.feedback_).astype(np.float32)
        return self

    # -- students -----------------------------------------------------------------------------

    def prepare(self, students: Sequence[StudentRecord]) -> StudentBatch:
        students = tuple(students)
        profiler = self.profiler_
        docs = [_student_text(s) for s in students]
        if self.vectorizer_ is not None and students:
            text = self.vectorizer_.transform(docs).tocsr()
        else:
            text = sp.csr_matrix((len(students), self.text_.shape[1]), dtype=np.float32)
        interest = profiler.interest_matrix(students)
        talent = profiler.talent_matrix(students, self.today_)
        fitted = theme_fit(interest, talent, profiler.technical_,
                           strong=self.talent_strong, respect=self.respect,
                           talent_fits=self.talent_fits, transfer=self.transfer)
        fit, evidence = fitted.fit, fitted.evidence
        level_index = {level: i for i, level in enumerate(self.levels_)}
        # A level no placement names is accepted only by placements open to every level.
        level = np.array([level_index.get(s.level, len(self.levels_)) for s in students],
                         dtype=np.int64)
        wants = np.ones((len(students), len(self.kinds_)), dtype=bool)
        for i, s in enumerate(students):
            if s.wanted_kinds:
                wants[i] = [kind in s.wanted_kinds for kind in self.kinds_]
        available = np.array(
            [((s.available_from.toordinal() if s.available_from else _NEVER),
              (s.available_until.toordinal() if s.available_until else _FOREVER))
             for s in students], dtype=np.int64).reshape(-1, 2)
        period_known = np.array([s.available_from is not None or s.available_until is not None
                                 for s in students], dtype=bool)
        has_words = np.diff(text.indptr) > 0 if students else np.zeros(0, dtype=bool)
        insufficient = ~(has_words | (interest.sum(axis=1) > 0) | (talent.sum(axis=1) > 0))
        return StudentBatch(
            students=students, text=text, interest=interest, talent=talent, fit=fit,
            evidence=evidence, level=level,
            wants=wants, point=_points([s.postcode for s in students]),
            travel_km=np.array([max(s.travel_km, 0.0) for s in students], dtype=np.float64),
            available=available, period_known=period_known, insufficient=insufficient)

    # -- the block computation every path shares ---------------------------------------------

    def _block(self, batch: StudentBatch, rows: np.ndarray, cols: np.ndarray,
               paired: bool = False) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """Components, the admissible mask and the distances in km (nan: unknown).

        On a grid (rows x cols), or with ``paired`` for the pairs (rows[i], cols[i]). Both
        forms share every rule below through broadcasting: ``r`` and ``c`` index the student
        and placement side of each cell.
        """
        if paired:
            r, c = rows, cols
            text = (np.asarray(batch.text[rows].multiply(self.text_[cols]).sum(axis=1)).ravel()
                    if len(rows) else np.zeros(0, dtype=np.float32))
            placement_themes = self.themes_[cols]
            themes = np.einsum("ij,ij->i", batch.fit[rows], placement_themes)
            talent = np.einsum("ij,ij->i", batch.evidence[rows], placement_themes)
            accepts = self.accepts_[cols, batch.level[rows]]
            wants = batch.wants[rows, self.kind_[cols]]
            km = _haversine_paired(batch.point[rows], self.point_[cols])
        else:
            r, c = rows[:, None], cols[None, :]
            n, m = len(rows), len(cols)
            text = (batch.text[rows] @ self.text_[cols].T).toarray() if m and n \
                else np.zeros((n, m), dtype=np.float32)
            placement_themes = self.themes_[cols]
            themes = batch.fit[rows] @ placement_themes.T
            talent = batch.evidence[rows] @ placement_themes.T
            accepts = self.accepts_[cols][:, batch.level[rows]].T
            wants = batch.wants[rows][:, self.kind_[cols]]
            km = _distance_km(batch.point[rows], self.point_[cols])
        shape = np.broadcast_shapes(np.shape(r), np.shape(c))
        level = np.where(self.named_level_[c], 1.0, OPEN_LEVEL).astype(np.float32)
        limit = batch.travel_km[r]
        with np.errstate(invalid="ignore", divide="ignore"):
            distance = np.where(np.isnan(km), UNKNOWN_DISTANCE,
                                np.clip(1.0 - km / np.maximum(limit, 1e-9), 0.0, 1.0))
        near_enough = np.isnan(km) | (km <= limit)
        period, in_period = self._period(batch.available[r, 0], batch.available[r, 1],
                                         batch.period_known[r], c)
        mask = accepts & wants & near_enough & in_period & ~batch.insufficient[r]
        components = {
            "text": np.clip(text, 0.0, 1.0), "themes": np.clip(themes, 0.0, 1.0),
            "talent": np.clip(talent, 0.0, 1.0), "level": np.broadcast_to(level, shape),
            "distance": distance, "period": np.clip(period, 0.0, 1.0),
            "feedback": np.broadcast_to(self.feedback_[c], shape),
        }
        return components, mask, km

    def _period(self, available_from: np.ndarray, available_until: np.ndarray,
                student_known: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The period component and whether the periods overlap (broadcasting)."""
        start = np.maximum(available_from, self.period_[c, 0])
        end = np.minimum(available_until, self.period_[c, 1])
        days = np.clip(end - start + 1, 0, None)
        bounded = self.period_bounded_[c]
        length = np.where(bounded, self.period_[c, 1] - self.period_[c, 0] + 1, 1)
        # With an open end the share of the period means nothing; overlapping is what counts.
        share = np.where(bounded, days / length, (days > 0).astype(float))
        placement_known = self.period_known_[c]
        period = np.where(~placement_known, 1.0,
                          np.where(student_known, share, UNKNOWN_STUDENT_PERIOD))
        in_period = ~(student_known & placement_known) | (days > 0)
        return period, in_period

    def _total(self, components: dict[str, np.ndarray]) -> np.ndarray:
        total = None
        for name in COMPONENTS:
            part = self.weights_[name] * components[name]
            total = part.astype(np.float32) if total is None else total + part
        return total

    # -- whole cohorts ------------------------------------------------------------------------

    def score(self, students: Sequence[StudentRecord] | StudentBatch,
              progress: Callable[[int, int], None] | None = None,
              available: np.ndarray | None = None) -> ScoreTable:
        """Each student's best ``candidates_k`` admissible placements.

        ``available`` (a bool per placement) leaves out placements without a free place, so
        that they do not take up the candidate lists. ``progress(done, total)`` is called after
        each block of students.
        """
        batch = students if isinstance(students, StudentBatch) else self.prepare(students)
        n, k = len(batch.students), self.candidates_k
        indices = np.full((n, k), -1, dtype=np.int64)
        values = np.zeros((n, k), dtype=np.float32)
        admissible = np.zeros(n, dtype=np.int64)
        # Only the total decides the ranking, so the theme and talent parts are one product.
        student_side = self._student_side(batch)
        done = 0
        for rows, cols, km in self._groups(batch):
            if available is not None:
                keep = available[cols]
                cols, km = cols[keep], km[keep]
            total, mask = self._ranking_total(batch, student_side, rows, cols, km)
            admissible[rows] = mask.sum(axis=1)
            width = min(k, total.shape[1])
            if width and total.shape[1] > k:
                best = np.argpartition(-total, k - 1, axis=1)[:, :k]
            else:
                best = np.broadcast_to(np.arange(total.shape[1]), (len(rows), total.shape[1]))
            picked = np.take_along_axis(total, best, axis=1)
            order = np.argsort(-picked, axis=1, kind="stable")
            best = np.take_along_axis(best, order, axis=1)
            picked = np.take_along_axis(picked, order, axis=1)
            indices[rows, :width] = np.where(np.isfinite(picked), cols[best], -1)
            values[rows, :width] = np.where(np.isfinite(picked), picked, 0.0)
            done += len(rows)
            if progress is not None:
                progress(done, n)
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

    def _ranking_total(self, batch: StudentBatch, student_side: np.ndarray, rows: np.ndarray,
                       cols: np.ndarray, km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The total score of a group (one postcode, one level) and its admissible mask.

        The same rules as :meth:`_block` in fewer passes over the matrix; a test holds the two
        to the same results. ``cols`` already take the group's level and ``km`` is the one
        distance vector the group shares.
        """
        w = self.weights_
        limit = np.maximum(batch.travel_km[rows], 1e-9)[:, None]
        located = ~np.isnan(km)
        mask = (km[None, :] <= batch.travel_km[rows][:, None]) | ~located
        mask &= batch.wants[rows][:, self.kind_[cols]]
        mask &= ~batch.insufficient[rows][:, None]
        in_periods = self.period_known_[cols].any() and batch.period_known[rows].any()
        if in_periods:
            period, in_period = self._period(
                batch.available[rows, 0][:, None], batch.available[rows, 1][:, None],
                batch.period_known[rows][:, None], cols[None, :])
            mask &= in_period
        # The products are the cost: a placement no student of the group may have (a kind
        # they do not want, beyond every travel limit, another period) is left out of them.
        live = np.flatnonzero(mask.any(axis=0))
        pruned = len(live) < len(cols)
        if pruned:
            cols, km, located = cols[live], km[live], located[live]
            if in_periods:
                period = period[:, live]
        total = student_side[rows] @ self.theme_pair_[cols].T
        if w["text"] and self.text_.shape[1]:
            total += w["text"] * (batch.text[rows] @ self.text_[cols].T).toarray()
        total += self.column_constant_[cols]
        ratio = np.where(located, km, 0.0)[None, :] / limit
        total += w["distance"] * np.where(located, np.clip(1.0 - ratio, 0.0, 1.0),
                                          UNKNOWN_DISTANCE)
        if not in_periods:
            period = np.where(self.period_known_[cols], UNKNOWN_STUDENT_PERIOD, 1.0)[None, :]
        total += w["period"] * period
        if not pruned:
            return np.where(mask, total, -np.inf), mask
        out = np.full(mask.shape, -np.inf, dtype=total.dtype)
        out[:, live] = np.where(mask[:, live], total, -np.inf)
        return out, mask

    def _groups(self, batch: StudentBatch):
        """(rows, columns, km) per postcode and level.

        Columns are the placements within the largest travel limit of the postcode's students
        that take their level (and those without a location); km is their distance.
        """
        all_cols = np.arange(len(self.placements_))
        known = ~np.isnan(batch.point[:, 0])
        unknown_rows = np.flatnonzero(~known)
        yield from self._by_level(batch, unknown_rows, all_cols,
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
        if self.tree_ is not None:
            near, angle = self.tree_.query_radius(points, r=radius * (1 + 1e-9),
                                                  return_distance=True)
        else:
            near = angle = [np.zeros(0, dtype=np.int64)] * len(points)
        unlocated = np.full(len(self.unlocated_), np.nan)
        for g in range(len(points)):
            rows = known_rows[order[bounds[g]:bounds[g + 1]]]
            cols = np.concatenate([self.tree_columns_[near[g]], self.unlocated_])
            km = np.concatenate([np.asarray(angle[g]) * EARTH_RADIUS_KM, unlocated])
            yield from self._by_level(batch, rows, cols, km)

    def _by_level(self, batch: StudentBatch, rows: np.ndarray, cols: np.ndarray,
                  km: np.ndarray):
        if not len(rows):
            return
        levels = batch.level[rows]
        for level in np.unique(levels):
            group = rows[levels == level]
            takes = self.accepts_[cols, level]
            # Without a location every placement is a candidate: smaller blocks keep the
            # matrices small.
            size = 1024 if np.isfinite(km).any() else 256
            for start in range(0, len(group), size):
                yield group[start:start + size], cols[takes], km[takes]

    # -- one student, one pair ----------------------------------------------------------------

    def score_one(self, student: StudentRecord,
                  batch: StudentBatch | None = None) -> np.ndarray:
        """Scores against every placement, in fitted order; -inf where a hard rule excludes.

        Only the placements within reach and taking the student's level are computed.
        ``batch``, when given, is the student already prepared (one row).
        """
        batch = batch if batch is not None else self.prepare([student])
        out = np.full(len(self.placements_), -np.inf, dtype=np.float32)
        for rows, cols, km in self._groups(batch):
            total, _ = self._ranking_total(batch, self._student_side(batch), rows, cols, km)
            out[cols] = total[0]
        return out

    def _student_side(self, batch: StudentBatch) -> np.ndarray:
        return np.hstack([self.weights_["themes"] * batch.fit,
                          self.weights_["talent"] * batch.evidence]).astype(np.float32)

    def pair(self, student: StudentRecord, placement_index: int,
             batch: StudentBatch | None = None, row: int = 0,
             force: bool = False) -> PairScore | None:
        """The full story of one pair, or None when a hard rule excludes it.

        ``force`` scores it anyway: a counsellor's pin overrides the hard rules.
        """
        batch = batch if batch is not None else self.prepare([student])
        return self.pairs(batch, [row], [placement_index], force=[force])[0]

    def pairs(self, batch: StudentBatch, rows: Sequence[int], cols: Sequence[int],
              force: Sequence[bool] | None = None) -> list[PairScore | None]:
        """:meth:`pair` for many pairs (rows of ``batch``, placement indices) at once."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        forced = np.zeros(len(rows), dtype=bool) if force is None else np.asarray(force, bool)
        components, mask, km = self._block(batch, rows, cols, paired=True)
        totals = self._total(components)
        contribution = self.themes_[cols] * (
            self.weights_["themes"] * batch.fit[rows]
            + self.weights_["talent"] * batch.evidence[rows])
        words = self._shared_words(batch, rows, cols)
        # How much of the fit is what the student said, and how much what they showed.
        stated = np.einsum("ij,ij->i", batch.interest[rows], self.themes_[cols])
        shown = np.einsum("ij,ij->i", np.minimum(batch.evidence[rows] / self.talent_strong, 1.0),
                          self.themes_[cols])
        themes = {t.slug: t for t in self.profiler_.themes_}
        slugs = [t.slug for t in self.profiler_.themes_]
        evidence_cache: dict[int, dict[str, Evidence]] = {}
        out: list[PairScore | None] = []
        for n, (row, col) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            if not mask[n] and not forced[n]:
                out.append(None)
                continue
            student, placement = batch.students[row], self.placements_[col]
            values = {name: round(float(components[name][n]), 4) for name in COMPONENTS}
            order = np.argsort(-contribution[n], kind="stable")
            shared = tuple(slugs[t] for t in order if contribution[n, t] > 0)
            if row not in evidence_cache:
                evidence_cache[row] = self.profiler_.evidence(student, self.today_)
            by_theme = evidence_cache[row]
            evidence = next((by_theme[slug] for slug in shared if slug in by_theme
                             and batch.talent[row, self.profiler_.index_[slug]] > 0), None)
            interest_theme = next((slug for slug in shared if batch.interest[
                row, self.profiler_.index_[slug]] > 0), "")
            distance = None if np.isnan(km[n]) else round(float(km[n]), 1)
            reason = explain(
                student=student, placement=placement, components=values,
                shared_themes=shared, shared_words=words[n], distance_km=distance,
                evidence=evidence, themes=themes, stated=float(stated[n]),
                shown=float(shown[n]), interest_theme=interest_theme)
            out.append(PairScore(student.id, placement.id, round(float(totals[n]), 4), values,
                                 shared[:3], words[n], distance, evidence, reason))
        return out

    def _shared_words(self, batch: StudentBatch, rows: np.ndarray,
                      cols: np.ndarray) -> list[tuple[str, ...]]:
        """Per pair, the (at most three) words that add most to its text similarity."""
        if self.vectorizer_ is None or not len(rows):
            return [()] * len(rows)
        product = batch.text[rows].multiply(self.text_[cols]).tocsr()
        if self._vocabulary is None:
            self._vocabulary = self.vectorizer_.get_feature_names_out()
        found = []
        for n, row in enumerate(rows.tolist()):
            start, end = product.indptr[n], product.indptr[n + 1]
            if start == end:
                found.append(())
                continue
            data, indices = product.data[start:end], product.indices[start:end]
            order = np.argsort(-data, kind="stable")
            surface = _surface_words(_student_text(batch.students[row]))
            words = [surface[token] for token in
                     (str(self._vocabulary[indices[i]]) for i in order) if token in surface]
            found.append(tuple(dict.fromkeys(words))[:3])
        return found


def analyse(text: str) -> list[str]:
    """The words the text component compares: :func:`matching.text.tokens` without gender."""
    return [word for word in tokens(text) if word not in GENDER_WORDS]


def _surface_words(text: str) -> dict[str, str]:
    """Token -> the student's own word it came from, so an explanation quotes what they wrote
    ("brandweervrouw"), not a stem or its base form."""
    surface: dict[str, str] = {}
    for word in normalise(text).split():
        for token in analyse(word):
            surface.setdefault(token, word)
    return surface


def _student_text(student: StudentRecord) -> str:
    skills = " ".join(o.skills for o in student.observations)
    return " ".join(part for part in (student.interests, student.dream_job, skills) if part)


def _placement_text(placement: PlacementRecord) -> str:
    return " ".join(part for part in (placement.title, placement.title, placement.occupation,
                                      placement.description) if part)


def _points(codes: Sequence[str | None]) -> np.ndarray:
    table = postcodes()
    out = np.full((len(codes), 2), np.nan)
    for i, code in enumerate(codes):
        place = table.get(code) if code else None
        if place is not None:
            out[i] = (np.radians(place.lat), np.radians(place.lon))
    return out


def _distance_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Haversine between every row of ``a`` and of ``b`` (radians); nan where one is unknown."""
    if len(a) and np.all(a == a[0]) and not np.isnan(a[0, 0]):
        # A postcode group: compute one row and repeat it.
        return np.broadcast_to(_haversine(a[:1], b), (len(a), len(b)))
    return _haversine(a, b)


def _haversine_paired(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    lat1, lon1, lat2, lon2 = a[:, 0], a[:, 1], b[:, 0], b[:, 1]
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _haversine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    lat1, lon1 = a[:, 0][:, None], a[:, 1][:, None]
    lat2, lon2 = b[:, 0][None, :], b[:, 1][None, :]
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
