"""Learning from titles that people mapped to ESCO: an index of examples and a re-ranker.

ESCO's labels miss many titles that people use ("Gynaecoloog", "Hoogleraar scheepsbouwkunde"),
and when people map such a title they often choose a broad occupation ("medisch specialist",
"docent hoger onderwijs") that shares no word with it. Titles people mapped before carry that
knowledge: a title like an earlier one probably goes where the earlier one went, and some
occupations are chosen far more often than others.

``ExampleIndex(tokens).fit(texts, owners, n_occupations)`` indexes mapped titles (``owners``
are occupation indices); ``.similarity(texts)`` gives per occupation the best word and
character similarity of its examples, and ``.counts(texts)`` how often it was chosen.

``candidate_features`` describes each of a text's best candidates by the normaliser's signals
(each also by how far it falls behind the text's best and its rank by it), the example
similarities (also by rank) and the occupation's place in the ESCO tree; ``new_reranker`` is the
model (``AdditiveReranker``: a logistic regression on a spline of each feature) that learns
from those which candidate is right. The normaliser trains it on the examples themselves, each
scored as if it were new: ``leave_out=True`` hides every example with the same text, so the
model never learns that an example finds itself.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import SplineTransformer

from .sparse_text import Blocks, CharTfidf, Postings, WordTfidf, top_k
from .text import normalise

EXAMPLES = Path(__file__).parent / "data" / "occupation_examples.csv"
EXAMPLE_COLUMNS = ("text", "target_uri")
# How much the example similarities count when choosing the candidates the model re-scores.
CANDIDATE_EXAMPLE_WEIGHT = 0.25
# The model learns nothing useful from fewer right answers among the candidates.
MIN_POSITIVES = 20


@dataclass(frozen=True, slots=True)
class Example:
    """A title (``text``) that people mapped to an occupation (``target``: ESCO URI or code)."""

    text: str
    target: str
    source: str = ""


def load_examples(path: Path | str = EXAMPLES) -> tuple[Example, ...]:
    """Examples from a UTF-8 CSV with columns ``text``, ``target_uri`` and optional ``source``."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in EXAMPLE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"examples file {path} lacks column(s): {', '.join(missing)}")
        return tuple(Example(row["text"].strip(), row["target_uri"].strip(),
                             (row.get("source") or "").strip())
                     for row in reader if row["text"].strip() and row["target_uri"].strip())


def text_key(text: str) -> str:
    """Texts with the same key count as the same title (case, accents, spacing)."""
    return " ".join(normalise(text).split())


@dataclass(frozen=True, slots=True)
class ExampleSimilarity:
    """Per text and occupation (texts x occupations), from the examples people put there."""

    words: np.ndarray  # word similarity of the closest example
    chars: np.ndarray  # character similarity of the closest example
    votes: np.ndarray  # summed similarity of the text's closest examples


class ExampleIndex(BaseEstimator):
    """Mapped titles, searched by words (``tokens``) and by character n-grams of their base
    forms (``base_text``: "monteuse" and "monteur" must find the same examples)."""

    def __init__(self, tokens: Callable[[str], list[tuple[str, float]]],
                 base_text: Callable[[str], str], ngram_range: tuple[int, int] = (3, 5)):
        self.tokens = tokens
        self.base_text = base_text
        self.ngram_range = ngram_range

    def fit(self, texts: Sequence[str], owners: Sequence[int] | np.ndarray, n_occupations: int
            ) -> ExampleIndex:
        self.owners_ = np.asarray(owners, dtype=np.intp)
        self.n_occupations_ = n_occupations
        self.keys_ = np.array([text_key(t) for t in texts], dtype=object)
        docs = [self.tokens(t) for t in texts]
        self.words_ = WordTfidf().fit(docs, range(len(texts)), len(texts))
        self.word_postings_ = Postings([self.words_.vector(d) for d in docs],
                                       len(self.words_.vocabulary_))
        bases = [self.base_text(t) for t in texts]
        self.chars_ = CharTfidf(self.ngram_range).fit(bases)
        self.char_postings_ = Postings([self.chars_.vector(b) for b in bases],
                                       len(self.chars_.vocabulary_))
        self.blocks_ = Blocks(self.owners_, n_occupations)
        self.counts_ = np.bincount(self.owners_, minlength=n_occupations).astype(np.float32)
        return self

    def _hidden(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Per text, the examples with the same title."""
        return [np.flatnonzero(self.keys_ == text_key(t)) for t in texts]

    def similarity(self, texts: Sequence[str], leave_out: bool = False, votes: int = 5
                   ) -> ExampleSimilarity:
        """Per occupation (texts x occupations): the word and the character similarity of the
        text's closest example, and the summed similarity of its ``votes`` closest examples
        that people put there (several close titles agreeing count for more than one)."""
        words = self.word_postings_.scores([self.words_.vector(self.tokens(t)) for t in texts])
        chars = self.char_postings_.scores([self.chars_.vector(self.base_text(t))
                                            for t in texts])
        if leave_out:
            for row, hidden in enumerate(self._hidden(texts)):
                words[row, hidden] = 0.0
                chars[row, hidden] = 0.0
        both = words + chars
        votes = min(votes, both.shape[1])
        closest = np.argpartition(-both, votes - 1, axis=1)[:, :votes]
        summed = np.zeros((len(texts), self.n_occupations_), dtype=np.float32)
        np.add.at(summed, (np.repeat(np.arange(len(texts)), votes),
                           self.owners_[closest.ravel()]),
                  np.take_along_axis(both, closest, axis=1).ravel())
        return ExampleSimilarity(self.blocks_.max(words), self.blocks_.max(chars), summed)

    def counts(self, texts: Sequence[str], leave_out: bool = False) -> np.ndarray:
        """How many examples chose each occupation (texts x occupations)."""
        out = np.repeat(self.counts_[None, :], len(texts), axis=0)
        if leave_out:
            for row, hidden in enumerate(self._hidden(texts)):
                np.subtract.at(out[row], self.owners_[hidden], 1.0)
        return out


@dataclass(frozen=True, slots=True)
class Tree:
    """Where each occupation sits in ESCO: parent (-1 for none), ISCO group, depth, size."""

    parent: np.ndarray
    children: np.ndarray  # occupations that have a parent
    parents: Blocks  # children grouped by parent
    group_of: np.ndarray
    groups: Blocks
    static: np.ndarray  # occupations x (depth, log children, log labels)


def make_tree(codes: Sequence[str], isco_groups: Sequence[str], n_labels: Sequence[int]
              ) -> Tree:
    """The tree from ESCO codes ("7212.1.3" sits under "7212.1") and ISCO groups."""
    ids = {g: i for i, g in enumerate(sorted(set(isco_groups)))}
    group_of = np.array([ids[g] for g in isco_groups], dtype=np.intp)
    by_code = {code: i for i, code in enumerate(codes)}
    parent = np.array([by_code.get(c.rsplit(".", 1)[0], -1) if "." in c else -1 for c in codes],
                      dtype=np.intp)
    children = np.flatnonzero(parent >= 0)
    n_children = np.bincount(parent[children], minlength=len(codes))
    static = np.column_stack([
        [c.count(".") for c in codes], np.log1p(n_children), np.log1p(np.asarray(n_labels)),
    ]).astype(np.float32)
    return Tree(parent, children, Blocks(parent[children], len(codes)), group_of,
                Blocks(group_of, len(ids)), static)


def ranks(values: np.ndarray) -> np.ndarray:
    """Each entry's rank (0 = best) by ``values`` along axis 1 (among a text's candidates)."""
    order = np.argsort(-values, axis=1, kind="stable")
    out = np.empty_like(order)
    place = np.arange(values.shape[1]).reshape((1, -1) + (1,) * (values.ndim - 2))
    np.put_along_axis(out, order, np.broadcast_to(place, order.shape), axis=1)
    return out


def tied_ranks(values: np.ndarray) -> np.ndarray:
    """Each entry's rank (0 = best) along axis 1, equal values sharing the best rank among
    them: how many entries are strictly greater. A signal that is 0 for most candidates then
    ranks them alike instead of by the order they came in."""
    greater = values[:, None, ...] > values[:, :, None, ...]
    return greater.sum(axis=2, dtype=np.int32).astype(np.float32)


@dataclass(frozen=True, slots=True)
class Candidates:
    """The occupations the model re-scores for each text, and what it reads of them."""

    columns: np.ndarray  # texts x k occupation indices
    features: np.ndarray  # texts x k x features


def candidate_features(fused: np.ndarray, signals: Mapping[str, np.ndarray],
                       similar: ExampleSimilarity, counts: np.ndarray, tree: Tree, k: int
                       ) -> Candidates:
    """The ``k`` candidates of each text and their features."""
    example_words, example_chars, votes = similar.words, similar.chars, similar.votes
    examples = example_words + example_chars
    choose = fused + CANDIDATE_EXAMPLE_WEIGHT * examples
    candidates = top_k(choose, k)
    rows = np.arange(len(fused))[:, None]

    def at(matrix: np.ndarray) -> np.ndarray:
        return matrix[rows, candidates]

    best_child = np.zeros_like(fused)
    if len(tree.children):
        best_child = tree.parents.max(fused[:, tree.children])
    parent_score = np.where(tree.parent >= 0, fused[:, np.maximum(tree.parent, 0)], 0.0)
    group_best = tree.groups.max(fused)[:, tree.group_of]
    position = np.broadcast_to(np.log1p(np.arange(candidates.shape[1])), candidates.shape)
    columns = [
        at(fused), fused.max(axis=1, keepdims=True) - at(fused),
        at(choose), choose.max(axis=1, keepdims=True) - at(choose), position,
        *(at(signals[name]) for name in signals),
        at(best_child), at(parent_score), at(group_best),
        at(example_words), at(example_chars), np.log1p(np.maximum(at(counts), 0.0)), at(votes),
        examples.max(axis=1, keepdims=True) - at(examples),
    ]
    features = np.stack([np.broadcast_to(c, candidates.shape) for c in columns], axis=2)
    # Each signal's gap to the text's best by it and the candidate's rank by it: a candidate
    # the best by one signal alone (a translation, an example's word) differs from one that
    # is fair by all, which the signals' values alone do not show to an additive model.
    # The examples' evidence is ranked so as well.
    values, gaps = signal_gaps(signals, candidates)
    evidence = np.stack([at(example_words), at(example_chars), at(votes)], axis=2)
    features = np.concatenate([features, gaps,
                               np.log1p(tied_ranks(values)), np.log1p(tied_ranks(evidence)),
                               tree.static[candidates]], axis=2)
    return Candidates(candidates, features.astype(np.float32))


def signal_features(signals: Mapping[str, np.ndarray], candidates: np.ndarray) -> np.ndarray:
    """Per candidate (texts x k x 3 signals): each signal, how far it falls behind the text's
    best occupation by that signal, and the candidate's rank by it among the candidates (a
    candidate best by one signal alone differs from one good by all); read by the rescorers
    of ``occupation_rescoring`` (``candidate_features`` ranks ties alike, see ``tied_ranks``)."""
    values, gaps = signal_gaps(signals, candidates)
    return np.concatenate([values, gaps, np.log1p(ranks(values).astype(np.float32))], axis=2)


def signal_gaps(signals: Mapping[str, np.ndarray], candidates: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """Each signal at each candidate (texts x k x signals), and how far it falls behind the
    text's best occupation by that signal."""
    rows = np.arange(len(candidates))[:, None]
    values = np.stack([signal[rows, candidates] for signal in signals.values()], axis=2)
    best = np.stack([signal.max(axis=1) for signal in signals.values()], axis=1)
    return values, best[:, None, :] - values


class AdditiveReranker(BaseEstimator):
    """The chance that a candidate is right, as a logistic regression on a smooth curve of
    each feature (splines): logit = intercept + curve_1(x_1) + ... + curve_n(x_n).

    An additive model learns from a few hundred titles without learning them by heart, and
    each curve can be read on its own. ``fit`` uses scikit-learn; ``predict_proba`` reads
    each curve from a table of ``grid`` points, because scikit-learn's spline transform costs
    milliseconds per call and titles often come one at a time.

    Parameters
    ----------
    n_knots, degree : of each feature's spline (``SplineTransformer``).
    C : inverse strength of the logistic regression's L2 penalty.
    grid : points per curve in the table; beyond the range seen in training a curve is flat.
    """

    def __init__(self, n_knots: int = 4, degree: int = 2, C: float = 0.3, grid: int = 512):
        self.n_knots = n_knots
        self.degree = degree
        self.C = C
        self.grid = grid

    def fit(self, X: np.ndarray, y: np.ndarray) -> AdditiveReranker:
        if self.grid < 2:
            raise ValueError("grid must have at least 2 points")
        X = np.asarray(X, dtype=np.float64)
        splines = SplineTransformer(n_knots=self.n_knots, degree=self.degree).fit(X)
        model = LogisticRegression(C=self.C, max_iter=5000).fit(splines.transform(X), y)
        low, high = X.min(axis=0), X.max(axis=0)
        self.grid_ = np.linspace(low, high, self.grid)  # grid x features
        basis = splines.transform(self.grid_)
        per_feature = basis.shape[1] // X.shape[1]
        coef = model.coef_[0].reshape(X.shape[1], per_feature)
        self.curves_ = np.einsum("gfs,fs->gf",
                                 basis.reshape(self.grid, X.shape[1], per_feature), coef)
        self.intercept_ = float(model.intercept_[0])
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        # Linear interpolation in every curve at once; the grid is even, so a value's place
        # in it is arithmetic.
        X = np.asarray(X, dtype=np.float64)
        low, high = self.grid_[0], self.grid_[-1]
        span = np.where(high > low, high - low, 1.0)
        place = np.clip((X - low) / span, 0.0, 1.0) * (self.grid - 1)
        below = np.minimum(place.astype(np.intp), self.grid - 2)
        share = place - below
        features = np.arange(X.shape[1])
        curves = self.curves_
        values = (curves[below, features] * (1.0 - share)
                  + curves[below + 1, features] * share)
        return self.intercept_ + values.sum(axis=1)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        chance = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - chance, chance])


# The examples' model reads some 40 features of a few hundred titles; a stronger penalty than
# the default keeps its curves flatter (5-fold on the development titles, eight fold seeds:
# 0.1 to 0.3 all within a title of each other on uwv_title_nl, 0.15 best on both sources).
RERANKER_C = 0.15


def new_reranker() -> AdditiveReranker:
    return AdditiveReranker(C=RERANKER_C)
