import gzip
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from matching.occupation_lexicon import (
    ENGLISH,
    ESCO_ONET,
    ONET_TITLES,
    WORDNET,
    Lexicon,
    LexiconSignals,
    english_tokens,
    load_english,
    load_lexicon,
    load_onet,
    read_lexicon,
)
from matching.occupation_weights import (
    DEFAULT_WEIGHTS,
    LONG_TEXT_WORDS,
    NO_ALT_WEIGHTS,
    TEXT_WEIGHTS,
    regime_weights,
)
from matching.occupations import Occupation, OccupationNormaliser, default_normaliser

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT.parent / "shared" / "data" / "lexicon"

CLERIC = Occupation("u:geestelijke", "2636.1", "2636", "geestelijke", ("pastor",),
                    "Geestelijken leiden religieuze diensten.")
WELDER = Occupation("u:lasser", "7212.1", "7212", "lasser", ("booglasser",),
                    "Lassers verbinden metalen delen.")
COOK = Occupation("u:kok", "5120.1", "5120", "kok", ("kokkin",), "Koks bereiden maaltijden.")
ENGLISH_LABELS = {
    "u:geestelijke": Occupation("u:geestelijke", "", "", "minister of religion",
                                ("clergyman", "priest")),
    "u:lasser": Occupation("u:lasser", "", "", "welder", ("arc welder",)),
    "u:kok": Occupation("u:kok", "", "", "cook", ("chef",)),
}
LEXICON = Lexicon({"priester": 0, "dominee": 1}, ("clergyman", "priest"),
                  sp.csr_matrix(np.array([[0.5, 1.0], [1.0, 0.0]], dtype=np.float32)),
                  ("geestelijke",), sp.csr_matrix(np.array([[0.5], [1.0]], dtype=np.float32)))
ONET = ({"21-2011.00": ("clergy", "priest", "rabbi"), "51-4121.00": ("welder",)},
        {"2636.1": ("21-2011.00",), "7212.1": ("51-4121.00",)})


def test_a_dutch_word_reaches_its_english_words_and_broader_ones_with_less_weight():
    lexicon = load_lexicon()
    row = lexicon.rows["priester"]

    def weight(matrix, terms, term):
        return matrix[row, terms.index(term)]

    assert weight(lexicon.english, lexicon.english_terms, "priest") == 1.0
    assert 0 < weight(lexicon.english, lexicon.english_terms, "clergyman") < 1.0
    # Related Dutch words are base forms, as the labels' words are read.
    assert weight(lexicon.related, lexicon.related_terms, "pastoor") == 1.0
    assert weight(lexicon.related, lexicon.related_terms, "geestelijk") == 0.5


def test_tokens_take_their_lexicon_rows_with_the_largest_weight():
    rows = LEXICON.token_rows([[("priester", 0.7), ("priester", 1.0), ("onbekend", 1.0)], []])
    assert rows.toarray().tolist() == [[1.0, 0.0], [0.0, 0.0]]


def test_english_tokens_drop_stopwords_and_punctuation():
    assert english_tokens("Minister of Religion (Catholic)") == [
        ("minister", 1.0), ("religion", 1.0), ("catholic", 1.0)]


def test_english_and_onet_signals_find_an_occupation_that_shares_no_dutch_word():
    signals = LexiconSignals().fit([CLERIC, WELDER, COOK], ("preferredLabel", "altLabels"),
                                   LEXICON, ENGLISH_LABELS, ONET)
    found = signals.signals([[("priester", 1.0)], [("onbekend", 1.0)]], {"english", "onet"})
    assert found["english"][0].argmax() == 0 and found["english"][0, 0] > 0.5
    assert found["onet"][0].argmax() == 0 and found["onet"][0, 0] > 0.3  # one of three titles
    assert not found["english"][1].any() and not found["onet"][1].any()
    assert found["onet"][0, 2] == 0.0  # the cook has no O*NET link


def test_english_labels_of_fields_that_may_not_be_searched_are_left_out():
    # "priest" and "clergyman" are English alternative labels; with only the preferred label
    # ("minister of religion") searchable, the translation finds nothing.
    signals = LexiconSignals(use_onet=False).fit([CLERIC, WELDER], ("preferredLabel",),
                                                 LEXICON, ENGLISH_LABELS, ONET)
    found = signals.signals([[("priester", 1.0)]], {"english", "onet"})
    assert not found["english"].any()
    assert not found["onet"].any()


def test_the_normaliser_finds_priester_under_geestelijke_and_psychiater_under_medisch_specialist():
    normaliser = default_normaliser()
    assert normaliser.rank_one("Priester", 3)[0].label == "geestelijke"
    assert normaliser.rank_one("Psychiater", 3)[0].label == "medisch specialist"


def test_without_lexicon_weights_the_normaliser_builds_no_lexicon_signals():
    weights = {"english": 0.0, "onet": 0.0, "related": 0.0}
    normaliser = OccupationNormaliser(weights=weights).fit([CLERIC, WELDER, COOK])
    assert normaliser.lexicon_ is None
    assert set(normaliser.signals(["lasser"], normaliser._signal_names())) == {
        "words", "preferred", "chars", "occupation_chars", "description", "exact"}
    assert normaliser.rank_one("lasser")[0].code == "7212.1"


def test_the_shipped_lexicon_files_cover_the_shipped_occupations():
    english = load_english()
    by_soc, linked = load_onet()
    assert len(english) == 3039
    assert len(linked) > 2500 and all(soc in by_soc for socs in linked.values()
                                      for soc in socs)
    again = read_lexicon(WORDNET)
    assert again.rows == load_lexicon().rows
    assert (again.english != load_lexicon().english).nnz == 0


WORDNET_30 = Path("/usr/share/wordnet/data.noun")


def test_the_build_script_rebuilds_the_shipped_files_byte_for_byte(tmp_path):
    if not (SOURCES / "odwn_nld_omw.tab").exists() or not WORDNET_30.exists():
        # A checkout without ../shared or Debian's wordnet-base cannot rebuild the files; CI
        # has both (.ci/run installs wordnet-base) and turns this skip into a failure.
        reason = "needs ../shared/data/lexicon and Debian's wordnet-base (apt-get install " \
                 "wordnet-base)"
        if os.environ.get("TALENTMATCH_REQUIRE_LEXICON_SOURCES") == "1":
            pytest.fail(f"TALENTMATCH_REQUIRE_LEXICON_SOURCES=1 but it {reason}", pytrace=False)
        pytest.skip(reason)
    subprocess.run([sys.executable, "-m", "benchmarks.build_lexicon", "--lexicon", str(SOURCES),
                    "--out", str(tmp_path)], cwd=ROOT, check=True, capture_output=True)
    for shipped in (WORDNET, ENGLISH, ONET_TITLES, ESCO_ONET):
        assert (tmp_path / shipped.name).read_bytes() == shipped.read_bytes(), shipped.name
        assert gzip.decompress(shipped.read_bytes())


def test_lexicon_signals_stay_in_the_unit_interval():
    found = default_normaliser().signals(["Psychiater", "Rabbijn", "ik hou van koken"],
                                         ("english", "onet", "related"))
    for signal in found.values():
        assert np.all(signal >= 0) and np.all(signal <= 1.0 + 1e-5)


def test_searches_without_alternative_labels_fuse_with_their_own_weights_given_ones_first():
    titles, texts = regime_weights(("preferredLabel", "altLabels"), {})
    assert titles == dict(DEFAULT_WEIGHTS)
    assert texts == {**DEFAULT_WEIGHTS, **TEXT_WEIGHTS}
    no_alt, no_alt_texts = regime_weights(("preferredLabel", "description"), {"english": 0.0})
    assert no_alt is no_alt_texts
    assert no_alt == {**DEFAULT_WEIGHTS, **NO_ALT_WEIGHTS, "english": 0.0}


def test_a_long_text_is_fused_with_the_text_weights_and_a_title_with_the_title_weights():
    normaliser = OccupationNormaliser().fit([CLERIC, WELDER, COOK])
    long_text = "ik wil graag later metalen delen verbinden en lassen in een grote werkplaats"
    assert len(long_text.split()) > LONG_TEXT_WORDS
    for text, weights in ((long_text, normaliser.text_weights_), ("lasser", normaliser.weights_)):
        signals = normaliser.signals([text], normaliser._signal_names())
        assert np.allclose(normaliser.scores([text]), normaliser.fuse(signals, weights))
    assert normaliser.text_weights_ != normaliser.weights_
