"""Sparse TF-IDF vectors of short texts and fast products with many rows.

``WordTfidf`` (weighted tokens) and ``CharTfidf`` (character n-grams within words) make
``Vector``s, (term ids, weights) pairs; ``Postings`` scores many of them against an indexed set
at once; ``Blocks`` takes row-wise maxima over groups of columns (labels to occupations).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from .text import normalise

# Above this many terms one text is scored by a sparse product (measured: char n-grams of a
# description take 1.4 ms that way against 1.6 ms through the index, a title 0.4 against 0.3).
LONG_QUERY = 64


class Blocks:
    """Row-wise maxima over blocks of columns: labels to occupations, occupations to groups."""

    def __init__(self, owners: np.ndarray, n_owners: int):
        self.order = np.argsort(owners, kind="stable")
        sorted_owners = owners[self.order]
        self.starts = np.flatnonzero(np.diff(sorted_owners, prepend=-1))
        self.owners = sorted_owners[self.starts]
        self.n_owners = n_owners
        self.identity = bool(np.array_equal(self.order, np.arange(len(owners))))

    def max(self, matrix: np.ndarray) -> np.ndarray:
        """Block maxima of non-negative scores, 0 for owners without a block."""
        out = np.zeros((matrix.shape[0], self.n_owners), dtype=matrix.dtype)
        if not len(self.starts):
            return out
        columns = matrix if self.identity else matrix[:, self.order]
        out[:, self.owners] = np.maximum.reduceat(columns, self.starts, axis=1)
        return out


Vector = tuple[np.ndarray, np.ndarray]  # (term ids, weights) of one sparse row


def as_vector(weights: Mapping[int, float], normalise_row: bool = True) -> Vector:
    terms = np.fromiter(weights, dtype=np.int64, count=len(weights))
    values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    norm = math.sqrt(float(values @ values)) if normalise_row else 0.0
    return terms, (values / norm if norm else values).astype(np.float32)


def as_matrix(vectors: Sequence[Vector], n_terms: int) -> sp.csr_matrix:
    """Vectors as the rows of a CSR matrix."""
    lengths = [len(terms) for terms, _ in vectors]
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    indices = np.concatenate([t for t, _ in vectors] or [np.zeros(0, np.int64)])
    data = np.concatenate([w for _, w in vectors] or [np.zeros(0, np.float32)])
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(vectors), n_terms))
    matrix.sum_duplicates()
    return matrix


class Postings:
    """Dot products of sparse vectors with many rows at once.

    For one short text an inverted index takes a few numpy calls, where a scipy sparse
    product spends most of its time checking its arguments; for a batch or a long text the
    sparse product is faster.
    """

    def __init__(self, vectors: Sequence[Vector], n_terms: int):
        self.by_term = as_matrix(vectors, n_terms).T.tocsr()
        self.indptr = self.by_term.indptr.astype(np.int64)
        self.indices = self.by_term.indices.astype(np.int64)
        self.data = self.by_term.data.astype(np.float32)
        self.n_rows = len(vectors)
        self.n_terms = n_terms

    def scores(self, queries: Sequence[Vector]) -> np.ndarray:
        if len(queries) > 1 or sum(len(terms) for terms, _ in queries) > LONG_QUERY:
            product = as_matrix(queries, self.n_terms) @ self.by_term
            return product.toarray().astype(np.float32, copy=False)
        out = np.zeros((len(queries), self.n_rows), dtype=np.float32)
        for row, (terms, weights) in enumerate(queries):
            starts = self.indptr[terms]
            lengths = self.indptr[terms + 1] - starts
            total = int(lengths.sum())
            if not total:
                continue
            shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            positions = shift + np.arange(total)
            out[row] = np.bincount(self.indices[positions],
                                   self.data[positions] * np.repeat(weights, lengths),
                                   minlength=self.n_rows)
        return out


class WordTfidf(BaseEstimator):
    """TF-IDF vectors over weighted tokens, document frequency counted per occupation.

    A token's weight in a vector is its largest weight there, times 1 + log(count) when
    ``sublinear`` (for descriptions, where repetition means something).
    """

    def __init__(self, sublinear: bool = False):
        self.sublinear = sublinear

    def fit(self, docs: Sequence[list[tuple[str, float]]], owners: Iterable[int],
            n_owners: int) -> WordTfidf:
        seen: dict[str, set[int]] = {}
        for doc, owner in zip(docs, owners, strict=True):
            for token, _ in doc:
                seen.setdefault(token, set()).add(int(owner))
        tokens = sorted(seen)
        self.vocabulary_ = {token: i for i, token in enumerate(tokens)}
        df = np.array([len(seen[token]) for token in tokens], dtype=np.float64)
        self.idf_ = np.log((n_owners + 1) / (df + 1)) + 1.0
        return self

    def vector(self, doc: list[tuple[str, float]], normalise_row: bool = True) -> Vector:
        weights: dict[int, float] = {}
        counts: Counter[int] = Counter()
        for token, weight in doc:
            column = self.vocabulary_.get(token)
            if column is not None:
                weights[column] = max(weights.get(column, 0.0), weight)
                counts[column] += 1
        for column in weights:
            weights[column] *= self.idf_[column]
            if self.sublinear:
                weights[column] *= 1.0 + math.log(counts[column])
        return as_vector(weights, normalise_row)


@cache
def char_grams(word: str, low: int, high: int) -> tuple[str, ...]:
    """Character n-grams of one word padded with spaces, as sklearn's ``char_wb`` cuts them."""
    padded = f" {word} "
    out = []
    for n in range(low, high + 1):
        if len(padded) <= n:
            out.append(padded)  # a short word counts once, whatever n
            break
        out.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return tuple(out)


class CharTfidf(BaseEstimator):
    """Character n-gram TF-IDF vectors (sublinear tf, smooth idf, L2 norm) of normalised text.

    N-grams never cross a word boundary, so each word's n-gram ids are worked out once.
    """

    def __init__(self, ngram_range: tuple[int, int], max_df: float = 1.0):
        self.ngram_range = ngram_range
        self.max_df = max_df

    def _word_ids(self, word: str) -> np.ndarray:
        ids = self._ids.get(word)
        if ids is None:
            grams = char_grams(word, *self.ngram_range)
            found = [self.vocabulary_.get(g, -1) for g in grams]
            ids = np.array([i for i in found if i >= 0], dtype=np.int64)
            if len(self._ids) < 200_000:
                self._ids[word] = ids
        return ids

    def _text_ids(self, text: str) -> np.ndarray:
        words = normalise(text).split()
        if not words:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([self._word_ids(w) for w in words])

    def fit(self, documents: Sequence[str]) -> CharTfidf:
        # Every n-gram first gets a provisional id, so that document frequencies are counted
        # with numpy; the ones in too many documents are then left out of the vocabulary.
        self.vocabulary_: dict[str, int] = {}
        self._ids: dict[str, np.ndarray] = {}
        texts = [normalise(d).split() for d in documents]
        for words in texts:
            for word in words:
                if word not in self._ids:
                    grams = char_grams(word, *self.ngram_range)
                    self._ids[word] = np.array(
                        [self.vocabulary_.setdefault(g, len(self.vocabulary_)) for g in grams],
                        dtype=np.int64)
        present = [np.unique(np.concatenate([self._ids[w] for w in words]))
                   for words in texts if words]
        df = np.bincount(np.concatenate(present or [np.zeros(0, np.int64)]),
                         minlength=len(self.vocabulary_))
        # In a small corpus long posting lists cost nothing, and every n-gram is "common".
        keep = df <= max(self.max_df * len(documents), 1000)
        new_id = np.cumsum(keep) - 1
        self.vocabulary_ = {g: int(new_id[i]) for g, i in self.vocabulary_.items() if keep[i]}
        self.idf_ = np.log((1 + len(documents)) / (1 + df[keep].astype(np.float64))) + 1.0
        # From here on a cache of each word's final ids, filled as texts come.
        self._ids = {}
        return self

    def vector(self, text: str) -> Vector:
        terms, counts = np.unique(self._text_ids(text), return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf_[terms]
        norm = math.sqrt(float(values @ values))
        return terms, (values / norm if norm else values).astype(np.float32)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` best scores of each row, best first (ties by index)."""
    k = min(k, scores.shape[1])
    if k <= 0:
        return np.zeros((scores.shape[0], 0), dtype=np.intp)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.lexsort((part, -np.take_along_axis(scores, part, axis=1)), axis=1)
    return np.take_along_axis(part, order, axis=1)
