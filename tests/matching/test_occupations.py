import dataclasses
import gzip

import numpy as np
import pytest

from matching.occupations import (
    Match,
    Occupation,
    OccupationNormaliser,
    default_normaliser,
    load_occupations,
    parse_fields,
    substitutions,
    top_k,
)

# default_normaliser() is cached: the ESCO fit (a few seconds) happens once per test session.

SMALL = (
    Occupation("u:lasser", "7212.1", "7212", "lasser", ("lasster", "booglasser"),
               "Lassers verbinden metalen delen met een vlamboog."),
    Occupation("u:kok", "5120.1", "5120", "kok", ("kokkin",),
               "Koks bereiden maaltijden in een keuken."),
    Occupation("u:monteur", "7233.1", "7233", "onderhoudsmonteur", ("monteur machines",),
               "Onderhoudsmonteurs houden machines draaiende."),
    Occupation("u:leraar", "2330.1", "2330", "leraar kunst voortgezet onderwijs",
               ("docent kunst voortgezet onderwijs",
                "leerkracht kunst voortgezet onderwijs"),
               "Leraren geven les aan leerlingen."),
    Occupation("u:leraar2", "2330.2", "2330", "leerkracht muziek voortgezet onderwijs", (),
               "Zij geven muziekles."),
)


def codes(matches):
    return [m.code for m in matches]


def test_an_empty_or_stopword_text_gives_no_occupations():
    normaliser = default_normaliser()
    assert normaliser.rank_one("") == ()
    assert normaliser.rank_one("   ") == ()
    assert normaliser.rank_one("de het een") == ()
    assert normaliser.rank(["", "lasser"], k=3)[0] == ()


def test_onderhoudsmonteur_finds_maintenance_mechanics():
    """ESCO calls most maintenance mechanics "onderhoudsmonteur" in an alternative label, not
    the preferred one a match shows ("monteur kranen": "onderhoudsmonteur kranen")."""
    normaliser = default_normaliser()
    found = normaliser.rank_one("onderhoudsmonteur", k=10)
    labels = [m.label for m in found]
    occupations = {o.code: o for o in normaliser.occupations_}
    mechanics = [any("onderhoudsmonteur" in label
                     for label in occupations[m.code].labels(normaliser.fields_))
                 for m in found[:5]]
    assert sum(mechanics) >= 4, labels
    assert sum("monteur" in label for label in labels) >= 4, labels


def test_a_female_title_finds_what_the_male_one_finds():
    normaliser = default_normaliser()
    female = codes(normaliser.rank_one("onderhoudsmonteuse", 6))
    male = codes(normaliser.rank_one("onderhoudsmonteur", 6))
    assert female[0] == male[0]
    # Only character n-grams of -euse differ: close scores below the first may swap a little.
    assert set(female[:3]) == set(male[:3])
    assert len(set(female) & set(male)) >= 4
    assert normaliser.rank_one("lasster", 1)[0].label == "lasser"


def test_an_exact_label_comes_first_with_a_score_near_one():
    found = default_normaliser().rank_one("Kok", k=5)
    assert found[0].label == "kok"
    assert 0.85 <= found[0].score <= 1.05
    assert found[1].score < found[0].score - 0.2
    # ESCO gives "lasser" to three occupations; the welder still leads, less sure.
    found = default_normaliser().rank_one("Lasser", k=5)
    assert found[0].label == "lasser"
    assert 0.7 <= found[0].score < 0.85


def test_scores_are_sorted_and_k_is_respected():
    found = default_normaliser().rank_one("Uitvoerder installatie (elektro)", k=7)
    assert len(found) == 7
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert all(isinstance(m, Match) for m in found)
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].score = 1.0


def test_dream_jobs_in_plain_words_land_in_the_right_trade():
    normaliser = default_normaliser()
    assert any("auto" in m.label for m in normaliser.rank_one("ik wil iets met auto's", 5))
    assert any("elektr" in m.label for m in
               normaliser.rank_one("Uitvoerder installatie (elektro)", 5))
    assert any("ontwikkelaar" in m.label or "developer" in m.label
               for m in normaliser.rank_one("software developer", 5))


def test_a_misspelling_is_forgiven_by_character_ngrams():
    found = default_normaliser().rank_one("elektrisien", k=10)
    assert any("elektr" in m.label for m in found[:3])


def test_rank_returns_one_tuple_per_text_in_order():
    normaliser = default_normaliser()
    texts = ["kok", "lasser", "kok"]
    ranked = normaliser.rank(texts, k=2)
    assert [r[0].label for r in ranked] == ["kok", "lasser", "kok"]
    assert ranked[0] == ranked[2]


def test_a_small_corpus_ranks_exact_labels_first():
    normaliser = OccupationNormaliser().fit(SMALL)
    assert normaliser.rank_one("kok", k=2)[0].code == "5120.1"
    assert normaliser.rank_one("Lasster", k=1)[0].code == "7212.1"
    assert len(normaliser.rank_one("kok", k=100)) <= len(SMALL)


def test_fields_limit_what_is_searched():
    query = "booglasser"  # only an alternative label of the welder
    with_alts = OccupationNormaliser("preferredLabel+altLabels").fit(SMALL)
    without = OccupationNormaliser("preferredLabel", weights={"chars": 0.0,
                                                             "occupation_chars": 0.0}).fit(SMALL)
    assert with_alts.signals([query], ["exact"])["exact"][0, 0] == 1.0
    assert without.signals([query], ["exact"])["exact"].sum() == 0.0
    # "metalen" is only in the welder's description. ("vlamboog" would not do: its part
    # "boog" is in the alternative label "booglasser".)
    # (The lexicon's O*NET titles, found by the occupations' codes, know metal too.)
    no_lexicon = {"english": 0.0, "onet": 0.0, "related": 0.0}
    described = OccupationNormaliser("preferredLabel+description", weights=no_lexicon).fit(SMALL)
    labels_only = OccupationNormaliser("preferredLabel+altLabels", weights=no_lexicon).fit(SMALL)
    assert described.signals(["metalen"], ["description"])["description"][0, 0] > 0
    assert described.rank_one("metalen")[0].label == "lasser"
    assert labels_only.signals(["metalen"], ["description"])["description"].sum() == 0
    assert labels_only.rank_one("metalen") == ()


def test_words_that_replace_each_other_in_labels_are_learned():
    drama = Occupation("u:drama", "2330.3", "2330", "docent drama voortgezet onderwijs",
                       ("leerkracht drama voortgezet onderwijs",), "")
    corpus = (*SMALL, drama)
    words_only = {"chars": 0.0, "occupation_chars": 0.0, "description": 0.0, "parent": 0.0,
                  "preferred": 0.0}
    normaliser = OccupationNormaliser(weights=words_only).fit(corpus)
    vocabulary = normaliser.words_.vocabulary_
    matrix = substitutions([o.labels() for o in corpus], vocabulary)
    assert matrix[vocabulary["docent"], vocabulary["leerkracht"]] > 0
    assert matrix[vocabulary["leerkracht"], vocabulary["docent"]] > 0
    # The music teacher only has a "leerkracht" label, yet "docent muziek" finds it.
    assert normaliser.rank_one("docent muziek", k=1)[0].code == "2330.2"
    # A pair seen in one occupation only is not trusted.
    assert substitutions([o.labels() for o in SMALL], vocabulary).nnz == 0


def test_signals_are_between_zero_and_one():
    signals = default_normaliser().signals(["monteur zonnepanelen", "xyzzy"])
    for name, values in signals.items():
        assert values.shape == (2, len(default_normaliser().occupations_)), name
        assert values.min() >= 0.0 and values.max() <= 1.0 + 1e-5, name


def test_bad_fields_and_weights_are_refused():
    with pytest.raises(ValueError, match="unknown field"):
        parse_fields("preferredLabel+salary")
    with pytest.raises(ValueError, match="unknown weight"):
        OccupationNormaliser(weights={"colour": 1.0}).fit(SMALL)
    assert parse_fields("preferredLabel+altLabels") == ("preferredLabel", "altLabels")


def test_top_k_orders_best_first_and_breaks_ties_by_index():
    scores = np.array([[0.1, 0.5, 0.5, 0.9], [0.0, 0.0, 0.0, 0.0]])
    assert top_k(scores, 3).tolist() == [[3, 1, 2], [0, 1, 2]]
    assert top_k(scores, 10).shape == (2, 4)


def test_occupations_load_from_benchmark_and_package_formats(tmp_path):
    shipped = load_occupations()
    assert len(shipped) == 3043
    assert all(o.uri.startswith("http://data.europa.eu/esco/occupation/") for o in shipped)
    corpus = tmp_path / "corpus.csv"
    corpus.write_text(
        "target_id,preferredLabel,description,altLabels,iscoGroup,code\n"
        "u:1,lasser,Lassers lassen.,booglasser | lasster,7212,7212.1\n", encoding="utf-8")
    (occupation,) = load_occupations(corpus)
    assert occupation == Occupation("u:1", "7212.1", "7212", "lasser", ("booglasser", "lasster"),
                                    "Lassers lassen.")
    packed = tmp_path / "corpus.csv.gz"
    packed.write_bytes(gzip.compress(corpus.read_bytes()))
    assert load_occupations(packed) == (occupation,)
