import numpy as np
import pytest

from matching.occupation_rescoring import (
    Rescorer,
    load_rescorers,
    rescoring_features,
    save_rescorers,
)
from matching.occupations import OccupationNormaliser, load_occupations
from matching.reranking import AdditiveReranker, make_tree, ranks

FIELDS = ("preferredLabel", "description")
SIGNALS = ("words", "chars")


def _model(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(400, 3))
    return AdditiveReranker(n_knots=3).fit(x, x[:, 0] + rng.normal(size=400) > 0.5), x


@pytest.fixture(scope="module")
def esco():
    return load_occupations()


@pytest.fixture(scope="module")
def without_alt_labels(esco):
    return OccupationNormaliser("preferredLabel+description").fit(esco)


def test_a_rescorer_read_back_from_its_file_predicts_as_before(tmp_path):
    model, x = _model()
    path = tmp_path / "rescorers.npz"
    save_rescorers(path, [("title", Rescorer(model, 7, FIELDS, SIGNALS))])
    loaded = load_rescorers(path, ("description", "preferredLabel"), SIGNALS)
    assert set(loaded) == {"title"}
    assert loaded["title"].k == 7
    np.testing.assert_allclose(loaded["title"].model.predict_proba(x), model.predict_proba(x))


def test_a_rescorer_is_only_used_for_the_fields_and_signals_it_learned(tmp_path):
    model, _ = _model()
    path = tmp_path / "rescorers.npz"
    save_rescorers(path, [("long", Rescorer(model, 7, FIELDS, SIGNALS))])
    assert load_rescorers(path, ("preferredLabel", "altLabels"), SIGNALS) == {}
    assert load_rescorers(path, FIELDS, ("chars", "words")) == {}
    assert load_rescorers(tmp_path / "missing.npz", FIELDS, SIGNALS) == {}


def test_features_describe_each_candidate_by_its_signals_ranks_and_tree():
    fused = np.array([[0.1, 0.9, 0.5, 0.0]], dtype=np.float32)
    signals = {"words": np.array([[0.2, 0.8, 0.9, 0.0]], dtype=np.float32)}
    tree = make_tree(["1.1", "1.1.1", "2.1", "3.1"], ["1", "1", "2", "3"], [1, 1, 1, 1])
    found = rescoring_features(fused, signals, tree, [2], k=3)
    assert found.columns.tolist() == [[1, 2, 0]]
    # 7 of the fused ranking and the tree, 3 per signal, 3 of the occupation itself
    assert found.features.shape == (1, 3, 7 + 3 + 3)
    words_rank = found.features[0, :, 7 + 2]
    np.testing.assert_allclose(words_rank, np.log1p([1, 0, 2]))


def test_ranks_count_from_the_best_of_each_row():
    assert ranks(np.array([[0.1, 0.7, 0.3]])).tolist() == [[2, 0, 1]]


def test_the_shipped_file_rescores_titles_without_alternative_labels(without_alt_labels):
    assert set(without_alt_labels.rescorers_) == {"title"}
    scores = without_alt_labels.scores(["lasser"])
    assert 0 < np.count_nonzero(scores) <= without_alt_labels.rescorers_["title"].k
    assert scores.max() < 1.0  # a learned chance, not the fused score


def test_a_normaliser_may_go_without_rescorers(esco):
    plain = OccupationNormaliser("preferredLabel+description", rescorers=None).fit(esco)
    assert plain.rescorers_ == {}
    assert np.count_nonzero(plain.scores(["lasser"])) > 50


def test_long_texts_searching_labels_are_rescored(esco):
    labels = OccupationNormaliser("preferredLabel+altLabels").fit(esco)
    assert set(labels.rescorers_) == {"long"}
    text = ("ik wil graag metalen delen aan elkaar lassen in een werkplaats en werk met "
            "een lasapparaat")
    best = labels.rank_one(text, k=10)
    assert best and all(m.score < 1.0 for m in best)
    assert np.count_nonzero(labels.scores([text])) <= labels.rescorers_["long"].k

