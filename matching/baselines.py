"""Two simple occupation rankers to measure ``OccupationNormaliser`` against.

``CharTfidfBaseline``: character 3-5-gram TF-IDF (``char_wb``) over the allowed fields of each
occupation concatenated into one document, cosine similarity.
``WRatioBaseline``: rapidfuzz ``WRatio`` between the text and each allowed label, best label
per occupation.

Both follow the normaliser's interface: ``fit(occupations)``, then ``rank(texts, k)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz, process, utils
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer

from .occupations import Match, Occupation, OccupationLike, as_occupation, parse_fields, top_k
from .text import normalise


class CharTfidfBaseline(BaseEstimator):
    """Character n-gram TF-IDF over the searchable fields, one document per occupation."""

    def __init__(self, fields: str | Iterable[str] = "preferredLabel+altLabels+description",
                 ngram_range: tuple[int, int] = (3, 5)):
        self.fields = fields
        self.ngram_range = ngram_range

    def fit(self, occupations: Iterable[OccupationLike]) -> CharTfidfBaseline:
        self.occupations_ = tuple(as_occupation(o) for o in occupations)
        fields = parse_fields(self.fields)
        # scikit-learn's inferred type of dtype is float64 alone: a stub gap.
        self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range,
                                           sublinear_tf=True,
                                           dtype=np.float32)  # pyright: ignore[reportArgumentType]
        self.matrix_ = self.vectorizer_.fit_transform(
            normalise(" ".join(o.texts(fields))) for o in self.occupations_)
        return self

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        queries = self.vectorizer_.transform(normalise(t) for t in texts)
        return (queries @ self.matrix_.T).toarray()

    def rank(self, texts: Sequence[str], k: int = 10) -> list[tuple[Match, ...]]:
        return _matches(self.occupations_, self.scores(texts), k)


class WRatioBaseline(BaseEstimator):
    """rapidfuzz WRatio against every allowed label; an occupation scores its best label."""

    def __init__(self, fields: str | Iterable[str] = "preferredLabel+altLabels",
                 workers: int = 1):
        self.fields = fields
        self.workers = workers

    def fit(self, occupations: Iterable[OccupationLike]) -> WRatioBaseline:
        self.occupations_ = tuple(as_occupation(o) for o in occupations)
        fields = parse_fields(self.fields)
        labels, owners = [], []
        for index, occupation in enumerate(self.occupations_):
            for label in occupation.labels(fields):
                labels.append(utils.default_process(label))
                owners.append(index)
        self.labels_ = labels
        self.owners_ = np.asarray(owners)
        return self

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        queries = [utils.default_process(t) for t in texts]
        per_label = process.cdist(queries, self.labels_, scorer=fuzz.WRatio,
                                  dtype=np.float32, workers=self.workers)
        best = np.zeros((len(queries), len(self.occupations_)), dtype=np.float32)
        if len(self.labels_):
            # Labels are stored occupation by occupation, so each one is a block of columns.
            starts = np.flatnonzero(np.diff(self.owners_, prepend=-1))
            best[:, self.owners_[starts]] = np.maximum.reduceat(per_label, starts, axis=1)
        return best

    def rank(self, texts: Sequence[str], k: int = 10) -> list[tuple[Match, ...]]:
        return _matches(self.occupations_, self.scores(texts), k)


def _matches(occupations: Sequence[Occupation], scores: np.ndarray,
             k: int) -> list[tuple[Match, ...]]:
    return [
        tuple(Match(occupations[i].code, occupations[i].uri, occupations[i].preferred_label,
                    float(row[i])) for i in indices)
        for row, indices in zip(scores, top_k(scores, k), strict=True)
    ]
