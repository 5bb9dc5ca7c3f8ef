"""What the scorer reads: students and placements turned into arrays, their texts and distances.

:class:`~matching.scoring.MatchScorer` builds these once per fit (the placements' side) and once
per cohort (:class:`StudentBatch`); its rules read only the arrays. An open period end is a far
day (``FOREVER``), an open start a day before any (``NEVER``), so that "from 1 February" and
"until June" stay rules; a postcode without a known centroid is a point of nan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .gender import GENDER_WORDS
from .geo import EARTH_RADIUS_KM, postcodes
from .records import PlacementRecord, StudentRecord
from .text import normalise, tokens

# A far day for "available until further notice", and a day before any for an open start.
FOREVER = date(9999, 12, 31).toordinal()
NEVER = -1


@dataclass(frozen=True)
class ScoreTable:
    """A cohort's best admissible placements.

    ``scores`` holds, per student row, up to ``candidates_k`` admissible placements (columns
    in the order the scorer was fitted with, each row by column: canonical CSR) and their
    scores, all stored values > 0; a reader ranks them by score.
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
    available: np.ndarray  # (n, 2) ordinal days; NEVER/FOREVER when open
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


@dataclass(frozen=True, slots=True)
class PlacementArrays:
    """The placements' facts the hard rules and the practical parts read, one row each."""

    levels: list[str]  # every level some placement names, sorted
    accepts: np.ndarray  # (n, levels + 1) bool; the last column: a level no placement names
    named_level: np.ndarray  # the placement names its levels (not open to every level)
    kinds: list[str]
    kind: np.ndarray  # index into ``kinds``
    point: np.ndarray  # (n, 2) radians; nan when the postcode is unknown
    period: np.ndarray  # (n, 2) ordinal days; NEVER/FOREVER when open
    period_known: np.ndarray  # a start or an end is known
    period_bounded: np.ndarray  # both are known
    feedback: np.ndarray  # what earlier students said, smoothed


@dataclass(frozen=True, slots=True)
class StudentArrays:
    """The students' facts the hard rules and the practical parts read, one row each."""

    level: np.ndarray  # index into the placements' levels; len(levels) for one none names
    wants: np.ndarray
    point: np.ndarray
    travel_km: np.ndarray
    available: np.ndarray
    period_known: np.ndarray


def placement_arrays(placements: Sequence[PlacementRecord]) -> PlacementArrays:
    levels = sorted({level for p in placements for level in p.levels})
    level_index = {level: i for i, level in enumerate(levels)}
    accepts = np.ones((len(placements), len(levels) + 1), dtype=bool)
    named_level = np.zeros(len(placements), dtype=bool)
    for j, p in enumerate(placements):
        if p.levels:
            named_level[j] = True
            accepts[j, :] = False
            for level in p.levels:
                accepts[j, level_index[level]] = True
    kinds = sorted({p.kind for p in placements})
    kind_index = {kind: i for i, kind in enumerate(kinds)}
    # An open end ("from 1 February") or an open start ("until June") is still a rule.
    period = np.array(
        [(p.starts_on.toordinal() if p.starts_on else NEVER,
          p.ends_on.toordinal() if p.ends_on else FOREVER) for p in placements],
        dtype=np.int64).reshape(-1, 2)
    return PlacementArrays(
        levels=levels, accepts=accepts, named_level=named_level, kinds=kinds,
        kind=np.array([kind_index[p.kind] for p in placements], dtype=np.int64),
        point=points([p.postcode for p in placements]), period=period,
        period_known=np.array([p.starts_on is not None or p.ends_on is not None
                               for p in placements], dtype=bool),
        period_bounded=np.array([p.starts_on is not None and p.ends_on is not None
                                 for p in placements], dtype=bool),
        feedback=np.array([(p.feedback_positive + 1) / (p.feedback_total + 2)
                           for p in placements], dtype=np.float32))


def student_arrays(students: Sequence[StudentRecord], levels: Sequence[str],
                   kinds: Sequence[str]) -> StudentArrays:
    """The students' rows against the fitted placements' ``levels`` and ``kinds``."""
    level_index = {level: i for i, level in enumerate(levels)}
    # A level no placement names is accepted only by placements open to every level.
    level = np.array([level_index.get(s.level, len(levels)) for s in students], dtype=np.int64)
    # A student who named no kind wants all; the same wish is read once.
    wishes: dict[tuple[str, ...], int] = {}
    wish = [wishes.setdefault(s.wanted_kinds, len(wishes)) for s in students]
    rows = [[not named or kind in named for kind in kinds] for named in wishes]
    wants = np.array(rows, dtype=bool).reshape(len(wishes), len(kinds))[wish] if students \
        else np.ones((0, len(kinds)), dtype=bool)
    available = np.array(
        [((s.available_from.toordinal() if s.available_from else NEVER),
          (s.available_until.toordinal() if s.available_until else FOREVER))
         for s in students], dtype=np.int64).reshape(-1, 2)
    period_known = np.array([s.available_from is not None or s.available_until is not None
                             for s in students], dtype=bool)
    return StudentArrays(
        level=level, wants=wants, point=points([s.postcode for s in students]),
        travel_km=np.array([max(s.travel_km, 0.0) for s in students], dtype=np.float64),
        available=available, period_known=period_known)


# -- texts ------------------------------------------------------------------------------------

def analyse(text: str) -> list[str]:
    """The words the text component compares: :func:`matching.text.tokens` without gender."""
    return [word for word in tokens(text) if word not in GENDER_WORDS]


def surface_words(text: str) -> dict[str, str]:
    """Token -> the student's own word it came from, so an explanation quotes what they wrote
    ("brandweervrouw"), not a stem or its base form."""
    surface: dict[str, str] = {}
    for word in normalise(text).split():
        for token in _word_analysis(word):
            surface.setdefault(token, word)
    return surface


@lru_cache(maxsize=100_000)
def _word_analysis(word: str) -> tuple[str, ...]:
    """:func:`analyse` of one word; words repeat across students, so each is read once."""
    return tuple(analyse(word))


def student_text(student: StudentRecord) -> str:
    skills = " ".join(o.skills for o in student.observations)
    return " ".join(part for part in (student.interests, student.dream_job, skills) if part)


def placement_text(placement: PlacementRecord) -> str:
    return " ".join(part for part in (placement.title, placement.title, placement.occupation,
                                      placement.description) if part)


# -- distances --------------------------------------------------------------------------------

def points(codes: Sequence[str | None]) -> np.ndarray:
    """(n, 2) latitude and longitude in radians of each postcode's centroid; nan if unknown."""
    table = postcodes()
    unknown = (np.nan, np.nan)
    # A cohort shares its postcodes: each is looked up once.
    found: dict[str | None, tuple[float, float]] = {}
    for code in codes:
        if code not in found:
            place = table.get(code) if code else None
            found[code] = unknown if place is None \
                else (np.radians(place.lat), np.radians(place.lon))
    return np.array([found[code] for code in codes], dtype=np.float64).reshape(-1, 2)


def grid_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Haversine between every row of ``a`` and of ``b`` (radians); nan where one is unknown."""
    if len(a) and np.all(a == a[0]) and not np.isnan(a[0, 0]):
        # A postcode group: compute one row and repeat it.
        return np.broadcast_to(haversine(a[:1], b), (len(a), len(b)))
    return haversine(a, b)


def haversine_paired(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Haversine between ``a[i]`` and ``b[i]`` (radians), in km."""
    lat1, lon1, lat2, lon2 = a[:, 0], a[:, 1], b[:, 0], b[:, 1]
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def haversine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Haversine between every row of ``a`` and of ``b`` (radians), in km."""
    lat1, lon1 = a[:, 0][:, None], a[:, 1][:, None]
    lat2, lon2 = b[:, 0][None, :], b[:, 1][None, :]
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
