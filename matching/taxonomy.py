"""The technology themes, and mapping what people type onto them.

``ThemeMatcher`` forgives misspellings and abbreviations ("robotika" finds robotica,
"elektro" finds elektrotechniek) and says how sure it is; below its threshold a text is not
forced onto a theme, so the caller can keep it as free text.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from sklearn.base import BaseEstimator

from .gender import GENDER_WORDS
from .text import base_form, normalise

DATA = Path(__file__).parent / "data" / "themes.csv"
NEGATIONS = frozenset({"niet", "geen", "nooit", "not", "no", "never", "hekel", "behalve"})
NEGATION_REACH = 4
_FOUND_CACHE = 100_000
CONTRASTS = frozenset({"wel", "maar", "but", "alleen"})


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


class ThemeMatcher(BaseEstimator):
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
        singles = [(term, index) for term, index in self.exact_.items()
                   if " " not in term and len(term) >= 5]
        self.single_terms_ = [term for term, _ in singles]
        self.single_index_ = [index for _, index in singles]
        # Per length in words, the first words of the terms that long: a phrase starting
        # otherwise is no term, and is not looked up.
        self.phrase_starts_: dict[int, frozenset[str]] = {}
        for term in self.exact_:
            parts = term.split()
            self.phrase_starts_[len(parts)] = self.phrase_starts_.get(
                len(parts), frozenset()) | {parts[0]}
        # Free texts repeat (a scout's note for a whole class, "solderen" for hundreds):
        # each is read once. Bounded, so a long-running process does not grow without end.
        self._found: dict[tuple[str, int], dict[str, float]] = {}
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

    def find_in_text(self, text: str, max_words: int = 3) -> dict[str, float]:
        """Every theme a longer text mentions, with a confidence in [0, 1].

        Phrases of up to ``max_words`` words are looked up exactly; single words of five or more
        letters may also match fuzzily ("robotika"). Words that match nothing are simply not
        themes here: the caller keeps the text itself for the word-level comparison.
        """
        key = (text, max_words)
        cached = self._found.get(key)
        if cached is None:
            if len(self._found) >= _FOUND_CACHE:
                self._found.clear()
            cached = self._found[key] = self._find_in_text(text, max_words)
        return dict(cached)

    def _find_in_text(self, text: str, max_words: int) -> dict[str, float]:
        words = normalise(text).split()
        # Gender forms and plurals read as their base form: "monteuse" finds what "monteur"
        # finds, with the same confidence.
        bases = [base_form(word) for word in words]
        found: dict[str, float] = {}
        used = [False] * len(words)
        # "ik wil niet in de bouw": the few words after a negation name no interest; a word
        # about who someone is ("broers", "moeder") names none either, not even fuzzily.
        for k, word in enumerate(words):
            if word in GENDER_WORDS:
                used[k] = True
            if word in NEGATIONS:
                for n in range(k + 1, min(k + 1 + NEGATION_REACH, len(words))):
                    if words[n] in CONTRASTS:
                        break
                    used[n] = True
        exact = self.exact_
        for size in range(min(max_words, len(words)), 1, -1):
            starts = self.phrase_starts_.get(size, frozenset())
            for start in range(len(words) - size + 1):
                if (words[start] not in starts and bases[start] not in starts) \
                        or any(used[start:start + size]):
                    continue
                hit = exact.get(" ".join(words[start:start + size]))
                if hit is None:
                    hit = exact.get(" ".join(bases[start:start + size]))
                if hit is not None:
                    used[start:start + size] = [True] * size
                    self._found_theme(found, hit, 1.0)
        for start in range(len(words) if max_words >= 1 else 0):
            if used[start]:
                continue
            hit, confidence = exact.get(words[start]), 1.0
            if hit is None:
                hit = exact.get(bases[start])
            if hit is None:
                hit, confidence = self._fuzzy_word(bases[start])
            if hit is not None:
                used[start] = True
                self._found_theme(found, hit, confidence)
        return found

    def _found_theme(self, found: dict[str, float], hit: int, confidence: float) -> None:
        slug = self.themes_[hit].slug
        found[slug] = max(found.get(slug, 0.0), confidence)

    def _fuzzy_word(self, word: str) -> tuple[int | None, float]:
        return _fuzzy_lookup(self, word)

    def _hit(self, index: int, score: float, term: str) -> ThemeHit:
        theme = self.themes_[index]
        return ThemeHit(theme.slug, theme.label_nl, theme.label_en, round(score, 1), term)


@lru_cache(maxsize=50_000)
def _fuzzy_lookup(matcher: ThemeMatcher, word: str) -> tuple[int | None, float]:
    # Only single terms take part: "robotika" may become robotica, but a word must never be
    # read as a multi-word theme phrase it merely resembles.
    if len(word) < 5:
        return None, 0.0
    best = process.extractOne(word, matcher.single_terms_, scorer=fuzz.ratio,
                              score_cutoff=matcher.threshold + 5)
    if best is None:
        return None, 0.0
    return matcher.single_index_[best[2]], best[1] / 100.0


@cache
def default_matcher() -> ThemeMatcher:
    return ThemeMatcher().fit(load_themes())


def themes_for_occupation(code: str, themes: tuple[ThemeDef, ...] | None = None
                          ) -> dict[str, float]:
    """Themes linked to an ESCO occupation code, with a confidence in [0, 1].

    A theme lists ESCO codes. The occupation itself, or one below it in the ESCO tree
    ("7411.1.1" under "7411.1"), counts fully; another occupation in the same 4-digit ISCO unit
    group counts half, because ISCO groups are broad (an electrician and a lineman share 7411).
    """
    themes = load_themes() if themes is None else themes
    code = code.strip()
    if not code:
        return {}
    unit = code.split(".")[0]
    found: dict[str, float] = {}
    for theme in themes:
        for linked in theme.esco_codes:
            if code == linked or code.startswith(linked + ".") or linked.startswith(code + "."):
                weight = 1.0
            elif linked.split(".")[0] == unit:
                weight = 0.5
            else:
                continue
            found[theme.slug] = max(found.get(theme.slug, 0.0), weight)
    return found
