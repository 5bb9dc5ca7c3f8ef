import pytest

from matching.taxonomy import ThemeDef, ThemeMatcher, default_matcher, load_themes


def test_the_taxonomy_has_dutch_and_english_labels_for_every_theme():
    themes = load_themes()
    assert len(themes) >= 15
    assert all(t.label_nl and t.label_en for t in themes)
    assert {"robotica", "elektrotechniek", "installatietechniek", "lassen"} <= {
        t.slug for t in themes}


@pytest.mark.parametrize(("typed", "slug"), [
    ("robotika", "robotica"), ("Robotica", "robotica"), ("robotics", "robotica"),
    ("elektro", "elektrotechniek"), ("ict", "ict-programmeren"),
    ("programeren", "ict-programmeren"),
    ("werktuigbouw", "werktuigbouw-metaal"), ("wtb", "werktuigbouw-metaal"),
    ("zonnepanelen", "duurzame-energie"), ("welding", "lassen"), ("mechatronika", "mechatronica"),
    ("3D printen", "3d-printen"), ("auto", "motorvoertuigen"),
])
def test_misspelled_abbreviated_and_english_words_resolve_to_their_theme(typed, slug):
    hit = default_matcher().resolve(typed)
    assert hit is not None and hit.slug == slug


@pytest.mark.parametrize("typed", ["xyzzy", "ik weet het niet", ""])
def test_text_that_names_no_theme_is_not_forced_onto_one(typed):
    assert default_matcher().resolve(typed) is None


def test_search_ranks_the_best_theme_first_and_says_how_sure_it_is():
    hits = default_matcher().search("robo")
    assert hits[0].slug == "robotica"
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert all(0 <= h.score <= 100 for h in hits)


def test_a_too_short_query_finds_nothing():
    assert default_matcher().search("r") == []


def test_the_matcher_follows_scikit_learn_conventions():
    matcher = ThemeMatcher(threshold=90)
    assert vars(matcher) == {"threshold": 90, "min_query": 2}
    themes = [ThemeDef("lassen", "Lassen", "Welding", ("lasser",))]
    assert matcher.fit(themes) is matcher
    assert matcher.themes_ == tuple(themes)
    assert matcher.resolve("laser").slug == "lassen"  # 91 similar to "lasser"
