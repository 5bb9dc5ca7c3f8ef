"""All of an occupation normaliser's signals from one sparse product.

Every signal of ``matching.occupations`` but ``exact`` is a cosine between a text's vector in
one term space (Dutch words widened with their substitutes, related Dutch words, English
words, description words, character n-grams) and indexed rows (labels, occupations, O*NET
occupations); a label signal then takes each occupation's best label. Scored one by one, each
cost a sparse product, a dense texts x labels matrix and a block maximum, and the lexicon's
expansions Python per token. Here:

- each known token of a text takes its rows of a fixed tokens x terms matrix (``expand``),
  times its largest weight (and for description words its count, for borrowed English words
  its summed weight, as ``WordTfidf.vector`` and ``LexiconSignals`` weigh them): every
  word-based query vector at once, substitutes, related words and English translations
  included, gathered with numpy (a scipy matrix per step costs more than the work for one
  text); the character n-grams are appended;
- each term space of a row is L2-normalised and the whole batch multiplied once with the
  stacked index (terms x indexed rows of every signal; preferred labels have rows of their
  own);
- each entry of that product goes to its row's slot (signal x occupation; an O*NET
  occupation's to every occupation linked to it) with ``np.maximum.at``, so the best label
  wins without a dense texts x labels matrix or a loop over labels.

``build_index(...)`` makes a :class:`SignalIndex` from a fitted normaliser's parts;
``SignalIndex.signals(texts, tokens)`` gives ``SLOT_SIGNALS`` per text (rows) and occupation
(columns), each in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .occupation_lexicon import LexiconSignals
from .sparse_text import CharTfidf, Postings, WordTfidf, char_grams
from .text import normalise

SLOT_SIGNALS = ("words", "preferred", "chars", "occupation_chars", "description", "related",
                "english", "onet")
# The term spaces of a query row, in this order; "related" is the Dutch word space again.
SPACES = ("words", "related", "english", "description", "chars")
_WORD_CACHE = 200_000


def _rows(postings: Postings) -> sp.csr_matrix:
    """The indexed vectors of ``postings`` as rows (rows x terms)."""
    return postings.by_term.T.tocsr()


def _selection(vocabulary: dict[str, int], tokens: dict[str, int], size: int,
               values: np.ndarray | None = None) -> sp.csr_matrix:
    """tokens x ``size``: each token of ``vocabulary`` on its column, with ``values`` (idf)
    or 1."""
    rows = np.fromiter((tokens[t] for t in vocabulary), dtype=np.int64, count=len(vocabulary))
    columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
    data = (np.ones(len(columns)) if values is None
            else np.asarray(values, dtype=np.float64)[columns])
    return sp.csr_matrix((data, (rows, columns)), shape=(len(tokens), size))


Entries = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, columns, values


def _gather(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the entries of CSR ``rows`` (concatenated), and each one's count."""
    starts = indptr[rows]
    counts = indptr[rows + 1] - starts
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return shift + np.arange(int(counts.sum())), counts


class SignalIndex:
    """The stacked index of a normaliser's signals (see the module docstring).

    ``tokens``: token -> row of ``expand`` (3 blocks of rows: a token's largest weight, its
    weight for sublinear description counts, its summed weight); ``starts``: first column of
    each of ``SPACES`` and the total; ``index``: terms x indexed rows; ``first_slot``: the
    slot (signal * n_occupations + occupation) of each of the first ``len(first_slot)`` rows,
    which have one; ``slot_ptr``/``slots``: the slots of the other rows (O*NET occupations,
    linked to several occupations or none).
    """

    def __init__(self, tokens: dict[str, int], expand: sp.csr_matrix, sublinear: bool,
                 chars: CharTfidf, starts: np.ndarray, index: sp.csr_matrix,
                 first_slot: np.ndarray, slot_ptr: np.ndarray, slots: np.ndarray,
                 n_occupations: int):
        self.tokens = tokens
        self.expand = expand
        self.sublinear = sublinear
        self.chars = chars
        self.starts = starts
        self.index = index
        # The rows of one slot come first; the O*NET rows' first slot is a spare one past a
        # text's slots (their entries are spread over their slots afterwards).
        self.single = len(first_slot)
        n_rows = index.shape[1] if index.shape is not None else 0
        self.first_slot = np.concatenate([first_slot, np.full(
            n_rows - len(first_slot), len(SLOT_SIGNALS) * n_occupations, dtype=np.int64)])
        self.slot_ptr = slot_ptr
        self.slots = slots
        self.n_occupations = n_occupations
        self._char_ids: dict[str, np.ndarray] = {}

    def _word_ids(self, word: str) -> np.ndarray:
        ids = self._char_ids.get(word)
        if ids is None:
            vocabulary = self.chars.vocabulary_
            found = (vocabulary.get(g, -1) for g in char_grams(word, *self.chars.ngram_range))
            ids = np.array([i for i in found if i >= 0], dtype=np.int64)
            if len(self._char_ids) < _WORD_CACHE:
                self._char_ids[word] = ids
        return ids

    def _word_entries(self, tokens: Sequence[Sequence[tuple[str, float]]]) -> Entries:
        """The word-based query terms: each known token's rows of ``expand`` times its
        largest, description and summed weight."""
        n_tokens = len(self.tokens)
        lookup = self.tokens.get
        rows: list[int] = []
        columns: list[int] = []
        values: list[float] = []
        for row, text in enumerate(tokens):
            found: dict[int, list[float]] = {}
            for token, weight in text:
                column = lookup(token)
                if column is None:
                    continue
                entry = found.get(column)
                if entry is None:
                    found[column] = [weight, 1.0, weight]
                else:
                    entry[0] = max(entry[0], weight)
                    entry[1] += 1.0
                    entry[2] += weight
            for column, (high, count, total) in found.items():
                counted = high * (1.0 + math.log(count)) if self.sublinear else high
                rows.extend((row, row, row))
                columns.extend((column, n_tokens + column, 2 * n_tokens + column))
                values.extend((high, counted, total))
        positions, counts = _gather(self.expand.indptr, np.asarray(columns, dtype=np.int64))
        return (np.repeat(np.asarray(rows, dtype=np.int64), counts),
                self.expand.indices[positions].astype(np.int64),
                np.repeat(np.asarray(values, dtype=np.float64), counts)
                * self.expand.data[positions])

    def _char_entries(self, texts: Sequence[str]) -> Entries:
        """Character n-gram weights (sublinear tf x idf) on their columns."""
        size = len(self.chars.vocabulary_)
        parts = [np.concatenate([self._word_ids(w) for w in words]) if words else
                 np.zeros(0, dtype=np.int64) for words in (normalise(t).split() for t in texts)]
        lengths = np.array([len(p) for p in parts], dtype=np.int64)
        ids = np.concatenate([np.zeros(0, dtype=np.int64), *parts])
        keys, counts = np.unique(np.repeat(np.arange(len(texts)), lengths) * size + ids,
                                 return_counts=True)
        columns = keys % size
        return (keys // size, self.starts[-2] + columns,
                (1.0 + np.log(counts)) * self.chars.idf_[columns])

    def queries(self, texts: Sequence[str], tokens: Sequence[Sequence[tuple[str, float]]]
                ) -> sp.csr_matrix:
        """Texts as query rows over every term space, each space of a row of unit length."""
        n_texts, n_terms = len(texts), int(self.starts[-1])
        words, chars = self._word_entries(tokens), self._char_entries(texts)
        keys, where = np.unique(np.concatenate([words[0], chars[0]]) * n_terms
                                + np.concatenate([words[1], chars[1]]), return_inverse=True)
        values = np.bincount(where, np.concatenate([words[2], chars[2]]), minlength=len(keys))
        rows, columns = keys // n_terms, keys % n_terms
        space = rows * len(SPACES) + np.searchsorted(self.starts, columns, side="right") - 1
        norms = np.sqrt(np.bincount(space, values * values, minlength=n_texts * len(SPACES)))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_texts))])
        return sp.csr_matrix(((values / norms[space]).astype(np.float32),
                              columns.astype(np.int32), indptr.astype(np.int32)),
                             shape=(n_texts, n_terms))

    def signals(self, texts: Sequence[str], tokens: Sequence[Sequence[tuple[str, float]]]
                ) -> dict[str, np.ndarray]:
        """``SLOT_SIGNALS`` per text (rows) and occupation (columns)."""
        n_texts, n = len(texts), self.n_occupations
        n_slots = len(SLOT_SIGNALS) * n
        stride = n_slots + 1  # a text's slots, and one that O*NET rows go to first
        out = np.zeros(n_texts * stride, dtype=np.float32)
        if n_texts:
            product = sp.csr_matrix(self.queries(texts, tokens) @ self.index)
            columns, values = product.indices, product.data
            offsets = np.repeat(np.arange(0, n_texts * stride, stride),
                                np.diff(product.indptr))
            np.maximum.at(out, offsets + self.first_slot[columns], values)
            single = self.single
            if product.get_shape()[1] > single:
                # The O*NET rows come last: their entries go to every occupation linked.
                several = np.flatnonzero(columns >= single)
                positions, counts = _gather(self.slot_ptr, columns[several] - single)
                np.maximum.at(out, np.repeat(offsets[several], counts) + self.slots[positions],
                              np.repeat(values[several], counts))
        by_signal = out.reshape(n_texts, stride)[:, :n_slots].reshape(
            n_texts, len(SLOT_SIGNALS), n)
        return {name: by_signal[:, k, :] for k, name in enumerate(SLOT_SIGNALS)}


def _soc_links(lexicon: LexiconSignals) -> list[list[int]]:
    """Per O*NET occupation of ``lexicon``, the occupations linked to it."""
    assert lexicon.titles_ is not None
    links: list[list[int]] = [[] for _ in range(lexicon.titles_.n_rows)]
    for occupation, socs in enumerate(lexicon.soc_table_.tolist()):
        for soc in socs:
            if soc < len(links) and occupation not in links[soc]:
                links[soc].append(occupation)
    return links


def _token_table(words: WordTfidf, descriptions: WordTfidf | None,
                 lexicon: LexiconSignals | None) -> dict[str, int]:
    """Every token any signal knows, numbered in the order its vocabularies come."""
    vocabularies: list[dict[str, int]] = [words.vocabulary_]
    if descriptions is not None:
        vocabularies.append(descriptions.vocabulary_)
    if lexicon is not None:
        vocabularies += [dict(lexicon.lexicon_.rows), lexicon.words_.vocabulary_]
    tokens: dict[str, int] = {}
    for vocabulary in vocabularies:
        for token in vocabulary:
            tokens.setdefault(token, len(tokens))
    return tokens


def _expansion(tokens: dict[str, int], placed, *, words: WordTfidf, substitutes: sp.csr_matrix,
               descriptions: WordTfidf | None, lexicon: LexiconSignals | None,
               n_terms: int) -> sp.csr_matrix:
    """tokens x terms, three blocks stacked: what a token adds where the largest value counts
    (its word, substitutes, related words and translations), where counts add up (description
    words), and where values add up (English words)."""
    n_words = len(words.vocabulary_)
    empty = sp.csr_matrix((len(tokens), n_terms))
    by_word = _selection(words.vocabulary_, tokens, n_words, words.idf_)
    largest = placed(by_word @ (sp.identity(n_words, format="csr") + substitutes), 0)
    counted, summed = empty, empty
    if lexicon is not None:
        rows = _selection(dict(lexicon.lexicon_.rows), tokens, len(lexicon.lexicon_.rows))
        assert lexicon.to_related_ is not None
        largest = largest + placed(rows @ lexicon.to_related_, 1) + placed(
            rows @ lexicon.to_english_, 2)
        summed = placed(_selection(lexicon.words_.vocabulary_, tokens,
                                   len(lexicon.words_.vocabulary_), lexicon.words_.idf_), 2)
    if descriptions is not None:
        counted = placed(_selection(descriptions.vocabulary_, tokens,
                                    len(descriptions.vocabulary_), descriptions.idf_), 3)
    return sp.csr_matrix(sp.vstack([largest, counted, summed], format="csr"))


def build_index(*, n_occupations: int, words: WordTfidf, substitutes: sp.csr_matrix,
                label_words: Postings, label_owners: np.ndarray, preferred: bool,
                chars: CharTfidf, label_chars: Postings, occupation_chars: Postings,
                descriptions: WordTfidf | None, description_words: Postings | None,
                lexicon: LexiconSignals | None) -> SignalIndex:
    """The index of a fitted normaliser: its word vocabulary and the ``substitutes`` matrix
    (words x words, already weighted), its label and occupation postings, ``label_owners``
    (the occupation of each label; an occupation's first label is its preferred one when
    ``preferred``), its descriptions and its lexicon signals (either may be None)."""
    n = n_occupations
    n_words = len(words.vocabulary_)
    n_english = len(lexicon.words_.vocabulary_) if lexicon is not None else 0
    n_described = len(descriptions.vocabulary_) if descriptions is not None else 0
    sizes = [n_words, n_words if lexicon is not None else 0, n_english, n_described,
             len(chars.vocabulary_)]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    n_terms = int(starts[-1])

    tokens = _token_table(words, descriptions, lexicon)

    def placed(matrix: sp.spmatrix | sp.sparray, space: int) -> sp.csr_matrix:
        """``matrix`` (one space's columns) on its columns of the query row."""
        coo = sp.coo_matrix(matrix)
        return sp.csr_matrix((coo.data, (coo.row, coo.col + starts[space])),
                             shape=(int(coo.get_shape()[0]), n_terms))

    expand = _expansion(tokens, placed, words=words, substitutes=substitutes,
                        descriptions=descriptions, lexicon=lexicon, n_terms=n_terms)

    # The indexed rows, each block on its space: first those of one slot each, then the
    # O*NET occupations (linked to any number of occupations).
    single: list[tuple[sp.csr_matrix, int, np.ndarray]] = []

    def add(matrix: sp.csr_matrix, space: int, name: str, owners: np.ndarray) -> None:
        single.append((matrix, space, SLOT_SIGNALS.index(name) * n + owners))

    every = np.arange(n)
    add(_rows(label_words), 0, "words", label_owners)
    if preferred:
        # An occupation's first label is its preferred one.
        first = np.unique(label_owners, return_index=True)[1]
        add(_rows(label_words)[first], 0, "preferred", label_owners[first])
    add(_rows(label_chars), 4, "chars", label_owners)
    add(_rows(occupation_chars), 4, "occupation_chars", every)
    if description_words is not None:
        add(_rows(description_words), 3, "description", every)
    several: list[sp.csr_matrix] = []
    slot_lists: list[list[int]] = []
    if lexicon is not None:
        add(_rows(label_words), 1, "related", label_owners)
        add(_rows(lexicon.labels_), 2, "english", np.asarray(_owners(lexicon)))
        if lexicon.titles_ is not None:
            several.append(placed(_rows(lexicon.titles_), 2))
            onet = SLOT_SIGNALS.index("onet") * n
            slot_lists = [[onet + o for o in linked] for linked in _soc_links(lexicon)]
    stacked = sp.vstack([placed(matrix, space) for matrix, space, _ in single] + several,
                        format="csr")
    index = sp.csr_matrix(stacked.T, dtype=np.float32)
    first_slot = np.concatenate([slots for _, _, slots in single]).astype(np.int64)
    slot_ptr = np.concatenate([[0], np.cumsum([len(s) for s in slot_lists])]).astype(np.int64)
    slots = np.array([s for row in slot_lists for s in row], dtype=np.int64)
    return SignalIndex(tokens, expand, bool(descriptions is not None and descriptions.sublinear),
                       chars, starts, index, first_slot, slot_ptr, slots, n)


def _owners(lexicon: LexiconSignals) -> list[int]:
    """The occupation of each English label of ``lexicon``."""
    blocks = lexicon.label_blocks_
    sorted_owners = np.repeat(blocks.owners, np.diff(np.append(blocks.starts,
                                                                 len(blocks.order))))
    owners = np.empty(len(blocks.order), dtype=np.int64)
    owners[blocks.order] = sorted_owners
    return owners.tolist()
