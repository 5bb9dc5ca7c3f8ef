"""Occupation normaliser on the development split of the occupation benchmark, and its speed.

    python -m benchmarks.occupations                  # figures, baselines, speed, BLAS setup
    python -m benchmarks.occupations --no-baselines   # without the slow WRatio baseline
    python -m benchmarks.occupations --fit-weights    # refit DEFAULT_WEIGHTS on ESCO itself
    python -m benchmarks.occupations --fit-regimes    # refit TEXT_WEIGHTS and NO_ALT_WEIGHTS
    python -m benchmarks.occupations --folds 5        # figures cross-validated in 5 folds
    python -m benchmarks.occupations --speed          # default_normaliser(): fit, memory, speed
    python -m benchmarks.occupations --speed --baseline   # and without the lexicon signals
    python -m benchmarks.occupation_rescorers        # refit the rescorers (5-fold estimate)

The figures come from ``matching.evaluate`` (hit@1/5/10 and MRR@10 per query type, ranking on
one thread). ``--fit-weights`` does not look at the benchmark at all: it makes queries out of
the shipped ESCO occupations and prints weights for ``matching.occupations.DEFAULT_WEIGHTS``:

- an alternative label held out (with its female or plural twins) must find its occupation
  among the remaining labels and descriptions: a synonym that ESCO lacks;
- a narrower occupation removed altogether must find its broader one by its labels: a
  specialised title that ESCO lacks, which belongs under the general occupation.

The signal weights are a logistic regression with non-negative weights on the 30 best
candidates of every query; the group and parent shares are then picked on the summed MRR@10.

``--fit-regimes`` fits, the same way, the weights of the two cases that no learned model
re-scores, on the development split's ESCO-derived queries of that kind: long texts
(``esco_description_nosubj``: a description without its occupation's name, searching the
labels) and searches without alternative labels (``esco_altlabel``). It prints the 5-fold
cross-validated hit@10 and MRR@10 (weights fitted on four folds, measured on the fifth) and
the weights fitted on all folds, for ``TEXT_WEIGHTS`` and ``NO_ALT_WEIGHTS``.

``--speed`` fits ``default_normaliser()`` (seconds, peak memory) and ranks the development
titles on one thread (BLAS limited to 1 by threadpoolctl) in batches and one at a time
(queries/s, p50 and p99 per text), ``--repeat`` times (default 3) with the load average of
each run, then the medians: on a shared machine one run says little. ``--baseline`` also
fits the same normaliser without the lexicon's signals (``english``, ``onet``, ``related``
weighted 0, as before issue 23) and times it in the same runs, alternating with the default.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from matching.evaluate import format_text, run
from matching.occupations import (
    DEFAULT_WEIGHTS,
    SIGNALS,
    Occupation,
    OccupationNormaliser,
    load_occupations,
    top_k,
)
from matching.text import tokens

from .environment import blas_threads, load_average, print_environment

BENCHMARK = Path(os.environ.get("TALENTMATCH_BENCHMARK", "/work/shared/data/benchmark"))
FITTED = [name for name in SIGNALS if name != "exact"]
Task = tuple[list[Occupation], list[str], list[int]]


def held_out_labels(occupations: list[Occupation], n: int, rng: random.Random) -> Task:
    corpus = list(occupations)
    chosen = rng.sample([i for i, o in enumerate(corpus) if o.alt_labels], n)
    texts, targets = [], []
    for index in chosen:
        occupation = corpus[index]
        label = rng.choice(occupation.alt_labels)
        same = frozenset(tokens(label))
        kept = tuple(a for a in occupation.alt_labels if frozenset(tokens(a)) != same)
        kept_hidden = tuple(a for a in occupation.hidden_labels if frozenset(tokens(a)) != same)
        corpus[index] = dataclasses.replace(occupation, alt_labels=kept,
                                            hidden_labels=kept_hidden)
        texts.append(label)
        targets.append(index)
    return corpus, texts, targets


def removed_narrower(occupations: list[Occupation], n: int, rng: random.Random) -> Task:
    codes = {o.code for o in occupations}
    parents = {o.code.rsplit(".", 1)[0] for o in occupations}
    leaves = [i for i, o in enumerate(occupations)
              if o.code.rsplit(".", 1)[0] in codes and o.code not in parents]
    removed = set(rng.sample(leaves, min(n, len(leaves))))
    corpus = [o for i, o in enumerate(occupations) if i not in removed]
    index = {o.code: i for i, o in enumerate(corpus)}
    texts, targets = [], []
    for i in sorted(removed):
        occupation = occupations[i]
        texts.append(rng.choice((occupation.preferred_label, *occupation.alt_labels)))
        targets.append(index[occupation.code.rsplit(".", 1)[0]])
    return corpus, texts, targets


def mrr_at_10(scores: np.ndarray, targets: list[int]) -> float:
    best = top_k(scores, 10)
    hits = best == np.asarray(targets)[:, None]
    ranks = np.where(hits.any(axis=1), hits.argmax(axis=1) + 1, 0)
    return float(np.mean(np.where(ranks > 0, 1.0 / np.maximum(ranks, 1), 0.0)))


def candidates(signals: dict[str, np.ndarray], targets: list[int], top: int = 30):
    """Features and labels of each query's ``top`` candidates by the unweighted signal sum,
    the target always among them."""
    total = np.sum([signals[name] for name in FITTED], axis=0)
    features, labels = [], []
    for row, best in enumerate(top_k(total, top)):
        columns = list(best)
        if targets[row] not in columns:
            columns[-1] = targets[row]
        for column in columns:
            features.append([signals[name][row, column] for name in FITTED])
            labels.append(column == targets[row])
    return np.asarray(features, dtype=np.float64), np.asarray(labels, dtype=np.float64)


def nonnegative_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    design = np.hstack([x, np.ones((len(x), 1))])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1.0 / (1.0 + np.exp(-(design @ w)))
        value = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        grad = design.T @ (p - y) / len(y)
        grad[:-1] += 2 * l2 * w[:-1]
        return float(value) + l2 * float(w[:-1] @ w[:-1]), grad

    bounds = [(0.0, None)] * x.shape[1] + [(None, None)]
    result = minimize(loss, np.zeros(design.shape[1]), jac=True, bounds=bounds,
                      method="L-BFGS-B")
    return result.x[:-1]


def fit_weights(n_labels: int = 2000, n_narrower: int = 800, seed: int = 0) -> dict[str, float]:
    rng = random.Random(seed)
    occupations = list(load_occupations())
    tasks = [held_out_labels(occupations, n_labels, rng),
             removed_narrower(occupations, n_narrower, rng)]
    fitted = []
    for corpus, texts, targets in tasks:
        model = OccupationNormaliser().fit(corpus)
        batches = [model.signals(texts[i:i + 500]) for i in range(0, len(texts), 500)]
        signals = {name: np.vstack([b[name] for b in batches]) for name in SIGNALS}
        fitted.append((model, signals, targets))
        print(f"task of {len(texts)} queries ready")
    x, y = zip(*(candidates(signals, targets) for _, signals, targets in fitted), strict=True)
    coefficients = nonnegative_logistic(np.vstack(x), np.concatenate(y))
    weights: dict[str, float] = dict.fromkeys(SIGNALS, 0.0)
    weights.update((name, round(float(c / coefficients.max()), 2))
                   for name, c in zip(FITTED, coefficients, strict=True))
    weights["exact"] = 1.0

    def objective(candidate: dict[str, float]) -> float:
        total = 0.0
        for model, signals, targets in fitted:
            model.weights_ = candidate
            total += mrr_at_10(model.fuse(signals), targets)
        return total

    best = (-1.0, weights)
    for group in (0.0, 0.05, 0.1, 0.2, 0.3):
        for parent in (0.0, 0.05, 0.1, 0.2, 0.3):
            candidate = {**weights, "group": group, "parent": parent}
            value = objective(candidate)
            if value > best[0]:
                best = (value, candidate)
    print(f"summed MRR@10 of the two tasks: {best[0]:.3f}")
    return best[1]


def _hits(scores: np.ndarray, targets: list[frozenset[int]]) -> tuple[float, float]:
    """hit@10 and MRR@10 where a query may have several right occupations."""
    ranks = [next((r + 1 for r, c in enumerate(row) if c in t), 0)
             for row, t in zip(top_k(scores, 10).tolist(), targets, strict=True)]
    return (float(np.mean([r > 0 for r in ranks])),
            float(np.mean([1.0 / r if r else 0.0 for r in ranks])))


def _regime_candidates(signals: dict[str, np.ndarray], targets: list[frozenset[int]],
                       rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    chosen = {name: signals[name][rows] for name in SIGNALS}
    return candidates(chosen, [min(targets[r]) for r in rows])


def fit_regime(query_type: str, benchmark: Path) -> dict[str, float]:
    """Weights for the queries of ``query_type`` (see the module docstring), with their
    5-fold estimate printed; the parent share is picked by cross-validated MRR@10."""
    from matching.evaluate import fold_of, read_corpus, read_queries

    corpus = read_corpus(benchmark / "corpus.csv")
    queries = [q for q in read_queries(benchmark / "queries_dev.csv")
               if q.query_type == query_type]
    fields = {q.index_fields for q in queries}
    if len(fields) != 1:
        raise SystemExit(f"{query_type}: queries search {len(fields)} field sets, not one")
    model = OccupationNormaliser(fields.pop()).fit(corpus)
    index = {o.uri: i for i, o in enumerate(corpus)}
    targets = [frozenset(index[t] for t in q.targets) for q in queries]
    texts = [q.text for q in queries]
    batches = [model.signals(texts[i:i + 256]) for i in range(0, len(texts), 256)]
    signals = {name: np.vstack([b[name] for b in batches]) for name in SIGNALS}
    folds = np.array([fold_of(t, 5) for t in texts])

    def weights_on(rows: np.ndarray, parent: float) -> dict[str, float]:
        found = nonnegative_logistic(*_regime_candidates(signals, targets, rows))
        out = {name: round(float(c / found.max()), 2)
               for name, c in zip(FITTED, found, strict=True)}
        return {**out, "group": 0.0, "parent": parent}

    def measured(weights: dict[str, float], rows: np.ndarray) -> tuple[float, float]:
        model.weights_ = {**DEFAULT_WEIGHTS, **weights}
        return _hits(model.fuse({n: s[rows] for n, s in signals.items()}),
                     [targets[r] for r in rows])

    best = (-1.0, 0.0)
    for parent in (0.0, 0.1, 0.3):
        per_fold = [(int((folds == f).sum()), measured(weights_on(np.flatnonzero(folds != f),
                                                                  parent),
                                                       np.flatnonzero(folds == f)))
                    for f in range(5)]
        hit = sum(n * m[0] for n, m in per_fold) / len(queries)
        mrr = sum(n * m[1] for n, m in per_fold) / len(queries)
        print(f"{query_type}, parent share {parent}: 5-fold hit@10 {hit:.3f} MRR@10 {mrr:.3f}")
        best = max(best, (mrr, parent))
    return weights_on(np.arange(len(queries)), best[1])


@dataclasses.dataclass(frozen=True)
class Speed:
    batched: float  # queries/s ranking all titles in batches
    one: float  # queries/s ranking one title at a time
    p50: float  # ms per title one at a time
    p99: float


def time_ranking(normaliser: OccupationNormaliser, titles: list[str], singles: int = 1000
                 ) -> Speed:
    """Rank ``titles`` in batches, then the first ``singles`` one at a time (one thread)."""
    normaliser.rank(titles[:64])
    started = time.perf_counter()
    normaliser.rank(titles)
    batched = len(titles) / (time.perf_counter() - started)
    times = []
    for title in titles[:singles]:
        started = time.perf_counter()
        normaliser.rank_one(title)
        times.append(time.perf_counter() - started)
    p50, p99 = np.percentile(times, [50, 99]) * 1000
    return Speed(batched, len(times) / sum(times), float(p50), float(p99))


def speed(benchmark: Path, repeat: int = 3, baseline: bool = False) -> None:
    """default_normaliser(): fit time and peak memory, then ranking speed on one thread,
    ``repeat`` times, with the normaliser without lexicon signals when ``baseline``."""
    import csv
    import resource

    from matching.occupation_lexicon import LEXICON_SIGNALS
    from matching.occupations import default_normaliser
    from matching.reranking import load_examples

    started = time.perf_counter()
    normaliser = default_normaliser()
    fitted = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"default_normaliser(): fitted in {fitted:.1f} s, peak memory {peak:.0f} MB")
    models = {"default": normaliser}
    if baseline:
        models["without lexicon"] = OccupationNormaliser(
            weights=dict.fromkeys(LEXICON_SIGNALS, 0.0)).fit(load_occupations(),
                                                             load_examples())
    with (benchmark / "queries_dev.csv").open(encoding="utf-8") as handle:
        titles = list(dict.fromkeys(row["query_text"] for row in csv.DictReader(handle)
                                    if row["query_type"].endswith("_title_nl")
                                    or row["query_type"] == "esco_altlabel"))[:2000]
    found: dict[str, list[Speed]] = {name: [] for name in models}
    with threadpool_limits(limits=1):
        print(f"ranking on 1 thread: BLAS {blas_threads()}, OPENBLAS_CORETYPE "
              f"{os.environ.get('OPENBLAS_CORETYPE', '(not set)')}; {len(titles)} titles in "
              f"batches of {normaliser.batch_size}, the first 1000 also one at a time")
        for run in range(1, repeat + 1):
            for name, model in models.items():
                measured = time_ranking(model, titles)
                found[name].append(measured)
                print(f"run {run}, {name}: {measured.batched:.0f} queries/s in batches; one at "
                      f"a time {measured.one:.0f} queries/s, p50 {measured.p50:.2f} ms, "
                      f"p99 {measured.p99:.2f} ms ({load_average()})")
    for name, runs in found.items():
        print(f"median of {len(runs)}, {name}: "
              f"{np.median([r.batched for r in runs]):.0f} queries/s in batches; one at a time "
              f"{np.median([r.one for r in runs]):.0f} queries/s, "
              f"p50 {np.median([r.p50 for r in runs]):.2f} ms, "
              f"p99 {np.median([r.p99 for r in runs]):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=BENCHMARK,
                        help="folder with corpus.csv and queries_dev.csv")
    parser.add_argument("--no-baselines", dest="baselines", action="store_false")
    parser.add_argument("--fit-weights", action="store_true",
                        help="fit the fusion weights on ESCO and print them")
    parser.add_argument("--fit-regimes", action="store_true",
                        help="fit TEXT_WEIGHTS and NO_ALT_WEIGHTS on the development split")
    parser.add_argument("--speed", action="store_true",
                        help="fit time, memory and speed of default_normaliser()")
    parser.add_argument("--repeat", type=int, default=3,
                        help="with --speed: runs to take the median of (default 3)")
    parser.add_argument("--baseline", action="store_true",
                        help="with --speed: also time the normaliser without lexicon signals")
    parser.add_argument("--folds", type=int, default=0,
                        help="cross-validate the figures in N folds (matching.evaluate)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.folds == 1 or args.folds < 0:
        parser.error("--folds must be 0 (no folds) or at least 2")
    print_environment()
    if args.speed:
        speed(args.benchmark, args.repeat, args.baseline)
        return
    if args.fit_regimes:
        with threadpool_limits(limits=1):
            for name, query_type in (("TEXT_WEIGHTS", "esco_description_nosubj"),
                                     ("NO_ALT_WEIGHTS", "esco_altlabel")):
                print(name, "=", fit_regime(query_type, args.benchmark))
        return
    if args.fit_weights:
        with threadpool_limits(limits=1):
            print("fitted weights:", fit_weights())
        print("current DEFAULT_WEIGHTS:", dict(DEFAULT_WEIGHTS))
        return
    started = time.perf_counter()
    result = run(args.benchmark / "corpus.csv", args.benchmark / "queries_dev.csv",
                 baselines=args.baselines, folds=args.folds)
    print(format_text(result))
    print(f"whole evaluation: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
