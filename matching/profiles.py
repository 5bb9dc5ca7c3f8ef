"""Theme profiles: what a student likes, what they showed they can do, what a placement asks.

Each profile is a vector over the technology themes. A student has two:

- *interest*: themes they chose, themes their own words name ("ik wil iets met robots"), and the
  themes of the occupation they dream of;
- *talent*: talent observations, weighted by strength and fading with age, plus (weaker) the
  themes of activities they took part in.

Keeping talent apart from stated interest is the point: girls state technical interest less
often than boys with the same aptitude, and a matcher that only reads interest steers them away.

A placement's vector is a distribution over themes (it sums to one) from its own themes, the
themes its title and description name, and the themes of its occupation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sklearn.base import BaseEstimator

from .gender import neutral
from .occupations import CONFIDENT_SCORE
from .records import Observation, PlacementRecord, StudentRecord
from .taxonomy import ThemeDef, ThemeMatcher, default_matcher, load_themes, themes_for_occupation

# (text) -> occupation code or "", so that the profiles need not know how occupations are found.
OccupationLookup = Callable[[str], str]

# A theme counts as *stated* when the student chose it (1.0) or their words or dream job name it
# (0.8, 0.6); a theme found in a dream job's occupation alone (0.6) counts too.
STATED = 0.5
# Talent evidence at or above this is *strong*: an observation of strength 4 from the last year
# (0.70 new, 0.55 after 13 months), of strength 5 from the last two and a half years, or
# several weaker ones together; a new strength 3 (0.59) for its first three months only.
# Taking part alone reaches it only after three activities of a theme (0.26, 0.45, 0.59).
STRONG_TALENT = 0.55
# What a student says they want, in four kinds: nothing (undecided), only technical themes,
# only other themes, or both.
STANCES = ("none", "mixed", "technical", "other")
# Entries a profiler keeps of what it read (observations); cleared when full.
_CACHE = 200_000
TALENT_LEVELS = ("none", "some", "strong")


def interest_stance(interest: np.ndarray, technical: np.ndarray) -> np.ndarray:
    """Per student row of ``interest`` (students x themes): none, mixed, technical or other.

    ``technical`` marks the technical themes (``ThemeProfiler.technical_``)."""
    stated = np.asarray(interest) >= STATED
    tech = (stated & technical[None, :]).any(axis=1)
    other = (stated & ~technical[None, :]).any(axis=1)
    return np.select([tech & other, tech, other], ["mixed", "technical", "other"], "none")


def talent_level(talent: np.ndarray, technical: np.ndarray) -> np.ndarray:
    """Per student row of ``talent``: none, some or strong evidence for a technical theme."""
    best = (np.asarray(talent) * technical[None, :]).max(axis=1, initial=0.0)
    return np.select([best >= STRONG_TALENT, best > 0], ["strong", "some"], "none")

@dataclass(frozen=True, slots=True)
class Evidence:
    """The strongest reason a student's talent profile holds a theme, for the explanation."""

    theme: str
    weight: float
    activity: str
    skills: str
    observed: bool  # an observation (True) or only taking part (False)


@dataclass(frozen=True, slots=True)
class ThemeFit:
    """What the score multiplies with a placement's themes, students x themes each."""

    fit: np.ndarray  # what the themes part reads
    evidence: np.ndarray  # what the talent part reads


def theme_fit(interest: np.ndarray, talent: np.ndarray, technical: np.ndarray,
              strong: float = STRONG_TALENT, respect: float = 0.5, talent_fits: bool = True,
              transfer: float = 0.5) -> ThemeFit:
    """What the score multiplies with a placement's themes: fit and evidence, students x themes.

    Talent is evidence in its own right. *fit* per theme is the larger of the stated interest
    and the talent evidence scaled so that ``strong`` talent counts as a chosen theme
    (``min(talent / strong, 1)``): a student who showed strong talent for electrical work fits
    electrical placements as well as one who chose the theme. *evidence* is the talent itself
    (in [0, 1)), added on top by the ``talent`` component.

    A student who explicitly states interests only on the other side (only non-technical themes,
    while the talent is technical, or the reverse) is respected: talent for a theme on the side
    they did not state counts ``respect`` times, in both. Undecided and mixed students, and
    talent on the side they did state, count in full. So for an undecided or mixed student the
    talent leads; for one who said "zorg" the care placements lead, and
    :func:`matching.recommend.recommend` keeps the talent-led option beside them.

    An undecided student has said nothing to weigh the evidence against, so their strongest
    evidence stands for the choice they have not made yet: their talent is scaled by the
    smaller of ``strong`` and their own strongest talent, and a weak observation fits its theme
    as well as her twin brother's stated choice does. Talent on one side also says something of
    the side as a whole (hands that solder well can learn to install): the undecided student's
    other themes of that side fit ``transfer`` times their strongest fit there.

    A student who states both sides (mixed) and showed more talent on one side lets the talent
    decide: the stated themes of the other side count ``1 - (1 - respect) x min(gap / strong,
    1)``, the gap being the difference of the strongest talent on the two sides. Strong
    technical talent beside a stated "zorg en ICT" puts the technical options first.

    ``talent_fits=False`` is the old rule, for comparison: the fit is the stated interest alone.
    """
    interest = np.asarray(interest, dtype=np.float32)
    talent = np.asarray(talent, dtype=np.float32)
    stated = interest >= STATED
    stated_technical = (stated & technical[None, :]).any(axis=1, keepdims=True)
    stated_other = (stated & ~technical[None, :]).any(axis=1, keepdims=True)
    # A theme is on a stated side when the student stated a theme of its kind, or nothing.
    undecided = ~(stated_technical | stated_other)
    on_stated_side = np.where(technical[None, :], stated_technical, stated_other) | undecided
    scale = np.where(on_stated_side, 1.0, respect).astype(np.float32)
    evidence = talent * scale
    strongest = talent.max(axis=1, keepdims=True, initial=0.0)
    divisor = np.where(undecided & (strongest > 0), np.minimum(strongest, strong), strong)
    if not talent_fits:
        return ThemeFit(interest, evidence.astype(np.float32))
    # A student who states both sides and showed more talent on one lets the talent decide:
    # the stated themes of the other side count less, down to ``respect`` for strong talent.
    on_side = np.where(technical[None, :], talent, 0.0).max(axis=1, keepdims=True)
    off_side = np.where(technical[None, :], 0.0, talent).max(axis=1, keepdims=True)
    lean = np.minimum(np.abs(on_side - off_side) / strong, 1.0) * (1.0 - respect)
    behind = np.where(technical[None, :], on_side < off_side, off_side < on_side)
    mixed = stated_technical & stated_other
    interest = np.where(mixed & behind, interest * (1.0 - lean), interest)
    fit = np.maximum(interest, np.minimum(talent / np.maximum(divisor, 1e-9), 1.0) * scale)
    side_best = np.where(technical[None, :],
                         np.where(technical[None, :], fit, 0.0).max(axis=1, keepdims=True),
                         np.where(technical[None, :], 0.0, fit).max(axis=1, keepdims=True))
    fit = np.where(undecided, np.maximum(fit, transfer * side_best), fit)
    return ThemeFit(fit.astype(np.float32), evidence.astype(np.float32))


class ThemeProfiler(BaseEstimator):
    """Builds interest, talent and placement vectors over a fixed list of themes.

    Parameters
    ----------
    half_life_days : an observation counts half after this many days.
    participation_weight : what taking part in an activity counts, against an observation of
        strength 5 counting 1.
    text_theme_weight : how much a theme found in free text counts against a chosen one.
    occupation_weight : how much a theme of the dream job (or the placement's occupation) counts.
    matcher : finds themes in free text (a fitted :class:`~matching.taxonomy.ThemeMatcher`);
        None: :func:`~matching.taxonomy.default_matcher`.
    occupation_lookup : text -> ESCO occupation code, to link dream jobs to themes; None leaves
        occupations out.
    """

    def __init__(self, half_life_days: float = 730.0, participation_weight: float = 0.2,
                 text_theme_weight: float = 0.8, occupation_weight: float = 0.6,
                 matcher: ThemeMatcher | None = None,
                 occupation_lookup: OccupationLookup | None = None):
        self.half_life_days = half_life_days
        self.participation_weight = participation_weight
        self.text_theme_weight = text_theme_weight
        self.occupation_weight = occupation_weight
        self.matcher = matcher
        self.occupation_lookup = occupation_lookup

    def fit(self, themes: Sequence[ThemeDef] | None = None, matcher: ThemeMatcher | None = None,
            occupation_lookup: OccupationLookup | None = None) -> ThemeProfiler:
        """``themes`` are what the vectors are over (None: the shipped themes).

        ``matcher`` and ``occupation_lookup`` are settings of the constructor; given here they
        take its place for this fit, as callers written before they moved there expect.
        """
        self.themes_ = tuple(load_themes() if themes is None else themes)
        self.index_ = {theme.slug: i for i, theme in enumerate(self.themes_)}
        self.technical_ = np.array([theme.technical for theme in self.themes_])
        matcher = matcher if matcher is not None else self.matcher
        self.matcher_ = matcher if matcher is not None else default_matcher()
        self.occupation_lookup_ = (occupation_lookup if occupation_lookup is not None
                                   else self.occupation_lookup)
        # A dream job read once per text, a day's fading once per day; caches, not something
        # learned.
        self._occupation_cache: dict[str, dict[str, float]] = {}
        self._code_cache: dict[str, dict[str, float]] = {}
        self._decay_cache: dict[tuple[date, date, float], float] = {}
        self._weights_cache: dict[tuple[Observation, date, float], dict[str, float]] = {}
        return self

    @property
    def n_themes(self) -> int:
        return len(self.themes_)

    def _add(self, vector: np.ndarray, weights: dict[str, float], scale: float = 1.0) -> None:
        for slug, weight in weights.items():
            i = self.index_.get(slug)
            if i is not None:
                vector[i] = max(vector[i], weight * scale)

    def _occupation_themes(self, text: str) -> dict[str, float]:
        if not text or self.occupation_lookup_ is None:
            return {}
        text = neutral(text)
        if not text:
            return {}
        if text not in self._occupation_cache:
            self._occupation_cache[text] = themes_for_occupation(
                self.occupation_lookup_(text), self.themes_)
        return self._occupation_cache[text]

    def interest(self, student: StudentRecord) -> np.ndarray:
        vector = np.zeros(self.n_themes, dtype=np.float32)
        self._add(vector, self.matcher_.find_in_text(student.interests), self.text_theme_weight)
        self._add(vector, self._occupation_themes(student.dream_job), self.occupation_weight)
        if student.dream_job:
            self._add(vector, self.matcher_.find_in_text(student.dream_job),
                      self.text_theme_weight)
        self._add(vector, dict.fromkeys(student.themes, 1.0))
        return vector

    def _decay(self, on: date, today: date) -> float:
        key = (on, today, self.half_life_days)
        decay = self._decay_cache.get(key)
        if decay is None:
            age = max((today - on).days, 0)
            decay = self._decay_cache[key] = 0.5 ** (age / self.half_life_days)
        return decay

    def _observation_weights(self, observation: Observation, today: date) -> dict[str, float]:
        """Per theme, what an observation weighs today (read-only: shared between calls)."""
        key = (observation, today, self.half_life_days)
        found = self._weights_cache.get(key)
        if found is not None:
            return found
        weight = observation.strength / 5.0 * self._decay(observation.observed_on, today)
        themes = dict.fromkeys(observation.themes, 1.0)
        for slug, confidence in self.matcher_.find_in_text(observation.skills).items():
            themes[slug] = max(themes.get(slug, 0.0), confidence)
        if len(self._weights_cache) >= _CACHE:
            self._weights_cache.clear()
        found = self._weights_cache[key] = {slug: weight * confidence
                                            for slug, confidence in themes.items()}
        return found

    def talent(self, student: StudentRecord, today: date) -> np.ndarray:
        """Talent evidence per theme in [0, 1): several pieces add up, but never past one."""
        return _saturate(np.array(self._raw_talent(student, today), dtype=np.float64))

    def _raw_talent(self, student: StudentRecord, today: date,
                    by_day: dict[date, float] | None = None) -> list[float]:
        """The evidence per theme before it saturates, summed in the order given.
        ``by_day`` keeps what taking part weighs on each day, across students."""
        raw = [0.0] * self.n_themes
        index = self.index_
        for observation in student.observations:
            for slug, weight in self._observation_weights(observation, today).items():
                i = index.get(slug)
                if i is not None:
                    raw[i] += weight
        by_day = {} if by_day is None else by_day
        for taking_part in student.participations:
            weight = by_day.get(taking_part.on)
            if weight is None:
                weight = by_day[taking_part.on] = (self.participation_weight
                                                   * self._decay(taking_part.on, today))
            for slug in taking_part.themes:
                i = index.get(slug)
                if i is not None:
                    raw[i] += weight
        return raw

    def evidence(self, student: StudentRecord, today: date) -> dict[str, Evidence]:
        """Per theme, the single observation or activity that counts most."""
        best: dict[str, Evidence] = {}
        for observation in student.observations:
            for slug, weight in self._observation_weights(observation, today).items():
                if weight > _weight(best.get(slug)):
                    best[slug] = Evidence(slug, weight, observation.activity,
                                          observation.skills, True)
        for taking_part in student.participations:
            weight = self.participation_weight * self._decay(taking_part.on, today)
            for slug in taking_part.themes:
                if weight > _weight(best.get(slug)):
                    best[slug] = Evidence(slug, weight, taking_part.activity, "", False)
        return best

    def placement(self, placement: PlacementRecord) -> np.ndarray:
        vector = np.zeros(self.n_themes, dtype=np.float32)
        self._add(vector, self.matcher_.find_in_text(placement.title), self.text_theme_weight)
        self._add(vector, self.matcher_.find_in_text(placement.description),
                  self.text_theme_weight * 0.5)
        # The placement's occupation is found once, when it is posted, not at every round.
        code = placement.occupation_code
        if code not in self._code_cache:
            self._code_cache[code] = themes_for_occupation(code, self.themes_)
        self._add(vector, self._code_cache[code], self.occupation_weight)
        self._add(vector, dict.fromkeys(placement.themes, 1.0))
        total = vector.sum()
        return vector / total if total > 0 else vector

    def interest_matrix(self, students: Sequence[StudentRecord]) -> np.ndarray:
        # Students who say the same (a class that chose the same themes) are read once.
        seen: dict[tuple, np.ndarray] = {}
        rows = []
        for s in students:
            key = (s.interests, s.dream_job, s.themes)
            row = seen.get(key)
            rows.append(row if row is not None else seen.setdefault(key, self.interest(s)))
        return _stack(rows, self.n_themes)

    def talent_matrix(self, students: Sequence[StudentRecord], today: date) -> np.ndarray:
        empty, by_day = [0.0] * self.n_themes, {}
        raw = np.array([self._raw_talent(s, today, by_day) if s.observations or s.participations
                        else empty for s in students], dtype=np.float64)
        return _saturate(raw.reshape(len(students), self.n_themes))

    def placement_matrix(self, placements: Sequence[PlacementRecord]) -> np.ndarray:
        # The same posting in several places (or years) is read once.
        seen: dict[tuple, np.ndarray] = {}
        rows = []
        for p in placements:
            key = (p.title, p.description, p.occupation_code, p.themes)
            row = seen.get(key)
            rows.append(row if row is not None else seen.setdefault(key, self.placement(p)))
        return _stack(rows, self.n_themes)


def occupation_lookup(normaliser, min_score: float = CONFIDENT_SCORE) -> OccupationLookup:
    """A text -> ESCO code function from an occupation normaliser: its best match, or "" when
    even that is too weak to mean anything ("qwerty", "iets leuks")."""
    cache: dict[str, str] = {}

    def lookup(text: str) -> str:
        if text not in cache:
            found = normaliser.rank_one(text, k=1)
            cache[text] = found[0].code if found and found[0].score >= min_score else ""
        return cache[text]

    return lookup


def _weight(evidence: Evidence | None) -> float:
    """The weight to beat: an evidence's own, or below any when there is none yet."""
    return -1.0 if evidence is None else evidence.weight


def _saturate(raw: np.ndarray) -> np.ndarray:
    """Evidence that adds up, but never past one."""
    return (1.0 - np.exp(-1.5 * raw)).astype(np.float32)


def _stack(rows: list[np.ndarray], width: int) -> np.ndarray:
    return np.vstack(rows) if rows else np.zeros((0, width), dtype=np.float32)
