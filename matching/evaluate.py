"""Measure the occupation normaliser on a benchmark: hit@1/5/10, MRR@10 and speed.

    python -m matching.evaluate --corpus CORPUS.csv --queries QUERIES.csv [--k 10] [--json]

The corpus has one occupation per row (``target_id``, ``preferredLabel``, ``altLabels`` split
by " | ", ``description``, ``iscoGroup``, ``code``); the queries one row per (query, relevant
target) with ``query_id``, ``query_text``, ``target_id``, ``query_type`` and ``index_fields``
(the corpus fields that query may be matched against, e.g. "preferredLabel+description").
A normaliser is fitted per distinct ``index_fields``, so no query meets the text it was
copied from. Two baselines run on the same queries: character 3-5-gram TF-IDF over the allowed
fields, and rapidfuzz WRatio over the allowed labels.

Speed is measured on one thread (BLAS and OpenMP pools limited to 1), ranking all queries in
batches, and again one text at a time; fitting is not counted.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from threadpoolctl import threadpool_limits

from .baselines import CharTfidfBaseline, WRatioBaseline
from .occupations import Match, Occupation, OccupationNormaliser, as_occupation, parse_fields
from .reranking import EXAMPLES, Example, load_examples, text_key

CORPUS_COLUMNS = ("target_id", "preferredLabel")
QUERY_COLUMNS = ("query_id", "query_text", "target_id", "query_type", "index_fields")
CUTOFFS = (1, 5, 10)


class InputError(Exception):
    """A problem with an input file, reported without a traceback."""


@dataclass(frozen=True, slots=True)
class Query:
    query_id: str
    text: str
    query_type: str
    index_fields: str
    targets: frozenset[str]


def _read_csv(path: Path, required: Sequence[str], what: str) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{what} file {path} lacks column(s): {', '.join(missing)}")
            return list(reader)
    except FileNotFoundError:
        raise InputError(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{what} file is a directory: {path}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"{what} file {path} is not a UTF-8 CSV: {error}") from None


def read_corpus(path: Path | str) -> list[Occupation]:
    rows = _read_csv(Path(path), CORPUS_COLUMNS, "corpus")
    return [as_occupation(row) for row in rows]


def read_queries(path: Path | str) -> list[Query]:
    """Queries grouped by ``query_id``: one text, all its relevant targets."""
    rows = _read_csv(Path(path), QUERY_COLUMNS, "queries")
    grouped: dict[str, dict] = {}
    for line, row in enumerate(rows, start=2):
        try:
            parse_fields(row["index_fields"])
        except ValueError as error:
            raise InputError(f"queries file {path}, line {line}: {error}") from None
        query = grouped.setdefault(row["query_id"], {
            "text": row["query_text"], "query_type": row["query_type"],
            "index_fields": row["index_fields"], "targets": set()})
        query["targets"].add(row["target_id"])
    return [Query(qid, q["text"], q["query_type"], q["index_fields"], frozenset(q["targets"]))
            for qid, q in grouped.items()]


def reciprocal_rank(ranked: Sequence[str], targets: frozenset[str], k: int = 10) -> float:
    for position, uri in enumerate(ranked[:k], start=1):
        if uri in targets:
            return 1.0 / position
    return 0.0


def metrics(rankings: Sequence[Sequence[str]], queries: Sequence[Query],
            k: int = 10) -> dict[str, float]:
    """hit@1, hit@5, hit@k and MRR@k over queries, with the number of queries ``n``."""
    n = len(queries)
    out: dict[str, float] = {"n": n}
    cutoffs = sorted({*(c for c in CUTOFFS if c <= k), k})
    for cutoff in cutoffs:
        hits = sum(bool(set(r[:cutoff]) & q.targets) for r, q in zip(rankings, queries,
                                                                      strict=True))
        out[f"hit@{cutoff}"] = round(hits / n, 4) if n else 0.0
    mrr = sum(reciprocal_rank(r, q.targets, k) for r, q in zip(rankings, queries, strict=True))
    out[f"mrr@{k}"] = round(mrr / n, 4) if n else 0.0
    return out


def report(rankings: Sequence[Sequence[str]], queries: Sequence[Query], k: int) -> dict:
    by_type: dict[str, list[int]] = defaultdict(list)
    for index, query in enumerate(queries):
        by_type[query.query_type].append(index)
    return {
        "overall": metrics(rankings, queries, k),
        "by_query_type": {
            name: metrics([rankings[i] for i in idx], [queries[i] for i in idx], k)
            for name, idx in sorted(by_type.items())
        },
    }


class Ranker(Protocol):
    """What the normaliser and the baselines share: ranking texts."""

    def rank(self, texts: Sequence[str], k: int = 10) -> list[tuple[Match, ...]]: ...


class OneByOneRanker(Ranker, Protocol):
    def rank_one(self, text: str, k: int = 10) -> tuple[Match, ...]: ...


@dataclass(frozen=True, slots=True)
class Ranking:
    """Per query the ranked URIs, the seconds spent ranking (fitting excluded), and the
    fitted model per ``index_fields``."""

    rankings: list[list[str]]
    seconds: float
    models: dict[str, Ranker]


@dataclass(frozen=True, slots=True)
class Timing:
    texts: int
    seconds: float


def rank_all(fit: Callable[[str], Ranker], queries: Sequence[Query], k: int) -> Ranking:
    """Rank every query with a model fitted (``fit(index_fields)``) on its allowed fields."""
    rankings: list[list[str]] = [[] for _ in queries]
    by_fields: dict[str, list[int]] = defaultdict(list)
    for index, query in enumerate(queries):
        by_fields[query.index_fields].append(index)
    seconds = 0.0
    models: dict[str, Ranker] = {}
    for fields, indices in by_fields.items():
        model = models[fields] = fit(fields)
        start = time.perf_counter()
        results: list[tuple[Match, ...]] = model.rank([queries[i].text for i in indices], k)
        seconds += time.perf_counter() - start
        for index, matches in zip(indices, results, strict=True):
            rankings[index] = [m.uri for m in matches]
    return Ranking(rankings, seconds, models)


def one_at_a_time(models: dict[str, OneByOneRanker], queries: Sequence[Query], k: int,
                  every: int = 10) -> Timing:
    """Texts ranked one by one (as in the app), every 10th query, and the seconds it took."""
    chosen = queries[::every]
    start = time.perf_counter()
    for query in chosen:
        models[query.index_fields].rank_one(query.text, k)
    return Timing(len(chosen), time.perf_counter() - start)


def _label_fields(fields: str) -> str:
    labels = [f for f in parse_fields(fields) if f != "description"]
    return "+".join(labels) or "preferredLabel"


def fold_of(text: str, folds: int) -> int:
    """A query's fold, from its text alone, so a title and its copies share one fold."""
    digest = hashlib.sha256(text_key(text).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % folds


def _read_examples(path: Path | None) -> tuple[Example, ...]:
    if path is None:
        return ()
    try:
        return load_examples(path)
    except FileNotFoundError:
        raise InputError(f"examples file not found: {path}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"examples file {path} is not a UTF-8 CSV: {error}") from None
    except ValueError as error:  # names the file and the missing columns
        raise InputError(str(error)) from None


@dataclass(frozen=True, slots=True)
class FoldedRanking:
    """The normaliser's rankings of every query, and its speed in batches and one by one."""

    rankings: list[list[str]]
    seconds: float
    one: Timing


def run(corpus_path: Path, queries_path: Path, k: int = 10, baselines: bool = True,
        examples_path: Path | None = EXAMPLES, folds: int = 0) -> dict:
    """Rank the queries and report. The normaliser learns from the examples except those
    whose title is one of the queries; with ``folds`` >= 2 the queries are split in folds and
    each fold is ranked by a normaliser that may also learn from the other folds' titles."""
    corpus = read_corpus(corpus_path)
    if not corpus:
        raise InputError(f"corpus file {corpus_path} has no occupations")
    queries = read_queries(queries_path)
    if not queries:
        raise InputError(f"queries file {queries_path} has no queries")
    examples = _read_examples(examples_path)
    asked = {text_key(q.text) for q in queries}
    unseen = [e for e in examples if text_key(e.text) not in asked]
    found = _rank_in_folds(corpus, queries, examples, k, folds)
    result = report(found.rankings, queries, k)
    result["queries_per_second"] = (round(len(queries) / found.seconds, 1) if found.seconds
                                    else 0.0)
    result["queries_per_second_one_at_a_time"] = (round(found.one.texts / found.one.seconds, 1)
                                                  if found.one.seconds else 0.0)
    result["threads"] = 1
    result["k"] = k
    result["examples"] = {"given": len(examples),
                          "titles_also_queries": len(examples) - len(unseen),
                          "folds": folds if folds >= 2 else 0}
    if baselines:
        result["baselines"] = _baselines(corpus, queries, k)
    return result


def _rank_in_folds(corpus: Sequence[Occupation], queries: Sequence[Query],
                   examples: Sequence[Example], k: int, folds: int) -> FoldedRanking:
    """Each fold of the queries (one fold without ``folds``) ranked by a normaliser that
    learned every example whose title is not a query of that fold, on one thread."""
    asked = {text_key(q.text) for q in queries}
    example_keys = [text_key(e.text) for e in examples]
    unseen = [e for e, key in zip(examples, example_keys, strict=True) if key not in asked]
    parts = [list(range(len(queries)))]
    if folds >= 2:
        parts = [[i for i, q in enumerate(queries) if fold_of(q.text, folds) == f]
                 for f in range(folds)]
    rankings: list[list[str]] = [[] for _ in queries]
    seconds, one_count, one_seconds = 0.0, 0, 0.0
    with threadpool_limits(limits=1):
        for part in (p for p in parts if p):
            learnable = asked - {text_key(queries[i].text) for i in part}
            learn = [*unseen, *(e for e, key in zip(examples, example_keys, strict=True)
                                if key in learnable)]
            chosen = [queries[i] for i in part]
            normalisers: dict[str, OneByOneRanker] = {}

            def fit(fields: str, learn: list[Example] = learn,
                    normalisers: dict[str, OneByOneRanker] = normalisers) -> Ranker:
                normalisers[fields] = OccupationNormaliser(fields).fit(corpus, learn)
                return normalisers[fields]

            ranking = rank_all(fit, chosen, k)
            seconds += ranking.seconds
            timing = one_at_a_time(normalisers, chosen, k)
            one_count, one_seconds = one_count + timing.texts, one_seconds + timing.seconds
            for i, found in zip(part, ranking.rankings, strict=True):
                rankings[i] = found
    return FoldedRanking(rankings, seconds, Timing(one_count, one_seconds))


def _baselines(corpus: Sequence[Occupation], queries: Sequence[Query], k: int) -> dict:
    return {
        "char_tfidf": report(rank_all(lambda f: CharTfidfBaseline(f).fit(corpus),
                                      queries, k).rankings, queries, k),
        "wratio": report(rank_all(
            lambda f: WRatioBaseline(_label_fields(f), workers=-1).fit(corpus),
            queries, k).rankings, queries, k),
    }


def format_text(result: dict) -> str:
    k = result["k"]
    columns = [c for c in ("hit@1", "hit@5", f"hit@{k}", f"mrr@{k}") if c in
               result["overall"]]
    models = {"normaliser": result, **result.get("baselines", {})}
    lines = []
    header = f"{'query type':<26}{'model':<12}{'n':>6}" + "".join(f"{c:>9}" for c in columns)
    lines.append(header)
    lines.append("-" * len(header))
    names = [*result["by_query_type"], "overall"]
    for name in names:
        for model_name, model in models.items():
            row = model["overall"] if name == "overall" else model["by_query_type"][name]
            lines.append(f"{name:<26}{model_name:<12}{row['n']:>6}"
                         + "".join(f"{row[c]:>9.3f}" for c in columns))
        lines.append("")
    examples = result["examples"]
    lines.append(f"examples: {examples['given']} given, {examples['titles_also_queries']} of them "
                 "are queries here and were "
                 + (f"learned only in the other {examples['folds'] - 1} of "
                    f"{examples['folds']} folds" if examples["folds"] else "left out"))
    lines.append(f"normaliser speed on {result['threads']} thread: "
                 f"{result['queries_per_second']:.0f} queries/s ranked in batches, "
                 f"{result['queries_per_second_one_at_a_time']:.0f} queries/s one at a time "
                 "(fitting not counted)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matching.evaluate",
        description="Rank a corpus of occupations for benchmark queries and report "
                    "hit@1/5/k, MRR@k per query type, against two baselines.")
    parser.add_argument("--corpus", required=True, type=Path, help="corpus CSV")
    parser.add_argument("--queries", required=True, type=Path, help="queries CSV")
    parser.add_argument("--k", type=int, default=10, help="ranks to consider (default 10)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-baselines", dest="baselines", action="store_false",
                        help="skip the two baselines (WRatio takes a few minutes)")
    parser.add_argument("--examples", type=Path, default=EXAMPLES,
                        help="titles people mapped to occupations, to learn from (default: "
                             "the shipped file); a title that is also a query is left out")
    parser.add_argument("--no-examples", dest="examples", action="store_const", const=None,
                        help="learn from ESCO alone")
    parser.add_argument("--folds", type=int, default=0,
                        help="cross-validate: rank each of N folds of the queries with a "
                             "normaliser that also learned the other folds' titles")
    args = parser.parse_args(argv)
    if args.k < 1:
        parser.error("--k must be at least 1")
    if args.folds == 1 or args.folds < 0:
        parser.error("--folds must be 0 (no folds) or at least 2")
    try:
        result = run(args.corpus, args.queries, args.k, args.baselines, args.examples,
                     args.folds)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result) if args.json else format_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
