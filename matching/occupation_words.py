"""The words of occupation labels: base forms, weighted tokens, and words that replace
each other within one occupation's labels.

A label's words are read as :func:`matching.text.word_tokens` reads them; a qualifier in
parentheses ("Kok (Grieks)") and the parts of a compound count less than the words themselves.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from .text import head, normalise, word_tokens

_PARENTHESES = re.compile(r"\(([^)]*)\)?")


def label_words(text: str) -> list[str]:
    """Base forms of the words outside parentheses ("Kok (Grieks)" -> ["kok"])."""
    outside = _PARENTHESES.sub(" ", text)
    return [word_tokens(w)[0] for w in normalise(outside.replace("'s", "s")).split()
            if word_tokens(w)]


def base_text(text: str) -> str:
    """The base forms of the words outside parentheses, as one text."""
    return " ".join(label_words(text))


def weighted_tokens(text: str, qualifier_weight: float,
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
        variants = list(dict.fromkeys(tuple(label_words(label)) for label in labels))
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


class Labelled(Protocol):
    """What ``exact_labels`` needs of an occupation (``occupation_records.Occupation``)."""

    def labels(self, fields: Iterable[str]) -> tuple[str, ...]: ...


Exact = dict[str, tuple[np.ndarray, float]]


def exact_labels(occupations: Sequence[Labelled], fields: Iterable[str]) -> Exact:
    """Each label's words -> the occupations that have it and the share of each."""
    # Hidden labels (misspellings, old names) are searched but are no exact evidence, and a
    # label that several occupations share ("monteur") is split between them.
    shown = [f for f in fields if f != "hiddenLabels"]
    exact: dict[str, list[int]] = {}
    for owner, occupation in enumerate(occupations):
        for label in occupation.labels(shown):
            found = exact.setdefault(" ".join(label_words(label)), [])
            if owner not in found:
                found.append(owner)
    return {key: (np.array(found), 1.0 / len(found)) for key, found in exact.items() if key}


def exact_scores(exact: Exact, texts: Sequence[str], n_occupations: int) -> np.ndarray:
    """1 (or a share) where a text's words are exactly those of a label (texts x occ.)."""
    out = np.zeros((len(texts), n_occupations), dtype=np.float32)
    for row, text in enumerate(texts):
        found = exact.get(" ".join(label_words(text)))
        if found is not None:
            out[row, found[0]] = found[1]
    return out
