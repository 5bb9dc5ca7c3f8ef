"""The technology themes, and mapping what people type onto them.

``ThemeMatcher`` forgives misspellings and abbreviations ("robotika" finds robotica,
"elektro" finds elektrotechniek) and says how sure it is; below its threshold a text is not
forced onto a theme, so the caller can keep it as free text.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz

from .text import normalise

DATA = Path(__file__).parent / "data" / "themes.csv"


@dataclass(frozen=True, slots=True)
class ThemeDef:
    slug: str
    label_nl: str
    label_en: str
    synonyms: tuple[str, ...] = ()
    technical: bool = True
    esco_codes: tuple[str, ...] = ()

    def terms(self) -> tuple[str, ...]:
        return (self.slug.replace("-", " "), self.label_nl, self.label_en, *self.synonyms)


@dataclass(frozen=True, slots=True)
class ThemeHit:
    """A theme that a text matched, with the score (0-100) and the term that matched."""

    slug: str
    label_nl: str
    label_en: str
    score: float
    term: str


@cache
def load_themes(path: Path = DATA) -> tuple[ThemeDef, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            ThemeDef(
                slug=row["slug"], label_nl=row["label_nl"], label_en=row["label_en"],
                synonyms=tuple(s for s in row["synonyms"].split("|") if s),
                technical=row["technical"].strip().lower() == "true",
                esco_codes=tuple(c for c in row["esco_codes"].split("|") if c),
            )
            for row in csv.DictReader(handle)
        )


class ThemeMatcher:
    """Ranks themes for a short text.

    Parameters
    ----------
    threshold : score (0-100) a hit needs in :meth:`resolve`.
    min_query : shortest query (in characters) that :meth:`search` answers.
    """

    def __init__(self, threshold: float = 80.0, min_query: int = 2):
        self.threshold = threshold
        self.min_query = min_query

    def fit(self, themes: tuple[ThemeDef, ...] | list[ThemeDef]) -> ThemeMatcher:
        self.themes_ = tuple(themes)
        self.terms_ = [
            (normalise(term), index)
            for index, theme in enumerate(self.themes_)
            for term in dict.fromkeys(theme.terms())
            if normalise(term)
        ]
        self.exact_ = {}
        for term, index in self.terms_:
            self.exact_.setdefault(term, index)
        return self

    def _score(self, query: str, term: str) -> float:
        if query == term:
            return 100.0
        if term.startswith(query) or any(w.startswith(query) for w in term.split()):
            # Typing the start of a word is as good as a near-exact match.
            return 95.0 if len(query) >= 3 else 85.0
        score = fuzz.ratio(query, term)
        if 4 <= len(query) <= len(term):
            # "robotik" inside "industriele robotica"; short queries would match everything,
            # and a longer query ("werktuigbouw") must not count as containing "bouw".
            score = max(score, fuzz.partial_ratio(query, term) * 0.95)
        return score

    def search(self, text: str, limit: int = 8) -> list[ThemeHit]:
        """Themes for a search box, best first; empty for a too short query."""
        query = normalise(text)
        if len(query) < self.min_query:
            return []
        best: dict[int, tuple[float, str]] = {}
        for term, index in self.terms_:
            score = self._score(query, term)
            if score > best.get(index, (-1.0, ""))[0]:
                best[index] = (score, term)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], self.themes_[item[0]].slug))
        return [self._hit(index, score, term) for index, (score, term) in ranked[:limit]
                if score >= min(self.threshold, 60.0)]

    def resolve(self, text: str) -> ThemeHit | None:
        """The one theme ``text`` names, or None when no theme reaches the threshold."""
        query = normalise(text)
        if query in self.exact_:
            return self._hit(self.exact_[query], 100.0, query)
        hits = self.search(text, limit=1)
        return hits[0] if hits and hits[0].score >= self.threshold else None

    def _hit(self, index: int, score: float, term: str) -> ThemeHit:
        theme = self.themes_[index]
        return ThemeHit(theme.slug, theme.label_nl, theme.label_en, round(score, 1), term)


@cache
def default_matcher() -> ThemeMatcher:
    return ThemeMatcher().fit(load_themes())
