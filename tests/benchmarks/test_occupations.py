"""The occupation benchmark's speed report: what it measures and prints."""

import csv

import pytest

import benchmarks.occupations as bench
from matching.occupations import Occupation, OccupationNormaliser

SMALL = (
    Occupation("u:lasser", "7212.1", "7212", "lasser", ("booglasser",),
               "Lassers verbinden metalen delen."),
    Occupation("u:kok", "5120.1", "5120", "kok", ("kokkin",), "Koks bereiden maaltijden."),
)
TITLES = ["Lasser", "Kok", "Booglasser", "Priester", "Chef-kok"]


@pytest.fixture()
def benchmark_folder(tmp_path):
    with (tmp_path / "queries_dev.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["query_id", "query_text", "target_id", "query_type", "index_fields"])
        for i, title in enumerate(TITLES):
            writer.writerow([i, title, "u:kok", "uwv_title_nl", "preferredLabel"])
        writer.writerow([99, "een beschrijving", "u:kok", "esco_description", "preferredLabel"])
    return tmp_path


def test_ranking_is_timed_in_batches_and_one_text_at_a_time():
    normaliser = OccupationNormaliser("preferredLabel+altLabels").fit(SMALL)
    found = bench.time_ranking(normaliser, TITLES, singles=3)
    assert found.batched > 0 and found.one > 0
    assert 0 < found.p50 <= found.p99


def test_the_speed_report_names_its_threads_and_takes_medians_of_runs_with_a_baseline(
        benchmark_folder, monkeypatch, capsys):
    small = OccupationNormaliser("preferredLabel+altLabels").fit(SMALL)
    monkeypatch.setattr("matching.occupations.default_normaliser", lambda: small)
    monkeypatch.setattr(bench, "load_occupations", lambda: SMALL)
    monkeypatch.setattr("matching.reranking.load_examples", lambda: ())
    bench.speed(benchmark_folder, repeat=2, baseline=True)
    out = capsys.readouterr().out
    assert "BLAS" in out and "OPENBLAS_CORETYPE" in out
    assert f"{len(TITLES)} titles in batches" in out  # the description is not a title
    for name in ("default", "without lexicon"):
        assert f"run 1, {name}: " in out and f"run 2, {name}: " in out
        assert f"median of 2, {name}: " in out
    assert out.count("load average") == 4
    assert "p99" in out
