"""Fit the occupation normaliser's rescorers (``matching.occupation_rescoring``) and print
their 5-fold estimate on the development split.

    python -m benchmarks.occupation_rescorers            # estimate, fit, write the file
    python -m benchmarks.occupation_rescorers --dry-run  # estimate only

Each rescorer learns from the development split's ESCO-derived queries of its regime: titles
searched without alternative labels (``esco_altlabel``) and long texts (a description without
its occupation's name, ``esco_description_nosubj``), each of the normaliser and the searchable
fields those queries have. The folds split by a hash of the target occupation, as the
benchmark splits development and held-out queries, so no occupation's labels are both learned
and measured; every query type that searches the same fields is measured in the same folds,
so a rescorer that helps one type and hurts another shows it. Each fold's queries are ranked
by a model fitted on the other four; the rescorers written are then fitted on all of them.
"""

from __future__ import annotations

import argparse
import hashlib
from collections import defaultdict
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from matching.evaluate import Query, read_corpus, read_queries
from matching.occupation_rescoring import (
    RESCORERS,
    Rescorer,
    fit_rescorer,
    rescoring_features,
    save_rescorers,
)
from matching.occupation_weights import LONG_TEXT_WORDS, SIGNALS
from matching.occupations import OccupationNormaliser
from matching.text import normalise

from .occupations import BENCHMARK

# regime, the query types it learns from (the first names the fields), candidates re-scored
RESCORED = (("title", ("esco_altlabel",), 50),
            ("long", ("esco_description_nosubj", "esco_description"), 50))
FOLDS = 5


def _target_fold(query: Query) -> int:
    digest = hashlib.sha256(min(query.targets).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % FOLDS


def _features(model: OccupationNormaliser, queries: list[Query], regime: str, k: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` candidates' features (queries x k x features), in the order of their fused
    score, and whether each is right (queries x k)."""
    index = {o.uri: i for i, o in enumerate(model.occupations_)}
    names = [n for n in SIGNALS if model.weights_[n] or model.text_weights_[n]]
    weights = model.text_weights_ if regime == "long" else model.weights_
    features, right = [], []
    for start in range(0, len(queries), 128):
        batch = queries[start:start + 128]
        texts = [q.text for q in batch]
        signals = model.signals(texts, names)
        found = rescoring_features(model.fuse(signals, weights), signals, model.tree_,
                                   [len(normalise(t).split()) for t in texts], k)
        targets = [{index[t] for t in q.targets} for q in batch]
        features.append(found.features)
        right.append(np.array([[c in t for c in row] for row, t in
                               zip(found.columns.tolist(), targets, strict=True)]))
    return np.concatenate(features), np.concatenate(right)


def _measure(right: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per query: a right one among the first 10 by ``score``, and its reciprocal rank."""
    order = np.argsort(-score, axis=1, kind="stable")[:, :10]
    hits = np.take_along_axis(right, order, axis=1)
    ranks = np.where(hits.any(axis=1), hits.argmax(axis=1) + 1, 0)
    return hits.any(axis=1), np.where(ranks > 0, 1.0 / np.maximum(ranks, 1), 0.0)


def fit_rescorers(benchmark: Path) -> list[tuple[str, Rescorer]]:
    corpus = read_corpus(benchmark / "corpus.csv")
    queries = read_queries(benchmark / "queries_dev.csv")
    fitted = []
    for regime, query_types, k in RESCORED:
        fields = {q.index_fields for q in queries if q.query_type == query_types[0]}.pop()
        model = OccupationNormaliser(fields, rescorers=None).fit(corpus)
        in_regime = [q for q in queries if q.index_fields == fields
                     and (len(normalise(q.text).split()) > LONG_TEXT_WORDS) == (regime == "long")]
        features, right = _features(model, in_regime, regime, k)
        folds = np.array([_target_fold(q) for q in in_regime])
        learn = np.array([q.query_type in query_types for q in in_regime])
        score = np.zeros(right.shape)
        for fold in range(FOLDS):
            rescorer = fit_rescorer(features[learn & (folds != fold)],
                                    right[learn & (folds != fold)])
            test = folds == fold
            flat = features[test].reshape(-1, features.shape[2])
            score[test] = rescorer.predict_proba(flat)[:, 1].reshape(-1, k)
        fused = np.broadcast_to(-np.arange(k, dtype=np.float64), right.shape)  # its order
        by_type: dict[str, list[int]] = defaultdict(list)
        for row, q in enumerate(in_regime):
            by_type[q.query_type].append(row)
        for name, rows in sorted(by_type.items()):
            before = _measure(right[rows], fused[rows])
            after = _measure(right[rows], score[rows])
            print(f"{regime} ({fields}), {name}, {len(rows)} queries of {FOLDS}-fold: hit@10 "
                  f"{before[0].mean():.3f} -> {after[0].mean():.3f}, MRR@10 "
                  f"{before[1].mean():.3f} -> {after[1].mean():.3f}", flush=True)
        names = tuple(n for n in SIGNALS if model.weights_[n] or model.text_weights_[n])
        fitted.append((regime, Rescorer(fit_rescorer(features[learn], right[learn]), k,
                                        model.fields_, names)))
    return fitted


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=BENCHMARK)
    parser.add_argument("--dry-run", action="store_true", help="estimate, write nothing")
    args = parser.parse_args()
    with threadpool_limits(limits=1):
        fitted = fit_rescorers(args.benchmark)
    if not args.dry_run:
        save_rescorers(RESCORERS, fitted)
        print(f"written: {RESCORERS}")


if __name__ == "__main__":
    main()
