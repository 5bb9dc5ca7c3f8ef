"""Short Dutch texts to ESCO occupations.

API
---
``OccupationNormaliser(fields=..., *, weights=None, ...).fit(occupations, examples=()) -> self``
    learns from plain occupation records (``Occupation`` or mappings with ESCO or benchmark
    column names), searching only ``fields`` (e.g. "preferredLabel+altLabels+description"),
    and from ``examples``: titles people mapped to occupations (``reranking.Example``).
``.rank(texts, k=10) -> list[tuple[Match, ...]]``, ``.rank_one(text, k=10) -> tuple[Match, ...]``
    the most likely occupations per text, best first; () for a text without usable words.
``.scores(texts) -> ndarray`` (texts x occupations), ``.signals(texts) -> dict[str, ndarray]``
``Match(code, uri, label, score)``: frozen. Fitted with examples, the score of a title is the
    learned chance that people would choose that occupation (above 0.5: more likely right
    than not); otherwise, and for texts longer than any example title, it is the fused
    signal: about 1 for a label matched exactly, about 0.5 for half a title.
``default_normaliser()``: fitted once on every field of ``data/esco_occupations_nl.csv.gz``
    and the examples in ``data/occupation_examples.csv``.
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
- ``exact``: 1 when the text's words are exactly those of a label;
- ``english``, ``onet``, ``related``: what the words mean, from the wordnets (see
  ``occupation_lexicon``): the text's English words against the English ESCO labels and the
  O*NET titles linked to the occupation, and its related Dutch words against the labels.

All but ``exact`` come from one sparse product of the texts with a stacked index of every
signal's rows, each product going to its occupation's slot (``occupation_index``).

The weighted sum can then borrow from related occupations: a broader ESCO occupation gets a
share of its best narrower one (a specialised title that ESCO lacks belongs under the general
occupation), and optionally each occupation a share of the best in its ISCO group. The weights
were fitted on ESCO itself, with held-out labels as queries (``benchmarks/occupations.py
--fit-weights``), never on real job titles; that fit put the ISCO group share at 0. Long
texts (a student's "what I like") and normalisers that may not search alternative labels,
which the examples' model does not re-score, take weights of their own
(``occupation_weights``); their best 50 occupations are then re-scored by models fitted on the
development split's ESCO-derived queries of their kind, when the normaliser's fields and
signals are those they learned (``occupation_rescoring``).

With examples (see ``reranking``), the best ``candidates`` occupations of a title by the
fused signals and the examples' similarity are re-scored by a model learned from the
examples: how close the title is to titles people put under each candidate, how often people
chose it, where it sits in ESCO's tree, and the signals above.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator

from .occupation_index import build_index
from .occupation_lexicon import (
    LEXICON_SIGNALS,
    LexiconSignals,
    load_english,
    load_lexicon,
    load_onet,
)
from .occupation_records import (
    DATA,
    FIELDS,
    LABEL_FIELDS,
    LabelRows,
    Match,
    Occupation,
    OccupationLike,
    as_occupation,
    label_rows,
    load_occupations,
    parse_fields,
)
from .occupation_rescoring import RESCORERS, load_rescorers, rescore
from .occupation_weights import (
    DEFAULT_WEIGHTS,
    LONG_TEXT_WORDS,
    SIGNALS,
    regime_weights,
)
from .occupation_words import (
    base_text,
    exact_labels,
    exact_scores,
    substitutions,
    weighted_tokens,
)
from .reranking import (
    MIN_POSITIVES,
    Candidates,
    Example,
    ExampleIndex,
    candidate_features,
    load_examples,
    make_tree,
    new_reranker,
)
from .sparse_text import Blocks, CharTfidf, Postings, WordTfidf, top_k
from .text import normalise

# Callers import these from here, also those now defined in matching.occupation_records,
# matching.occupation_weights and matching.occupation_words.
__all__ = ["CONFIDENT_SCORE", "DATA", "DEFAULT_WEIGHTS", "FIELDS", "LABEL_FIELDS", "SIGNALS",
           "Match", "Occupation", "OccupationLike", "OccupationNormaliser", "as_occupation",
           "default_normaliser", "load_occupations", "parse_fields", "substitutions", "top_k"]

# Below this score the best occupation of a title is more a guess than a finding. Fitted with
# examples the score is the learned chance of being right: cross-validated on the development
# titles, at 0.35 60% of titles get an occupation and 71% of those are right (the fused
# signals at 0.5, the cut-off before there were examples: 43% and 75%).
CONFIDENT_SCORE = 0.35


class OccupationNormaliser(BaseEstimator):
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
    batch_size : texts scored at once; memory is about batch_size x 20,000 products of a
        text with a label (8 bytes each) and batch_size x occupations x 40 bytes.
    candidates : with examples, how many of a text's best occupations the learned model
        re-scores; the others score 0.
    rescorers : file of the models that re-score texts no examples re-score (long texts,
        normalisers without alternative labels; see ``occupation_rescoring``); None: none.
    """

    def __init__(self, fields: str | Iterable[str] = "+".join(FIELDS), *,
                 weights: Mapping[str, float] | None = None, substitution_weight: float = 2.0,
                 part_weight: float = 0.7, qualifier_weight: float = 0.5,
                 ngram_range: tuple[int, int] = (3, 5), char_max_df: float = 0.1,
                 batch_size: int = 32, candidates: int = 40,
                 rescorers: str | Path | None = RESCORERS):
        self.fields = fields
        self.weights = weights
        self.substitution_weight = substitution_weight
        self.part_weight = part_weight
        self.qualifier_weight = qualifier_weight
        self.ngram_range = ngram_range
        self.char_max_df = char_max_df
        self.batch_size = batch_size
        self.candidates = candidates
        self.rescorers = rescorers

    def fit(self, occupations: Iterable[OccupationLike],
            examples: Iterable[Example] = ()) -> OccupationNormaliser:
        """Index the occupations; with ``examples`` (titles people mapped to them, see
        ``reranking``) also learn which of a text's candidates people would choose.

        Examples stand in for alternative labels, so they are only used when ``altLabels`` may
        be searched; examples of occupations that are not among ``occupations`` are skipped.
        """
        self.occupations_ = tuple(as_occupation(o) for o in occupations)
        self.fields_ = parse_fields(self.fields)
        unknown = set(self.weights or {}) - {*SIGNALS, "group", "parent"}
        if unknown:
            raise ValueError(f"unknown weight(s): {', '.join(sorted(unknown))}")
        self.weights_, self.text_weights_ = regime_weights(self.fields_, self.weights or {})
        rows = label_rows(self.occupations_, self.fields_)
        self.labels_ = Blocks(np.asarray(rows.owners, dtype=np.intp), len(self.occupations_))
        self._fit_words(rows)
        self._fit_chars(rows.texts)
        self._fit_descriptions()
        self.exact_ = exact_labels(self.occupations_, self.fields_)
        self.lexicon_ = (LexiconSignals().fit(self.occupations_, self.fields_, load_lexicon(),
                                              load_english(), load_onet(),
                                              (self.words_, self.label_words_, self.labels_))
                         if set(self._signal_names()) & set(LEXICON_SIGNALS) else None)
        # Each occupation's first label is its preferred one when that field is searchable.
        self.index_ = build_index(
            n_occupations=len(self.occupations_), words=self.words_,
            substitutes=self.substitutes_, label_words=self.label_words_,
            label_owners=np.asarray(rows.owners, dtype=np.intp),
            preferred="preferredLabel" in self.fields_, chars=self.chars_,
            label_chars=self.label_chars_, occupation_chars=self.occupation_chars_,
            descriptions=self.descriptions_, description_words=self.description_words_,
            lexicon=self.lexicon_)
        self.tree_ = make_tree([o.code for o in self.occupations_],
                               [o.isco_group for o in self.occupations_],
                               [len(o.labels(self.fields_)) for o in self.occupations_])
        self._fit_examples(examples)
        self.rescorers_ = ({} if self.rescorers is None else
                           load_rescorers(self.rescorers, self.fields_, self._signal_names()))
        return self

    def _fit_words(self, rows: LabelRows) -> None:
        """Word vectors of the labels, and the words that stand in for each other in them."""
        label_tokens = [self._tokens(label) for label in rows.texts]
        self.words_ = WordTfidf().fit(label_tokens, rows.owners, len(self.occupations_))
        self.label_words_ = Postings([self.words_.vector(t) for t in label_tokens],
                                      len(self.words_.vocabulary_))
        # A text's word vector is widened by its words' substitutes at this weight.
        self.substitutes_ = self.substitution_weight * substitutions(
            (o.labels(self.fields_) for o in self.occupations_), self.words_.vocabulary_)

    def _fit_chars(self, labels: list[str]) -> None:
        # One character vocabulary for labels and whole occupations, so a text is cut once.
        documents = [" ".join(o.texts(self.fields_)) for o in self.occupations_]
        self.chars_ = CharTfidf(self.ngram_range, self.char_max_df).fit(labels + documents)
        n_grams = len(self.chars_.vocabulary_)
        self.label_chars_ = Postings([self.chars_.vector(label) for label in labels], n_grams)
        self.occupation_chars_ = Postings([self.chars_.vector(d) for d in documents], n_grams)

    def _fit_descriptions(self) -> None:
        self.descriptions_: WordTfidf | None = None
        self.description_words_: Postings | None = None
        if "description" not in self.fields_:
            return
        n = len(self.occupations_)
        descriptions = [self._tokens(o.description) for o in self.occupations_]
        self.descriptions_ = WordTfidf(sublinear=True).fit(descriptions, range(n), n)
        self.description_words_ = Postings(
            [self.descriptions_.vector(d) for d in descriptions],
            len(self.descriptions_.vocabulary_))

    def _fit_examples(self, examples: Iterable[Example]) -> None:
        self.examples_: ExampleIndex | None = None
        self.reranker_ = None
        self.n_examples_ = 0
        self.title_words_ = 0
        if "altLabels" not in self.fields_:
            return
        index = {o.uri: i for i, o in enumerate(self.occupations_)}
        index.update({o.code: i for i, o in enumerate(self.occupations_) if o.code})
        known = [(e.text, index[e.target]) for e in examples
                 if e.target in index and self._tokens(e.text)]
        if not known:
            return
        texts = [text for text, _ in known]
        owners = np.array([owner for _, owner in known], dtype=np.intp)
        examples_index = ExampleIndex(self._tokens, base_text, self.ngram_range).fit(
            texts, owners, len(self.occupations_))
        self.examples_ = examples_index
        self.n_examples_ = len(texts)
        # The model learns from titles; a longer text (a description) keeps the fused scores.
        self.title_words_ = max(len(normalise(t).split()) for t in texts)
        features, labels = [], []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start:start + self.batch_size]
            signals = self.signals(batch, self._signal_names())
            found = self._candidates(examples_index, batch, signals, self.fuse(signals),
                                     leave_out=True)
            features.append(found.features.reshape(-1, found.features.shape[2]))
            labels.append((found.columns == owners[start:start + len(batch), None]).ravel())
        y = np.concatenate(labels)
        if y.sum() < MIN_POSITIVES:
            return
        self.reranker_ = new_reranker().fit(np.vstack(features), y)

    def _signal_names(self) -> list[str]:
        return [name for name in SIGNALS if self.weights_[name] or self.text_weights_[name]]

    def _candidates(self, examples: ExampleIndex, texts: Sequence[str],
                    signals: Mapping[str, np.ndarray], fused: np.ndarray,
                    leave_out: bool = False) -> Candidates:
        return candidate_features(fused, signals, examples.similarity(texts, leave_out),
                                  examples.counts(texts, leave_out), self.tree_, self.candidates)

    def _tokens(self, text: str) -> list[tuple[str, float]]:
        return weighted_tokens(text, self.qualifier_weight, self.part_weight)

    def signals(self, texts: Sequence[str], names: Iterable[str] = SIGNALS
                ) -> dict[str, np.ndarray]:
        """The named signals for every text (rows) and occupation (columns), each in [0, 1]."""
        return self._signals(texts, [self._tokens(t) for t in texts], set(names))

    def _signals(self, texts: Sequence[str], tokens: Sequence[list[tuple[str, float]]],
                 names: set[str]) -> dict[str, np.ndarray]:
        # One sparse product for all but "exact" (see ``occupation_index``).
        out = self.index_.signals(texts, tokens)
        if "exact" in names:
            out["exact"] = exact_scores(self.exact_, texts, len(self.occupations_))
        return {name: out[name] for name in SIGNALS if name in names}

    def fuse(self, signals: Mapping[str, np.ndarray],
             weights: Mapping[str, float] | None = None) -> np.ndarray:
        """Weighted signals plus shares of the best in the ISCO group and of the best narrower
        occupation, scaled so that a text matching a label in every way scores about 1."""
        w = weights or self.weights_
        base = sum(w[name] * signals[name] for name in signals if name != "exact" and w[name])
        if isinstance(base, int):  # every weight zero
            base = np.zeros_like(next(iter(signals.values())))
        score = base.copy()
        tree = self.tree_
        if w["group"]:
            score += w["group"] * tree.groups.max(base)[:, tree.group_of]
        if w["parent"] and len(tree.children):
            score += w["parent"] * tree.parents.max(base[:, tree.children])
        if "exact" in signals:
            score += w["exact"] * signals["exact"]
        return score / max(sum(w[name] for name in SIGNALS), 1e-12)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Fused scores, texts x occupations; a text without usable words scores 0 throughout."""
        texts = list(texts)
        tokens = [self._tokens(t) for t in texts]
        parts = [self._batch_scores(texts[i:i + self.batch_size],
                                    tokens[i:i + self.batch_size])
                 for i in range(0, len(texts), self.batch_size)]
        if not parts:
            return np.zeros((0, len(self.occupations_)), dtype=np.float32)
        scores = np.vstack(parts)
        # Character n-grams find something in any text; without one real word ("", "de het")
        # that something is noise.
        scores[[not t for t in tokens]] = 0.0
        return scores

    def _batch_scores(self, texts: Sequence[str], tokens: Sequence[list[tuple[str, float]]]
                      ) -> np.ndarray:
        signals = self._signals(texts, tokens, set(self._signal_names()))
        fused = self.fuse(signals)
        n_words = [len(normalise(text).split()) for text in texts]
        long = [row for row, n in enumerate(n_words) if n > LONG_TEXT_WORDS]
        if long and self.text_weights_ is not self.weights_:
            fused[long] = self.fuse({name: signal[long] for name, signal in signals.items()},
                                    self.text_weights_)
        learned = self.reranker_ is not None and self.examples_ is not None
        title_words = self.title_words_ if learned else -1
        self._rescore(fused, signals, n_words, title_words)
        # A reranker is only ever learned from examples.
        if self.reranker_ is None or self.examples_ is None:
            return fused
        titles = [row for row, n in enumerate(n_words) if n <= title_words]
        if not titles:
            return fused
        chosen = [texts[row] for row in titles]
        if len(titles) < len(texts):  # most batches are all titles: no copies then
            signals = {name: signal[titles] for name, signal in signals.items()}
        found = self._candidates(self.examples_, chosen, signals,
                                 fused[titles] if len(titles) < len(texts) else fused)
        features = found.features
        chance = self.reranker_.predict_proba(features.reshape(-1, features.shape[2]))[:, 1]
        reranked = np.zeros((len(titles), fused.shape[1]), dtype=np.float32)
        # A floor keeps every candidate listed, in the model's order.
        np.put_along_axis(reranked, found.columns,
                          np.maximum(chance, 1e-6).reshape(found.columns.shape), axis=1)
        fused[titles] = reranked
        return fused

    def _rescore(self, fused: np.ndarray, signals: Mapping[str, np.ndarray],
                 n_words: Sequence[int], title_words: int) -> None:
        """Re-score in place the texts of a regime with a rescorer (``occupation_rescoring``),
        except titles of at most ``title_words`` words, which the examples' model scores."""
        for regime, rescorer in self.rescorers_.items():
            rows = [row for row, n in enumerate(n_words) if n > title_words
                    and (n > LONG_TEXT_WORDS) == (regime == "long")]
            if rows:
                fused[rows] = rescore(rescorer, fused[rows],
                                      {name: signal[rows] for name, signal in signals.items()},
                                      self.tree_, [n_words[row] for row in rows])

    def rank(self, texts: Sequence[str], k: int = 10) -> list[tuple[Match, ...]]:
        """The ``k`` best occupations for each text, best first; () when nothing matches."""
        scores = self.scores(texts)
        best = top_k(scores, k)
        occupations = self.occupations_
        return [tuple(Match(occupations[i].code, occupations[i].uri,
                            occupations[i].preferred_label, round(value, 4))
                      for i, value in zip(indices, values, strict=True) if value > 0)
                for indices, values in zip(best.tolist(),
                                           np.take_along_axis(scores, best, axis=1).tolist(),
                                           strict=True)]

    def rank_one(self, text: str, k: int = 10) -> tuple[Match, ...]:
        return self.rank([text], k)[0]


@cache
def default_normaliser() -> OccupationNormaliser:
    """The normaliser fitted on every field of the shipped ESCO occupations and the shipped
    examples of titles people mapped to them (cached)."""
    return OccupationNormaliser().fit(load_occupations(), load_examples())
