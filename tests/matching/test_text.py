
import pytest

from matching.text import (
    analyse,
    base_form,
    head,
    known_words,
    normalise,
    split_compound,
    strip_accents,
    tokens,
    word_tokens,
)


def test_accents_are_removed():
    assert strip_accents("coördinator elektriciën café") == "coordinator elektricien cafe"


def test_case_punctuation_and_spacing_are_normalised():
    assert normalise("  ICT/Programmeren -- 3D-printen!! ") == "ict programmeren 3d printen"


@pytest.mark.parametrize(("female", "male"), [
    ("monteuse", "monteur"),
    ("chauffeuse", "chauffeur"),
    ("verkoopster", "verkoper"),
    ("kapster", "kapper"),
    ("lasster", "lasser"),
    ("medewerkster", "medewerker"),
    ("schoonmaakster", "schoonmaker"),
    ("bestuurster", "bestuurder"),
    ("directrice", "directeur"),
    ("inspectrice", "inspecteur"),
    ("coordinatrice", "coordinator"),
    ("boerin", "boer"),
    ("lerares", "leraar"),
    ("zangeres", "zanger"),
    ("secretaresse", "secretaris"),
    ("assistente", "assistent"),
    ("psychologe", "psycholoog"),
    ("technica", "technicus"),
])
def test_female_job_titles_take_the_male_base_form(female, male):
    assert base_form(female) == male


@pytest.mark.parametrize(("plural", "singular"), [
    ("monteurs", "monteur"),
    ("monteuses", "monteur"),
    ("machines", "machine"),
    ("systemen", "systeem"),
    ("gassen", "gas"),
    ("technische", "technisch"),
    ("koks", "kok"),
])
def test_plural_and_inflected_forms_take_the_base_form(plural, singular):
    assert base_form(plural) == singular


@pytest.mark.parametrize("word", [
    "techniek", "machine", "meester", "minister", "register", "informatica", "elektronica",
    "arts", "monteur", "installatie", "leraar", "dans",
])
def test_words_that_only_look_female_or_plural_stay(word):
    assert base_form(word) == word


def test_abbreviations_are_expanded_or_kept():
    assert tokens("wtb") == ["werktuigbouwkunde", "werktuig", "bouw", "kunde", "werktuigbouw",
                             "bouwkunde"]
    assert tokens("Medew. ICT")[:2] == ["medewerker", "ict"]
    assert tokens("mngr")[0] == "manager"
    assert tokens("IT")[0] == "ict"
    assert "elektrotechniek" in tokens("elektro")
    assert tokens("hbo mbo") == ["hbo", "mbo"]
    assert "verwarming" in tokens("cv-monteur")
    assert "zonnepaneel" in tokens("pv installateur")


@pytest.mark.parametrize(("compound", "parts"), [
    ("installatietechniek", ("installatie", "techniek")),
    ("onderhoudsmonteur", ("onderhoud", "monteur")),
    ("werktuigbouwkunde", ("werktuig", "bouw", "kunde")),
    ("vrachtwagenchauffeur", ("vracht", "wagen", "chauffeur")),
    ("buschauffeur", ("bus", "chauffeur")),
])
def test_compounds_split_into_known_parts(compound, parts):
    assert split_compound(compound) == parts


@pytest.mark.parametrize("word", [
    "techniek", "machine", "redacteur", "verkoper", "verstrekken", "monteur", "installateur",
])
def test_words_that_are_no_compounds_stay_whole(word):
    assert split_compound(word) == ()


@pytest.mark.parametrize(("compound", "parts", "unknown_to_esco"), [
    ("staladviseur", ("stal", "adviseur"), "stal"),
    ("roostermaker", ("rooster", "maker"), "rooster"),
    ("ingenieursbureau", ("ingenieur", "bureau"), "bureau"),
])
def test_compounds_whose_parts_esco_lacks_split_into_general_dutch_words(
        compound, parts, unknown_to_esco):
    assert unknown_to_esco not in known_words()
    assert split_compound(compound) == parts


def test_general_dutch_words_neither_replace_esco_parts_nor_cut_common_words():
    # ESCO's own words split "autoschadebedrijf" further than the word list's "autoschade".
    assert split_compound("autoschadebedrijf") == ("auto", "schade", "bedrijf")
    # The word list has "soft", "ware", "dien" and "sten", but these words are common in ESCO.
    assert split_compound("software") == ()
    assert split_compound("diensten") == ()


def test_a_compound_gives_the_word_then_its_parts():
    assert word_tokens("onderhoudsmonteuse") == ("onderhoudsmonteur", "onderhoud", "monteur")
    assert word_tokens("hoogspanningsinstallaties")[0] == "hoogspanningsinstallatie"
    assert "hoogspanning" in word_tokens("hoogspanningsinstallaties")
    assert {"werktuigbouw", "bouwkunde"} <= set(word_tokens("werktuigbouwkunde"))


def test_head_is_the_last_part_in_base_form():
    assert head("onderhoudsmonteuse") == "monteur"
    assert head("kok") == "kok"


def test_a_practitioner_also_gives_the_field():
    assert "biologie" in tokens("bioloog")
    assert "kunde" in tokens("werktuigbouwkundige")
    assert "techniek" in tokens("elektrotechnicus")


def test_stopwords_go_and_plural_apostrophes_join():
    assert tokens("Ik wil iets met auto's") == ["auto"]
    assert tokens("de het een") == []
    assert tokens("") == []


def test_english_and_misspelled_input_is_kept_normalised():
    assert tokens("Software Developer") == ["software", "ontwikkelaar"]
    assert tokens("monteor") == ["monteor"]
    assert tokens("Électricien!") == ["elektricien"] or tokens("Électricien!") == ["electricien"]


def test_analyse_is_tokens_and_deterministic():
    text = "Onderhoudsmonteuse installatietechniek (m/v)"
    assert analyse is tokens
    assert tokens(text) == tokens(text) == ["onderhoudsmonteur", "onderhoud", "monteur",
                                            "installatietechniek", "installatie", "techniek"]


def test_a_long_profile_gives_the_same_tokens_every_time():
    text = (
        "Ik ben een enthousiaste leerling die graag sleutelt aan auto's en brommers. Later wil "
        "ik onderhoudsmonteur worden of iets in de installatietechniek doen, bijvoorbeeld "
        "zonnepanelen leggen bij een installatiebedrijf. Ik heb stage gelopen bij een garage en "
        "vond dat heel erg leuk werk, vooral het werken met elektro en cv-ketels."
    )
    first = tokens(text)
    assert first == tokens(text)
    assert {"onderhoudsmonteur", "monteur", "installatie", "techniek"} <= set(first)

