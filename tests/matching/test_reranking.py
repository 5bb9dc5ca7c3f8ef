import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import SplineTransformer

from matching.occupations import (
    CONFIDENT_SCORE,
    Occupation,
    OccupationNormaliser,
    default_normaliser,
    load_occupations,
)
from matching.reranking import (
    MIN_POSITIVES,
    AdditiveReranker,
    Example,
    ExampleIndex,
    load_examples,
    text_key,
    tied_ranks,
)

MEDISCH_SPECIALIST = "http://data.europa.eu/esco/occupation/9b889f07-c39c-464d-b9d9-b2daa650f9ac"
DOCENT_HOGER_ONDERWIJS = (
    "http://data.europa.eu/esco/occupation/684fd8d5-9b40-4b02-a680-438f0082d923")


def _tokens(text):
    return [(word, 1.0) for word in text.lower().split()]


def _index(texts, owners, n=4):
    return ExampleIndex(_tokens, str.lower).fit(texts, owners, n)


@pytest.fixture(scope="module")
def esco():
    return load_occupations()


@pytest.fixture(scope="module")
def esco_alone(esco):
    return OccupationNormaliser().fit(esco)


@pytest.fixture(scope="module")
def without_dermatoloog(esco):
    """Fitted on the shipped examples except "Dermatoloog", a title ESCO does not have."""
    examples = [e for e in load_examples() if text_key(e.text) != "dermatoloog"]
    return OccupationNormaliser().fit(esco, examples)


def test_shipped_examples_name_occupations_of_the_shipped_esco(esco):
    examples = load_examples()
    uris = {o.uri for o in esco}
    assert len(examples) > 800
    assert all(e.target in uris for e in examples)
    assert {e.source for e in examples} == {"uwv", "vdab"}


def test_an_example_index_finds_the_occupation_of_the_closest_title():
    index = _index(["hoogleraar wiskunde", "dermatoloog", "kinderarts"], [1, 2, 2])
    found = index.similarity(["hoogleraar natuurkunde", "cardioloog"])
    words, chars, votes = found.words, found.chars, found.votes
    assert words.shape == chars.shape == (2, 4)
    assert words[0].argmax() == 1 and 0 < words[0, 1] < 1
    assert chars[1].argmax() == 2  # "cardioloog" shares its ending with "dermatoloog"
    assert words[:, [0, 3]].max() == 0  # occupations without examples
    assert votes[1].argmax() == 2 and votes[1, 2] >= chars[1, 2]


def test_leaving_out_hides_every_example_with_the_same_title():
    index = _index(["Dermatoloog", "dermatoloog ", "kinderarts"], [2, 3, 2])
    found = index.similarity(["DERMATOLOOG"], leave_out=True)
    words, chars, votes = found.words, found.chars, found.votes
    assert words[0, 3] == chars[0, 3] == votes[0, 3] == 0
    assert index.counts(["dermatoloog"], leave_out=True)[0].tolist() == [0, 0, 1, 0]
    assert index.counts(["dermatoloog"])[0].tolist() == [0, 0, 2, 1]


def test_the_additive_reranker_predicts_what_its_scikit_learn_model_predicts():
    rng = np.random.default_rng(0)
    X = rng.random((2000, 4)) * [1, 2, 5, 10]
    y = X[:, 0] + np.sin(3 * X[:, 1]) + rng.normal(0, 0.3, len(X)) > 1
    model = AdditiveReranker().fit(X, y)
    splines = SplineTransformer(n_knots=4, degree=2).fit(X)
    reference = LogisticRegression(C=0.3, max_iter=5000).fit(splines.transform(X), y)
    expected = reference.predict_proba(splines.transform(X))[:, 1]
    assert np.abs(model.predict_proba(X)[:, 1] - expected).max() < 1e-3
    # Beyond what it saw in training each curve stays flat.
    far = X[:3] + [100, 0, 0, 0]
    edge = X[:3].copy()
    edge[:, 0] = X[:, 0].max()
    assert np.allclose(model.predict_proba(far), model.predict_proba(edge))


def test_examples_teach_a_title_esco_lacks(esco_alone, without_dermatoloog):
    """Gynaecoloog, Radioloog, ... were mapped to "medisch specialist"; Dermatoloog was not
    among the examples, yet lands there too, where ESCO alone ranks it lower."""
    found = without_dermatoloog.rank_one("Dermatoloog", 3)
    assert found[0].uri == MEDISCH_SPECIALIST
    assert found[0].score > 0.5
    assert esco_alone.rank_one("Dermatoloog", 3)[0].score < found[0].score


def test_a_new_professorship_goes_where_people_put_professors(esco_alone,
                                                              without_dermatoloog):
    """People put professors under "docent hoger onderwijs"; ESCO's words alone prefer the
    subject ("docent bedrijfskunde hoger onderwijs")."""
    found = without_dermatoloog.rank_one("Hoogleraar bedrijfskunde", 3)
    assert DOCENT_HOGER_ONDERWIJS in [m.uri for m in found]
    alone = esco_alone.rank_one("Hoogleraar bedrijfskunde", 3)
    assert DOCENT_HOGER_ONDERWIJS not in [m.uri for m in alone]


def test_an_exact_esco_label_still_comes_first(without_dermatoloog):
    for title in ("lasser", "dakdekker", "software ontwikkelaar"):
        assert without_dermatoloog.rank_one(title, 1)[0].label == title


def test_a_female_title_finds_the_examples_of_the_male_one():
    """Examples are compared by base forms, so both find the very same examples and the same
    best occupation. The ESCO signals still see other character n-grams in "-ster" ("lasster"
    is no ESCO label, "lasser" is), so the candidates far below the best, which the model gives
    a chance of a few percent, may come in another order."""
    normaliser = default_normaliser()
    assert normaliser.examples_ is not None
    for female, male in (("verkoopster bloemen en planten", "verkoper bloemen en planten"),
                         ("lasster", "lasser")):
        examples = normaliser.examples_
        her, his = examples.similarity([female]), examples.similarity([male])
        assert np.array_equal(her.words, his.words) and np.array_equal(her.chars, his.chars)
        assert np.array_equal(her.votes, his.votes)
        her_best, his_best = normaliser.rank_one(female, 3), normaliser.rank_one(male, 3)
        assert her_best[0].code == his_best[0].code
        assert ([m.code for m in her_best if m.score >= CONFIDENT_SCORE]
                == [m.code for m in his_best if m.score >= CONFIDENT_SCORE])


def test_tied_ranks_give_equal_values_the_same_rank():
    """Rank = how many candidates are strictly better, per signal: a signal that is 0 for most
    candidates does not order them by the order they came in."""
    values = np.array([[[0.5, 0.0], [0.2, 0.0], [0.5, 1.0], [0.1, 0.0]]])  # 1 text, 4 x 2
    assert tied_ranks(values)[0].T.tolist() == [[0, 2, 0, 3], [1, 1, 0, 1]]


def test_a_description_keeps_the_scores_of_the_signals(esco_alone, without_dermatoloog):
    """The model learned from titles; a text longer than any title is scored as without it."""
    text = ("Ik repareer graag fietsen en brommers in de schuur van mijn opa en wil later "
            "met motoren werken")
    assert np.allclose(without_dermatoloog.scores([text]), esco_alone.scores([text]))
    assert not np.allclose(without_dermatoloog.scores(["Dermatoloog"]),
                           esco_alone.scores(["Dermatoloog"]))


def test_examples_are_used_only_where_alternative_labels_may_be_searched(esco):
    examples = load_examples()
    normaliser = OccupationNormaliser("preferredLabel+description").fit(esco, examples)
    assert normaliser.reranker_ is None and normaliser.n_examples_ == 0


def test_too_few_or_unknown_examples_change_nothing():
    small = [Occupation("u:lasser", "7212.1", "7212", "lasser", ("booglasser",)),
             Occupation("u:kok", "5120.1", "5120", "kok", ("kokkin",))]
    examples = [Example("lasrobotoperator", "u:lasser"), Example("chef", "u:onbekend"),
                Example("kok", "5120.1")]  # a code works as well as a URI
    normaliser = OccupationNormaliser().fit(small, examples)
    assert normaliser.n_examples_ == 2
    assert normaliser.reranker_ is None  # fewer right answers than MIN_POSITIVES
    assert MIN_POSITIVES > 2
    plain = OccupationNormaliser().fit(small)
    assert np.array_equal(normaliser.scores(["lasser", "chef"]), plain.scores(["lasser", "chef"]))


def test_an_examples_file_without_its_columns_is_refused_with_their_names(tmp_path):
    path = tmp_path / "examples.csv"
    path.write_text("title,uri\nlasser,u:lasser\n", encoding="utf-8")
    with pytest.raises(ValueError, match="text, target_uri"):
        load_examples(path)
