"""The stacked index (``matching.occupation_index``) gives every signal exactly as scoring each
one on its own does: a product per signal, a dense texts x labels matrix and its block maxima."""

import numpy as np

from matching.occupation_index import SLOT_SIGNALS
from matching.occupations import Occupation, OccupationNormaliser, default_normaliser
from matching.sparse_text import as_vector

SMALL = (
    Occupation("u:lasser", "7212.1", "7212", "lasser", ("lasster", "booglasser"),
               "Lassers verbinden metalen delen met een vlamboog."),
    Occupation("u:kok", "5120.1", "5120", "kok", ("kokkin", "chef-kok"),
               "Koks bereiden maaltijden in een keuken."),
    Occupation("u:leraar", "2330.1", "2330", "leraar kunst voortgezet onderwijs",
               ("docent kunst voortgezet onderwijs", "leerkracht kunst voortgezet onderwijs"),
               "Leraren geven les aan leerlingen."),
    Occupation("u:leraar2", "2330.2", "2330", "leerkracht muziek voortgezet onderwijs",
               ("docent muziek voortgezet onderwijs",), "Zij geven muziekles."),
)
TEXTS = ["Priester", "Psychiater", "CNC-operator", "docent muziek", "Kok (Grieks)",
         "lasser lasser booglasser", "", "de het", "xyzzy",
         "ik hou van koken en wil later in een restaurant werken met verse producten"]


def one_by_one(normaliser: OccupationNormaliser, texts: list[str]) -> dict[str, np.ndarray]:
    """Each signal scored on its own, as the normaliser did before the stacked index."""
    tokens = [normaliser._tokens(t) for t in texts]
    n_texts, n = len(texts), len(normaliser.occupations_)

    def widened(text_tokens):
        terms, weights = normaliser.words_.vector(text_tokens, normalise_row=False)
        vector = dict(zip(terms.tolist(), weights.tolist(), strict=True))
        for term, weight in zip(terms.tolist(), weights.tolist(), strict=True):
            row = normaliser.substitutes_[term]
            for other, share in zip(row.indices.tolist(), row.data.tolist(), strict=True):
                vector[other] = vector.get(other, 0.0) + weight * share
        return as_vector(vector)

    labels = normaliser.labels_
    per_label = normaliser.label_words_.scores([widened(t) for t in tokens])
    preferred = np.zeros((n_texts, n), dtype=np.float32)
    if "preferredLabel" in normaliser.fields_:
        preferred[:, labels.owners] = per_label[:, labels.starts]
    chars = [normaliser.chars_.vector(t) for t in texts]
    out = {"words": labels.max(per_label), "preferred": preferred,
           "chars": labels.max(normaliser.label_chars_.scores(chars)),
           "occupation_chars": normaliser.occupation_chars_.scores(chars),
           "description": np.zeros((n_texts, n), dtype=np.float32)}
    if normaliser.descriptions_ is not None and normaliser.description_words_ is not None:
        out["description"] = normaliser.description_words_.scores(
            [normaliser.descriptions_.vector(t) for t in tokens])
    if normaliser.lexicon_ is not None:
        out.update(normaliser.lexicon_.signals(tokens, {"english", "onet", "related"}))
    return out


def assert_same(normaliser: OccupationNormaliser, texts: list[str]) -> None:
    expected = one_by_one(normaliser, texts)
    found = normaliser.signals(texts, [*expected])
    assert set(found) == set(expected)
    for name, values in expected.items():
        np.testing.assert_allclose(found[name], values, rtol=1e-5, atol=1e-6, err_msg=name)


def test_every_signal_of_the_shipped_normaliser_is_what_scoring_it_alone_gives():
    normaliser = default_normaliser()
    assert_same(normaliser, TEXTS)
    # One text at a time, as the app asks, gives the same rows.
    assert_same(normaliser, ["Psychiater"])
    assert set(SLOT_SIGNALS) <= set(normaliser.signals(["kok"]))


def test_a_normaliser_without_lexicon_or_descriptions_scores_the_same_way_too():
    no_lexicon = {"english": 0.0, "onet": 0.0, "related": 0.0}
    for fields in ("preferredLabel+altLabels", "altLabels", "preferredLabel+description"):
        normaliser = OccupationNormaliser(fields, weights=no_lexicon).fit(SMALL)
        assert normaliser.lexicon_ is None
        assert_same(normaliser, TEXTS)


def test_a_small_normaliser_with_the_lexicon_matches_too():
    assert_same(OccupationNormaliser("preferredLabel+altLabels+description").fit(SMALL), TEXTS)


def test_signals_of_no_texts_are_empty():
    found = default_normaliser().signals([])
    assert all(values.shape == (0, len(default_normaliser().occupations_))
               for values in found.values())
