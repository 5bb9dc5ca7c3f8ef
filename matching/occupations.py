"""Short Dutch texts to ESCO occupations.

API
---
``OccupationNormaliser(fields=..., *, weights=None, ...).fit(occupations) -> self``
    learns from plain occupation records (``Occupation`` or mappings with ESCO or benchmark
    column names), searching only ``fields`` (e.g. "preferredLabel+altLabels+description").
``.rank(texts, k=10) -> list[tuple[Match, ...]]``, ``.rank_one(text, k=10) -> tuple[Match, ...]``
    the most likely occupations per text, best first; () for a text without usable words.
``.scores(texts) -> ndarray`` (texts x occupations), ``.signals(texts) -> dict[str, ndarray]``
``Match(code, uri, label, score)``: frozen; the score is about 1 for a label matched exactly,
    about 0.5 for half a title, below about 0.3 little more than a guess.
``default_normaliser()``: fitted once on every field of ``data/esco_occupations_nl.csv.gz``.
``load_occupations(path)``, ``as_occupation(record)``, ``parse_fields(fields)``, ``top_k``.

How a text is scored
--------------------
Each signal is a cosine similarity in [0, 1] between the text and an occupation:

- ``words``: TF-IDF over ``text.tokens`` (female and plural forms undone, compounds split)
  against each label on its own; an occupation counts its best label, so forty alternative
  labels do not drown one exact one. The text's words are widened with the words that replace
  them in other labels of one occupation ("docent" and "leerkracht", "bediener" and
  "operator": see ``substitutions``), learned from the labels being indexed;
- ``preferred``: the same against the preferred label only, which ESCO keeps the most typical;
- ``chars``: character 3-5-grams against each label, forgiving misspellings and compounds the
  splitter does not know;
- ``occupation_chars``: character n-grams against all searchable text of the occupation;
- ``description``: words against the description, for texts that describe a job;
- ``exact``: 1 when the text's words are exactly those of a label.

The weighted sum can then borrow from related occupations: a broader ESCO occupation gets a
share of its best narrower one (a specialised title that ESCO lacks belongs under the general
occupation), and optionally each occupation a share of the best in its ISCO group. The weights
were fitted on ESCO itself, with held-out labels as queries (``benchmarks/occupations.py
--fit-weights``), never on real job titles; that fit put the ISCO group share at 0.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .text import head, normalise, word_tokens

DATA = Path(__file__).parent / "data" / "esco_occupations_nl.csv.gz"
LABEL_FIELDS = ("preferredLabel", "altLabels", "hiddenLabels")
FIELDS = (*LABEL_FIELDS, "description")
SIGNALS = ("words", "preferred", "chars", "occupation_chars", "description", "exact")
# Fitted by ``benchmarks/occupations.py --fit-weights`` (ESCO held-out labels, seed 0);
# "exact" is set, not fitted, so that a title that is an ESCO label comes first.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "words": 0.94, "preferred": 0.68, "chars": 1.0, "occupation_chars": 0.74,
    "description": 0.43, "exact": 1.0, "group": 0.0, "parent": 0.3,
}
_PARENTHESES = re.compile(r"\(([^)]*)\)?")


@dataclass(frozen=True, slots=True)
class Occupation:
    """One ESCO occupation as the normaliser needs it."""

    uri: str
    code: str
    isco_group: str
    preferred_label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    hidden_labels: tuple[str, ...] = ()

    def labels(self, fields: Iterable[str] = LABEL_FIELDS) -> tuple[str, ...]:
        """The labels in ``fields``, preferred label first, without repeats."""
        fields = set(fields)
        out = [self.preferred_label] if "preferredLabel" in fields else []
        if "altLabels" in fields:
            out.extend(self.alt_labels)
        if "hiddenLabels" in fields:
            out.extend(self.hidden_labels)
        return tuple(dict.fromkeys(label for label in out if label.strip()))

    def texts(self, fields: Iterable[str] = FIELDS) -> tuple[str, ...]:
        fields = tuple(fields)
        description = (self.description,) if "description" in fields else ()
        return (*self.labels(fields), *description)


@dataclass(frozen=True, slots=True)
class Match:
    """An occupation a text may name; higher scores are better (see the module docstring)."""

    code: str
    uri: str
    label: str
    score: float


OccupationLike = Occupation | Mapping[str, str]


def _split_labels(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if not value:
        return ()
    if not isinstance(value, str):
        return tuple(v.strip() for v in value if v.strip())
    separator = "\n" if "\n" in value else "|"
    return tuple(v.strip() for v in value.split(separator) if v.strip())


def as_occupation(record: OccupationLike) -> Occupation:
    """An ``Occupation`` from itself or a mapping with ESCO or benchmark column names."""
    if isinstance(record, Occupation):
        return record
    uri = record.get("uri") or record.get("conceptUri") or record.get("target_id") or ""
    return Occupation(
        uri=uri,
        code=record.get("code") or "",
        isco_group=record.get("iscoGroup") or record.get("isco_group") or "",
        preferred_label=record.get("preferredLabel") or record.get("preferred_label") or "",
        alt_labels=_split_labels(record.get("altLabels") or record.get("alt_labels")),
        description=record.get("description") or "",
        hidden_labels=_split_labels(record.get("hiddenLabels") or record.get("hidden_labels")),
    )


def load_occupations(path: Path | str = DATA) -> tuple[Occupation, ...]:
    """Occupations from a CSV (gzipped if it ends in .gz) in ESCO, benchmark or package format."""
    path = Path(path)
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    return tuple(as_occupation(row) for row in reader)


def parse_fields(fields: str | Iterable[str]) -> tuple[str, ...]:
    """'preferredLabel+altLabels' -> ('preferredLabel', 'altLabels'); unknown names raise."""
    names = tuple(f.strip() for f in (fields.split("+") if isinstance(fields, str) else fields))
    unknown = [name for name in names if name not in FIELDS]
    if unknown or not names:
        raise ValueError(f"unknown field(s) {', '.join(unknown) or '(none)'}; "
                         f"known: {', '.join(FIELDS)}")
    return names


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` best scores of each row, best first (ties by index)."""
    k = min(k, scores.shape[1])
    if k <= 0:
        return np.zeros((scores.shape[0], 0), dtype=np.intp)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.lexsort((part, -np.take_along_axis(scores, part, axis=1)), axis=1)
    return np.take_along_axis(part, order, axis=1)


class _Blocks:
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


def _words(text: str) -> list[str]:
    """Base forms of the words outside parentheses ("Kok (Grieks)" -> ["kok"])."""
    outside = _PARENTHESES.sub(" ", text)
    return [word_tokens(w)[0] for w in normalise(outside.replace("'s", "s")).split()
            if word_tokens(w)]


def _weighted_tokens(text: str, qualifier_weight: float,
                     part_weight: float) -> list[tuple[str, float]]:
    """Tokens with a weight: compound parts and (parenthesised) qualifiers count less."""
    out: list[tuple[str, float]] = []
    for index, piece in enumerate(_PARENTHESES.split(text)):
        outer = qualifier_weight if index % 2 else 1.0
        for word in normalise(piece.replace("'s", "s")).split():
            for position, token in enumerate(word_tokens(word)):
                out.append((token, outer * (part_weight if position else 1.0)))
    return out


def substitutions(label_sets: Iterable[Iterable[str]], vocabulary: Mapping[str, int],
                  min_count: int = 2, smoothing: float = 2.0) -> sp.csr_matrix:
    """Words that replace each other within one occupation's labels, as a vocabulary x
    vocabulary matrix of P(replacement | word).

    "leerkracht kunst voortgezet onderwijs" and "docent kunst voortgezet onderwijs" name one
    occupation, so in a title "docent" may stand for "leerkracht"; ESCO has thousands of such
    pairs (bediener/operator, hoofd/manager, monteur/technicus). Pairs seen once are dropped.
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for labels in label_sets:
        variants = list(dict.fromkeys(tuple(_words(label)) for label in labels))
        for i, first in enumerate(variants):
            for second in variants[i + 1:]:
                if len(first) != len(second):
                    continue
                differ = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
                if len(differ) != 1:
                    continue
                a, b = differ[0]
                for x, y in {(a, b), (head(a), head(b))}:
                    if x != y:
                        pairs[(x, y)] += 1
                        pairs[(y, x)] += 1
    kept = {pair: n for pair, n in pairs.items() if n >= min_count}
    totals: Counter[str] = Counter()
    for (a, _), n in kept.items():
        totals[a] += n
    rows, cols, data = [], [], []
    for (a, b), n in kept.items():
        if a in vocabulary and b in vocabulary:
            rows.append(vocabulary[a])
            cols.append(vocabulary[b])
            data.append(n / (totals[a] + smoothing))
    size = len(vocabulary)
    return sp.csr_matrix((np.asarray(data, dtype=np.float32), (rows, cols)), shape=(size, size))


Vector = tuple[np.ndarray, np.ndarray]  # (term ids, weights) of one sparse row


def _vector(weights: Mapping[int, float], normalise_row: bool = True) -> Vector:
    terms = np.fromiter(weights, dtype=np.int64, count=len(weights))
    values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    norm = math.sqrt(float(values @ values)) if normalise_row else 0.0
    return terms, (values / norm if norm else values).astype(np.float32)


def _matrix(vectors: Sequence[Vector], n_terms: int) -> sp.csr_matrix:
    """Vectors as the rows of a CSR matrix."""
    lengths = [len(terms) for terms, _ in vectors]
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    indices = np.concatenate([t for t, _ in vectors] or [np.zeros(0, np.int64)])
    data = np.concatenate([w for _, w in vectors] or [np.zeros(0, np.float32)])
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(vectors), n_terms))
    matrix.sum_duplicates()
    return matrix


class _Postings:
    """Dot products of sparse vectors with many rows at once, through an inverted index.

    For one short text this is a few numpy calls, where a scipy sparse product spends most of
    its time checking its arguments.
    """

    def __init__(self, vectors: Sequence[Vector], n_terms: int):
        by_term = _matrix(vectors, n_terms).T.tocsr()
        self.indptr = by_term.indptr.astype(np.int64)
        self.indices = by_term.indices.astype(np.int64)
        self.data = by_term.data.astype(np.float32)
        self.n_rows = len(vectors)

    def scores(self, queries: Sequence[Vector]) -> np.ndarray:
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


class _WordTfidf:
    """TF-IDF vectors over weighted tokens, document frequency counted per occupation.

    A token's weight in a vector is its largest weight there, times 1 + log(count) when
    ``sublinear`` (for descriptions, where repetition means something).
    """

    def __init__(self, sublinear: bool = False):
        self.sublinear = sublinear

    def fit(self, docs: Sequence[list[tuple[str, float]]], owners: Iterable[int],
            n_owners: int) -> _WordTfidf:
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
        return _vector(weights, normalise_row)


@cache
def _char_grams(word: str, low: int, high: int) -> tuple[str, ...]:
    """Character n-grams of one word padded with spaces, as sklearn's ``char_wb`` cuts them."""
    padded = f" {word} "
    out = []
    for n in range(low, high + 1):
        if len(padded) <= n:
            out.append(padded)  # a short word counts once, whatever n
            break
        out.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return tuple(out)


class _CharTfidf:
    """Character n-gram TF-IDF vectors (sublinear tf, smooth idf, L2 norm) of normalised text.

    N-grams never cross a word boundary, so each word's n-gram ids are worked out once.
    """

    def __init__(self, ngram_range: tuple[int, int], max_df: float = 1.0):
        self.ngram_range = ngram_range
        self.max_df = max_df

    def _word_ids(self, word: str) -> np.ndarray:
        ids = self._ids.get(word)
        if ids is None:
            grams = _char_grams(word, *self.ngram_range)
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

    def fit(self, documents: Sequence[str]) -> _CharTfidf:
        # Every n-gram first gets a provisional id, so that document frequencies are counted
        # with numpy; the ones in too many documents are then left out of the vocabulary.
        self.vocabulary_: dict[str, int] = {}
        self._ids: dict[str, np.ndarray] = {}
        texts = [normalise(d).split() for d in documents]
        for words in texts:
            for word in words:
                if word not in self._ids:
                    grams = _char_grams(word, *self.ngram_range)
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
        self._ids = {}
        return self

    def vector(self, text: str) -> Vector:
        terms, counts = np.unique(self._text_ids(text), return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf_[terms]
        norm = math.sqrt(float(values @ values))
        return terms, (values / norm if norm else values).astype(np.float32)


class OccupationNormaliser:
    """Ranks ESCO occupations for short Dutch texts (job titles, dream jobs).

    Parameters
    ----------
    fields : occupation fields that may be searched, "preferredLabel+altLabels+..." or a
        sequence of preferredLabel, altLabels, hiddenLabels, description.
    weights : weight per signal (see ``SIGNALS``) and of the "group" and "parent" shares;
        missing keys take ``DEFAULT_WEIGHTS``.
    substitution_weight : how much the words that replace a text's words in ESCO labels count.
    part_weight : weight of a compound's parts relative to the whole word.
    qualifier_weight : weight of words in parentheses ("Kok (Grieks)").
    ngram_range : character n-gram sizes.
    char_max_df : character n-grams in more than this share (and over 1,000) of the labels
        and occupations are left out: they say little and make the index slow.
    batch_size : texts scored at once; memory is about batch_size x labels x 8 bytes.
    """

    def __init__(self, fields: str | Iterable[str] = "+".join(FIELDS), *,
                 weights: Mapping[str, float] | None = None, substitution_weight: float = 2.0,
                 part_weight: float = 0.7, qualifier_weight: float = 0.5,
                 ngram_range: tuple[int, int] = (3, 5), char_max_df: float = 0.1,
                 batch_size: int = 32):
        self.fields = fields
        self.weights = weights
        self.substitution_weight = substitution_weight
        self.part_weight = part_weight
        self.qualifier_weight = qualifier_weight
        self.ngram_range = ngram_range
        self.char_max_df = char_max_df
        self.batch_size = batch_size

    def fit(self, occupations: Iterable[OccupationLike]) -> OccupationNormaliser:
        self.occupations_ = tuple(as_occupation(o) for o in occupations)
        self.fields_ = parse_fields(self.fields)
        unknown = set(self.weights or {}) - {*SIGNALS, "group", "parent"}
        if unknown:
            raise ValueError(f"unknown weight(s): {', '.join(sorted(unknown))}")
        self.weights_ = {**DEFAULT_WEIGHTS, **(self.weights or {})}
        n = len(self.occupations_)

        labels, owners = [], []
        for index, occupation in enumerate(self.occupations_):
            for label in occupation.labels(self.fields_):
                labels.append(label)
                owners.append(index)
        owners_array = np.asarray(owners, dtype=np.intp)
        self.labels_ = _Blocks(owners_array, n)
        # Each occupation's first label is its preferred one when that field is searchable.
        self.preferred_rows_ = (self.labels_.starts if "preferredLabel" in self.fields_
                                else np.zeros(0, dtype=np.intp))

        label_tokens = [self._tokens(label) for label in labels]
        self.words_ = _WordTfidf().fit(label_tokens, owners, n)
        self.label_words_ = _Postings([self.words_.vector(t) for t in label_tokens],
                                      len(self.words_.vocabulary_))
        widen = substitutions((o.labels(self.fields_) for o in self.occupations_),
                              self.words_.vocabulary_)
        self.substitutions_ = {}
        for term in np.flatnonzero(np.diff(widen.indptr)).tolist():
            row = slice(widen.indptr[term], widen.indptr[term + 1])
            self.substitutions_[term] = (widen.indices[row],
                                         self.substitution_weight * widen.data[row])

        # One character vocabulary for labels and whole occupations, so a text is cut once.
        documents = [" ".join(o.texts(self.fields_)) for o in self.occupations_]
        self.chars_ = _CharTfidf(self.ngram_range, self.char_max_df).fit(labels + documents)
        n_grams = len(self.chars_.vocabulary_)
        self.label_chars_ = _Postings([self.chars_.vector(label) for label in labels], n_grams)
        self.occupation_chars_ = _Postings([self.chars_.vector(d) for d in documents], n_grams)

        self.descriptions_ = None
        if "description" in self.fields_:
            descriptions = [self._tokens(o.description) for o in self.occupations_]
            self.descriptions_ = _WordTfidf(sublinear=True).fit(descriptions, range(n), n)
            self.description_words_ = _Postings(
                [self.descriptions_.vector(d) for d in descriptions],
                len(self.descriptions_.vocabulary_))

        # Hidden labels (misspellings, old names) are searched but are no exact evidence, and a
        # label that several occupations share ("monteur") is split between them.
        shown = [f for f in self.fields_ if f != "hiddenLabels"]
        exact: dict[str, list[int]] = {}
        for owner, occupation in enumerate(self.occupations_):
            for label in occupation.labels(shown):
                found = exact.setdefault(" ".join(_words(label)), [])
                if owner not in found:
                    found.append(owner)
        self.exact_ = {key: (np.array(found), 1.0 / len(found))
                       for key, found in exact.items() if key}

        groups = {g: i for i, g in enumerate(sorted({o.isco_group for o in self.occupations_}))}
        self.group_of_ = np.array([groups[o.isco_group] for o in self.occupations_],
                                  dtype=np.intp)
        self.groups_ = _Blocks(self.group_of_, len(groups))
        by_code = {o.code: i for i, o in enumerate(self.occupations_)}
        parent = np.array([by_code.get(o.code.rsplit(".", 1)[0], -1) if "." in o.code else -1
                           for o in self.occupations_], dtype=np.intp)
        self.children_ = np.flatnonzero(parent >= 0)
        self.parents_ = _Blocks(parent[self.children_], n)
        return self

    def _tokens(self, text: str) -> list[tuple[str, float]]:
        return _weighted_tokens(text, self.qualifier_weight, self.part_weight)

    def _widened(self, tokens: list[tuple[str, float]]) -> Vector:
        """The text's word vector plus the words that stand in for them in ESCO labels."""
        terms, weights = self.words_.vector(tokens, normalise_row=False)
        widened = dict(zip(terms.tolist(), weights.tolist(), strict=True))
        for term, weight in zip(terms.tolist(), weights.tolist(), strict=True):
            if term in self.substitutions_:
                others, shares = self.substitutions_[term]
                for other, share in zip(others.tolist(), shares.tolist(), strict=True):
                    widened[other] = widened.get(other, 0.0) + weight * share
        return _vector(widened)

    def signals(self, texts: Sequence[str], names: Iterable[str] = SIGNALS
                ) -> dict[str, np.ndarray]:
        """The named signals for every text (rows) and occupation (columns), each in [0, 1]."""
        names = set(names)
        n_texts, n_occ = len(texts), len(self.occupations_)
        out: dict[str, np.ndarray] = {}
        tokens = [self._tokens(t) for t in texts]
        if names & {"words", "preferred"}:
            per_label = self.label_words_.scores([self._widened(t) for t in tokens])
            out["words"] = self.labels_.max(per_label)
            preferred = np.zeros((n_texts, n_occ), dtype=np.float32)
            if len(self.preferred_rows_):
                preferred[:, self.labels_.owners] = per_label[:, self.preferred_rows_]
            out["preferred"] = preferred
        if names & {"chars", "occupation_chars"}:
            chars = [self.chars_.vector(t) for t in texts]
            out["chars"] = self.labels_.max(self.label_chars_.scores(chars))
            out["occupation_chars"] = self.occupation_chars_.scores(chars)
        if "description" in names:
            out["description"] = (
                self.description_words_.scores([self.descriptions_.vector(t) for t in tokens])
                if self.descriptions_ is not None
                else np.zeros((n_texts, n_occ), dtype=np.float32))
        if "exact" in names:
            exact = np.zeros((n_texts, n_occ), dtype=np.float32)
            for row, text in enumerate(texts):
                found = self.exact_.get(" ".join(_words(text)))
                if found is not None:
                    exact[row, found[0]] = found[1]
            out["exact"] = exact
        return {name: out[name] for name in SIGNALS if name in names}

    def fuse(self, signals: Mapping[str, np.ndarray]) -> np.ndarray:
        """Weighted signals plus shares of the best in the ISCO group and of the best narrower
        occupation, scaled so that a text matching a label in every way scores about 1."""
        w = self.weights_
        base = sum(w[name] * signals[name] for name in signals if name != "exact" and w[name])
        if isinstance(base, int):  # every weight zero
            base = np.zeros_like(next(iter(signals.values())))
        score = base.copy()
        if w["group"]:
            score += w["group"] * self.groups_.max(base)[:, self.group_of_]
        if w["parent"] and len(self.children_):
            score += w["parent"] * self.parents_.max(base[:, self.children_])
        if "exact" in signals:
            score += w["exact"] * signals["exact"]
        return score / max(sum(w[name] for name in SIGNALS), 1e-12)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Fused scores, texts x occupations; a text without usable words scores 0 throughout."""
        texts = list(texts)
        names = [name for name in SIGNALS if self.weights_[name]]
        parts = [self.fuse(self.signals(texts[i:i + self.batch_size], names))
                 for i in range(0, len(texts), self.batch_size)]
        if not parts:
            return np.zeros((0, len(self.occupations_)), dtype=np.float32)
        scores = np.vstack(parts)
        # Character n-grams find something in any text; without one real word ("", "de het")
        # that something is noise.
        scores[[not self._tokens(t) for t in texts]] = 0.0
        return scores

    def rank(self, texts: Sequence[str], k: int = 10) -> list[tuple[Match, ...]]:
        """The ``k`` best occupations for each text, best first; () when nothing matches."""
        scores = self.scores(texts)
        out = []
        for row, indices in zip(scores, top_k(scores, k), strict=True):
            out.append(tuple(
                Match(self.occupations_[i].code, self.occupations_[i].uri,
                      self.occupations_[i].preferred_label, round(float(row[i]), 4))
                for i in indices if row[i] > 0))
        return out

    def rank_one(self, text: str, k: int = 10) -> tuple[Match, ...]:
        return self.rank([text], k)[0]


@cache
def default_normaliser() -> OccupationNormaliser:
    """The normaliser fitted on every field of the shipped ESCO occupations (cached)."""
    return OccupationNormaliser().fit(load_occupations())
