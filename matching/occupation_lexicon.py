"""What Dutch job words mean: the normaliser's signals from the wordnets, English ESCO and O*NET.

Many Dutch titles share no word with the occupation people chose ("Priester" -> geestelijke,
"Psychiater" -> medisch specialist). The Dutch wordnets put a Dutch word on WordNet synsets,
whose English words and broader synsets (hypernyms) do reach the occupation: priester -> priest,
broader clergyman; psychiater -> psychiatrist, broader medical specialist.

``load_lexicon(path)`` reads ``data/wordnet_nl_en.tsv.gz`` (built by
``benchmarks/build_lexicon.py``) into a :class:`Lexicon`: per Dutch base form its English words
and its related Dutch words (synonyms, and the words of its broader synsets), weighted by the
share of the word's senses that hold them and ``broader`` for the broader ones.

``LexiconSignals(broader=...).fit(occupations, fields, lexicon, english, onet)`` indexes the
occupations' English labels (of the searchable ``fields`` only) and the O*NET titles linked to
them; ``.signals(tokens)`` gives per text (rows) and occupation (columns), each in [0, 1]:

- ``english``: the text's English words (translated, and those it borrows as they are:
  "CNC-operator") against each English label, best label;
- ``onet``: the same against the O*NET occupations the crosswalk links to the occupation,
  each one document of all its titles;
- ``related``: the text's related Dutch words against the normaliser's Dutch labels.

Everything is sparse products over postings, as for the other signals: no per-query loop over
labels.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from .occupation_records import Occupation
from .sparse_text import Blocks, Postings, Vector, WordTfidf
from .text import base_form

HERE = Path(__file__).parent / "data"
WORDNET = HERE / "wordnet_nl_en.tsv.gz"
ENGLISH = HERE / "occupations_en.csv.gz"
ONET_TITLES = HERE / "onet_titles.csv.gz"
ESCO_ONET = HERE / "esco_onet.csv.gz"
_ENGLISH_STOP = frozenset(("a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on",
                           "or", "the", "to", "with"))
LEXICON_SIGNALS = ("english", "onet", "related")


def english_tokens(text: str) -> list[tuple[str, float]]:
    """Lower-case English words of a label, stopwords out, each with weight 1."""
    words = "".join(c if c.isalpha() else " " for c in text.lower()).split()
    return [(w, 1.0) for w in words if w not in _ENGLISH_STOP]


def _parse(column: str) -> list[tuple[str, float]]:
    out = []
    for item in column.split():
        term, _, share = item.rpartition(":")
        out.append((term, float(share)))
    return out


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Dutch base forms (``rows``) to English words and to related Dutch words (base forms),
    as sparse weight matrices: rows x ``english_terms`` and rows x ``related_terms``."""

    rows: Mapping[str, int]
    english_terms: tuple[str, ...]
    english: sp.csr_matrix
    related_terms: tuple[str, ...]
    related: sp.csr_matrix

    def token_rows(self, tokens: Sequence[Sequence[tuple[str, float]]]) -> sp.csr_matrix:
        """Texts' weighted tokens as rows of the lexicon (texts x rows), a token's largest
        weight where it comes more than once."""
        indptr, columns, weights = [0], [], []
        for text in tokens:
            found: dict[int, float] = {}
            for token, weight in text:
                row = self.rows.get(token)
                if row is not None and weight > found.get(row, 0.0):
                    found[row] = weight
            columns.extend(found)
            weights.extend(found.values())
            indptr.append(len(columns))
        return sp.csr_matrix((np.asarray(weights, dtype=np.float32),
                              np.asarray(columns, dtype=np.int64), np.asarray(indptr)),
                             shape=(len(tokens), len(self.rows)))


def _matrix(triples: list[tuple[int, str, float]], n_rows: int
            ) -> tuple[tuple[str, ...], sp.csr_matrix]:
    """(row, term, weight) triples as a matrix, the largest weight where one repeats."""
    terms = tuple(sorted({term for _, term, _ in triples}))
    column = {term: i for i, term in enumerate(terms)}
    rows = np.array([r for r, _, _ in triples], dtype=np.int64)
    cols = np.array([column[t] for _, t, _ in triples], dtype=np.int64)
    weights = np.array([w for _, _, w in triples], dtype=np.float32)
    order = np.lexsort((-weights, cols, rows))
    rows, cols, weights = rows[order], cols[order], weights[order]
    first = np.flatnonzero(np.diff(rows * len(terms) + cols, prepend=-1))
    matrix = sp.csr_matrix((weights[first], (rows[first], cols[first])),
                           shape=(n_rows, len(terms)))
    return terms, matrix


def read_lexicon(path: Path | str = WORDNET, broader: float = 0.5) -> Lexicon:
    """The lexicon, its Dutch words on the base forms that ``matching.text`` gives them, the
    broader synsets' words at ``broader`` times their share."""
    rows: dict[str, int] = {}
    english: list[tuple[int, str, float]] = []
    related: list[tuple[int, str, float]] = []
    text = gzip.decompress(Path(path).read_bytes()).decode("utf-8")
    for line in text.splitlines()[1:]:
        word, en, en_broader, nl, nl_broader = line.split("\t")
        key = base_form(word)
        row = rows.setdefault(key, len(rows))
        english.extend((row, t, w) for t, w in _parse(en))
        english.extend((row, t, broader * w) for t, w in _parse(en_broader))
        for t, w in [*_parse(nl), *((t, broader * w) for t, w in _parse(nl_broader))]:
            related_word = base_form(t)
            if related_word != key:
                related.append((row, related_word, w))
    english_terms, english_matrix = _matrix(english, len(rows))
    related_terms, related_matrix = _matrix(related, len(rows))
    return Lexicon(rows, english_terms, english_matrix, related_terms, related_matrix)


@cache
def load_lexicon(path: Path | str = WORDNET, broader: float = 0.5) -> Lexicon:
    """``read_lexicon``, once per process."""
    return read_lexicon(path, broader)


def _read_csv_gz(path: Path | str) -> list[dict[str, str]]:
    raw = gzip.decompress(Path(path).read_bytes()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(raw)))


@cache
def load_english(path: Path | str = ENGLISH) -> dict[str, Occupation]:
    """English labels of the ESCO occupations, by URI (the other fields are empty)."""
    out = {}
    for row in _read_csv_gz(path):
        out[row["uri"]] = Occupation(
            row["uri"], "", "", row["preferredLabel"],
            tuple(a for a in row["altLabels"].split("|") if a),
            hidden_labels=tuple(h for h in row["hiddenLabels"].split("|") if h))
    return out


@cache
def load_onet(titles: Path | str = ONET_TITLES, links: Path | str = ESCO_ONET
              ) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """O*NET titles by O*NET-SOC code, and the O*NET-SOC codes of each ESCO code."""
    by_soc = {row["soc"]: tuple(t for t in row["titles"].split("|") if t)
              for row in _read_csv_gz(titles)}
    linked: dict[str, list[str]] = {}
    for row in _read_csv_gz(links):
        linked.setdefault(row["code"], []).append(row["soc"])
    return by_soc, {code: tuple(socs) for code, socs in linked.items()}


def term_map(terms: Sequence[str], words: WordTfidf) -> sp.csr_matrix:
    """Terms (columns of a lexicon matrix) onto ``words``' vocabulary, times its idf: a
    lexicon matrix times this gives TF-IDF weights; terms it does not know are dropped."""
    known = [(i, words.vocabulary_[t]) for i, t in enumerate(terms) if t in words.vocabulary_]
    rows = np.array([i for i, _ in known], dtype=np.int64)
    columns = np.array([c for _, c in known], dtype=np.int64)
    return sp.csr_matrix((words.idf_[columns].astype(np.float32), (rows, columns)),
                         shape=(len(terms), len(words.vocabulary_)))


def as_vectors(matrix: sp.csr_matrix) -> list[Vector]:
    """The rows of a sparse matrix as unit-length ``Vector``s (an empty row stays empty)."""
    matrix = matrix.tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    out = []
    for row, norm in enumerate(norms.tolist()):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        out.append((matrix.indices[start:end].astype(np.int64),
                    (np.asarray(matrix.data[start:end], dtype=np.float64)
                     / (norm or 1.0)).astype(np.float32)))
    return out


class LexiconSignals(BaseEstimator):
    """The ``english`` and ``onet`` signals of a normaliser (see the module docstring).

    Parameters
    ----------
    use_onet : also index the O*NET titles linked to each occupation.
    """

    def __init__(self, use_onet: bool = True):
        self.use_onet = use_onet

    def fit(self, occupations: Sequence[Occupation], fields: Sequence[str], lexicon: Lexicon,
            english: Mapping[str, Occupation],
            onet: tuple[Mapping[str, Sequence[str]], Mapping[str, Sequence[str]]] | None = None,
            dutch: tuple[WordTfidf, Postings, Blocks] | None = None) -> LexiconSignals:
        """Index the English labels of ``occupations`` in ``fields`` and the O*NET titles;
        ``dutch`` (the normaliser's Dutch words, label postings and label blocks) for the
        ``related`` signal."""
        self.lexicon_ = lexicon
        self.dutch_ = dutch
        self.to_related_ = (lexicon.related @ term_map(lexicon.related_terms, dutch[0])
                            if dutch is not None else None)
        n = len(occupations)
        self.n_occupations_ = n
        # English labels only of the fields this normaliser may search: an alternative label
        # held out as a query must not be found through its own translation.
        docs, owners = [], []
        for index, occupation in enumerate(occupations):
            found = english.get(occupation.uri)
            for label in (found.labels(fields) if found else ()):
                docs.append(english_tokens(label))
                owners.append(index)
        # An O*NET occupation is one document of the words of all its titles: fifty-odd
        # titles each would make the signal cost more than all the others together.
        titles, soc_of = [], {}
        if self.use_onet and onet is not None:
            by_soc, linked = onet
            for soc, soc_titles in by_soc.items():
                soc_of[soc] = len(soc_of)
                titles.append([token for t in soc_titles for token in english_tokens(t)])
        self.words_ = WordTfidf().fit(docs + titles, owners + [n + o for o in range(len(titles))],
                                      n + len(soc_of))
        size = len(self.words_.vocabulary_)
        self.to_english_ = lexicon.english @ term_map(lexicon.english_terms, self.words_)
        self.labels_ = Postings([self.words_.vector(d) for d in docs], size)
        self.label_blocks_ = Blocks(np.asarray(owners, dtype=np.intp), n)
        self.titles_: Postings | None = None
        if titles:
            self.titles_ = Postings([self.words_.vector(t) for t in titles], size)
            # Each occupation's linked O*NET occupations as a padded table; the pad column
            # (index len(soc_of)) always scores 0.
            links = [[soc_of[s] for s in linked.get(o.code, ()) if s in soc_of]
                     for o in occupations]
            width = max((len(row) for row in links), default=0) or 1
            self.soc_table_ = np.full((n, width), len(soc_of), dtype=np.intp)
            for row, socs in enumerate(links):
                self.soc_table_[row, :len(socs)] = socs
        return self

    def _borrowed(self, tokens: Sequence[Sequence[tuple[str, float]]]) -> sp.csr_matrix:
        """English words that Dutch titles borrow ("CNC-operator"), as they are, TF-IDF
        weighted (texts x English words)."""
        vocabulary, idf = self.words_.vocabulary_, self.words_.idf_
        rows, columns, weights = [], [], []
        for row, text in enumerate(tokens):
            for token, weight in text:
                column = vocabulary.get(token)
                if column is not None:
                    rows.append(row)
                    columns.append(column)
                    weights.append(weight * idf[column])
        return sp.csr_matrix((np.asarray(weights, dtype=np.float32), (rows, columns)),
                             shape=(len(tokens), len(vocabulary)))

    def signals(self, tokens: Sequence[Sequence[tuple[str, float]]], names: set[str]
                ) -> dict[str, np.ndarray]:
        """The named lexicon signals per text (rows) and occupation (columns)."""
        out: dict[str, np.ndarray] = {}
        rows = self.lexicon_.token_rows(tokens)
        if "related" in names and self.dutch_ is not None:
            _, postings, blocks = self.dutch_
            out["related"] = blocks.max(postings.scores(as_vectors(rows @ self.to_related_)))
        if not names & {"english", "onet"}:
            return out
        vectors = as_vectors(rows @ self.to_english_ + self._borrowed(tokens))
        n_texts = len(vectors)
        if "english" in names:
            out["english"] = self.label_blocks_.max(self.labels_.scores(vectors))
        if "onet" in names:
            onet = np.zeros((n_texts, self.n_occupations_), dtype=np.float32)
            if self.titles_ is not None:
                per_soc = self.titles_.scores(vectors)
                padded = np.hstack([per_soc, np.zeros((n_texts, 1), dtype=per_soc.dtype)])
                onet = padded[:, self.soc_table_].max(axis=2)
            out["onet"] = onet
        return out
