"""Learned re-scoring of a text's best occupations where no examples re-score them.

The re-ranker of ``reranking`` learns from titles people mapped, and only for normalisers that
search alternative labels (the examples stand in for them), and only for titles. The other
two cases fused the signals with fixed weights (``occupation_weights``): texts in a normaliser
without alternative labels, and long texts (a student's "what I like"). Here each of those
regimes has an ``AdditiveReranker`` (the same additive model) that re-scores the ``k`` best
occupations by the fused score, reading each candidate's signals, how far each falls behind
the text's best for that signal, its rank by each signal among the candidates, its place in
the fused ranking and in ESCO's tree.

They are fitted offline (``benchmarks/occupations.py --fit-rescorers``) on the development
split's ESCO-derived queries of their kind, never on titles people mapped, and shipped in
``data/occupation_rescorers.npz``, each with the searchable fields and the signals it was fitted
for: a normaliser uses one only when its fields and signals are exactly those (a model read on
other signals would read them wrongly), else it keeps the fused scores.

``rescoring_features(fused, signals, tree, n_words, k) -> Candidates``;
``fit_rescorer(features, right) -> AdditiveReranker``; ``save_rescorers(path, rescorers)``;
``load_rescorers(path, fields, signals) -> dict[regime, Rescorer]``; ``REGIMES``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .reranking import AdditiveReranker, Candidates, Tree, signal_features
from .sparse_text import top_k

RESCORERS = Path(__file__).parent / "data" / "occupation_rescorers.npz"
# A text of at most ``LONG_TEXT_WORDS`` words is a title, a longer one a description.
REGIMES = ("title", "long")


@dataclass(frozen=True, slots=True)
class Rescorer:
    """A fitted model, the number of candidates it re-scores, and what it was fitted for."""

    model: AdditiveReranker
    k: int
    fields: tuple[str, ...]
    signals: tuple[str, ...]


def rescoring_features(fused: np.ndarray, signals: Mapping[str, np.ndarray], tree: Tree,
                       n_words: Sequence[int] | np.ndarray, k: int) -> Candidates:
    """The ``k`` best occupations of each text by ``fused`` and their features."""
    candidates = top_k(fused, k)
    rows = np.arange(len(fused))[:, None]
    shape = candidates.shape
    top = fused[rows, candidates]
    best_child = np.zeros_like(fused)
    if len(tree.children):
        best_child = tree.parents.max(fused[:, tree.children])
    parent_score = np.where(tree.parent >= 0, fused[:, np.maximum(tree.parent, 0)], 0.0)
    group_best = tree.groups.max(fused)[:, tree.group_of]
    columns = [
        top, top[:, :1] - top, np.log1p(np.arange(shape[1]))[None, :],
        best_child[rows, candidates], parent_score[rows, candidates],
        group_best[rows, candidates],
        np.log1p(np.asarray(n_words, dtype=np.float32))[:, None],
    ]
    features = np.stack([np.broadcast_to(c, shape) for c in columns], axis=2)
    features = np.concatenate([features, signal_features(signals, candidates),
                               tree.static[candidates]], axis=2)
    return Candidates(candidates, features.astype(np.float32))


def fit_rescorer(features: np.ndarray, right: np.ndarray) -> AdditiveReranker:
    """The additive model on candidates' ``features`` (texts x k x features) and whether
    each is right (texts x k)."""
    return AdditiveReranker().fit(features.reshape(-1, features.shape[2]), right.ravel())


def rescore(rescorer: Rescorer, fused: np.ndarray, signals: Mapping[str, np.ndarray],
            tree: Tree, n_words: Sequence[int]) -> np.ndarray:
    """The learned chance of each of the ``k`` candidates (the others 0), texts x
    occupations."""
    found = rescoring_features(fused, signals, tree, n_words, rescorer.k)
    features = found.features
    chance = rescorer.model.predict_proba(features.reshape(-1, features.shape[2]))[:, 1]
    chance = np.maximum(chance, 1e-6).reshape(found.columns.shape)
    # The floor keeps every candidate listed, in the model's order; one that matched nothing
    # stays unlisted.
    matched = np.take_along_axis(fused, found.columns, axis=1) > 0
    out = np.zeros_like(fused)
    np.put_along_axis(out, found.columns, np.where(matched, chance, 0.0).astype(out.dtype),
                      axis=1)
    return out


def save_rescorers(path: Path | str, rescorers: Iterable[tuple[str, Rescorer]]) -> None:
    """Write fitted rescorers, one per (regime, fields), to an ``.npz`` file."""
    arrays: dict[str, Any] = {}  # Any: numpy's stubs take ** for its keyword arguments
    meta = []
    for number, (regime, rescorer) in enumerate(rescorers):
        model = rescorer.model
        arrays[f"grid_{number}"] = model.grid_
        arrays[f"curves_{number}"] = model.curves_
        meta.append({"regime": regime, "k": rescorer.k, "fields": list(rescorer.fields),
                     "signals": list(rescorer.signals), "intercept": model.intercept_,
                     "params": model.get_params()})
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez_compressed(path, **arrays)


def load_rescorers(path: Path | str, fields: Iterable[str], signals: Iterable[str]
                   ) -> dict[str, Rescorer]:
    """The rescorers in ``path`` fitted for exactly these ``fields`` and ``signals``, by
    regime; none when the file is missing."""
    path = Path(path)
    if not path.exists():
        return {}
    wanted_fields, wanted_signals = tuple(fields), tuple(signals)
    out: dict[str, Rescorer] = {}
    with np.load(path, allow_pickle=False) as data:
        for number, item in enumerate(json.loads(str(data["meta"]))):
            if (set(item["fields"]) != set(wanted_fields)
                    or tuple(item["signals"]) != wanted_signals):
                continue
            model = AdditiveReranker(**item["params"])
            model.grid_ = data[f"grid_{number}"]
            model.curves_ = data[f"curves_{number}"]
            model.intercept_ = float(item["intercept"])
            out[item["regime"]] = Rescorer(model, int(item["k"]), wanted_fields,
                                           wanted_signals)
    return out
