"""A cohort's profiles are its students' own profiles, read once per distinct text or fact."""

import random
from datetime import date

import numpy as np
import pytest

from matching.gender import GENDER_WORDS
from matching.profiles import ThemeProfiler
from matching.records import Participation
from matching.scoring import MatchScorer
from matching.taxonomy import CONTRASTS, NEGATION_REACH, NEGATIONS, default_matcher
from matching.text import base_form, normalise

from .records import TODAY, observed, placement, student

TEXTS = (
    "", "ik wil iets met industriele robotica en smart home", "Zonne-energie en cv-monteur",
    "ik wil niet in de bouw maar wel lassen", "TIG lassen, MIG/MAG lassen", "robotika",
    "ict en programmeren", "werktuigbouw en metaal", "mijn moeder is elektricienne",
    "ik ben monteuse in de installatietechniek", "auto's repareren", "medische techniek",
    "duurzame energie zonne energie", "building services engineering", "kapper", "zorg",
    "e-techniek", "hekel aan ict maar wel robots", "slimme woning en home automation",
)


def plain_find(matcher, text: str, max_words: int = 3) -> dict[str, float]:
    """Every window of every size looked up, as the matcher did before it skipped windows
    whose first word starts no term of that length."""
    words = normalise(text).split()
    bases = [base_form(word) for word in words]
    found: dict[str, float] = {}
    used = [False] * len(words)
    for k, word in enumerate(words):
        if word in GENDER_WORDS:
            used[k] = True
        if word in NEGATIONS:
            for n in range(k + 1, min(k + 1 + NEGATION_REACH, len(words))):
                if words[n] in CONTRASTS:
                    break
                used[n] = True
    for size in range(min(max_words, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if any(used[start:start + size]):
                continue
            hit = matcher.exact_.get(" ".join(words[start:start + size]))
            if hit is None:
                hit = matcher.exact_.get(" ".join(bases[start:start + size]))
            confidence = 1.0
            if hit is None and size == 1:
                hit, confidence = matcher._fuzzy_word(bases[start])
            if hit is None:
                continue
            for k in range(start, start + size):
                used[k] = True
            slug = matcher.themes_[hit].slug
            found[slug] = max(found.get(slug, 0.0), confidence)
    return found


@pytest.mark.parametrize("max_words", [1, 2, 3, 4])
def test_themes_found_in_a_text_are_those_of_looking_up_every_phrase(max_words):
    matcher = default_matcher()
    rng = random.Random(max_words)
    texts = [*TEXTS, *(" ".join(rng.sample(TEXTS, 3)) for _ in range(40))]
    found_any = False
    for text in texts:
        found = matcher._find_in_text(text, max_words)
        assert found == plain_find(matcher, text, max_words)
        found_any |= bool(found)
    assert found_any


def test_a_phrase_is_found_by_its_first_words_base_form_too():
    matcher = default_matcher()
    for text in ("industriële robotica", "iets met grafische ontwerp", "zonne-energie"):
        found = matcher._find_in_text(text, 3)
        assert found and found == plain_find(matcher, text, 3)


def cohort(seed: int) -> list:
    rng = random.Random(seed)
    themes = ("robotica", "elektrotechniek", "lassen", "zorg")
    days = (date(2023, 5, 1), date(2025, 3, 1), date(2025, 11, 1))
    out = []
    for i in range(1, 61):
        out.append(student(
            i, interests=rng.choice(TEXTS), dream_job=rng.choice(("", "lasser", "kapster")),
            themes=tuple(rng.sample(themes, rng.randint(0, 2))),
            observations=tuple(observed(rng.choice(themes), rng.randint(1, 5),
                                        rng.choice(days), skills=rng.choice(TEXTS))
                               for _ in range(rng.randint(0, 2))),
            participations=tuple(Participation((rng.choice(themes),), rng.choice(days), "Girlsday")
                                 for _ in range(rng.randint(0, 3)))))
    return out + out[:10]  # the same students again: read once, given twice


def test_the_cohorts_interest_rows_are_each_students_own_interest():
    profiler = ThemeProfiler().fit()
    students = cohort(1)
    matrix = profiler.interest_matrix(students)
    rows = np.vstack([profiler.interest(s) for s in students])
    assert matrix.dtype == np.float32 and matrix.tobytes() == rows.tobytes()
    assert matrix.any()


def test_the_cohorts_talent_rows_are_each_students_own_talent_bit_for_bit():
    profiler = ThemeProfiler().fit()
    students = cohort(2)
    matrix = profiler.talent_matrix(students, TODAY)
    rows = np.vstack([profiler.talent(s, TODAY) for s in students])
    assert matrix.dtype == np.float32 and matrix.tobytes() == rows.tobytes()
    assert (matrix > 0).any() and (matrix == 0).all(axis=1).any()
    assert profiler.talent_matrix([], TODAY).shape == (0, profiler.n_themes)


def test_the_placements_theme_rows_are_each_placements_own_also_for_repeated_postings():
    profiler = ThemeProfiler().fit()
    placements = [placement(j, title=f"Stage {TEXTS[j % 7]}", description=TEXTS[j % 5],
                            occupation_code=("7411.1", "", "7126.1")[j % 3],
                            themes=(("lassen",), ())[j % 2]) for j in range(1, 40)]
    matrix = profiler.placement_matrix(placements)
    rows = np.vstack([profiler.placement(p) for p in placements])
    assert matrix.dtype == np.float32 and matrix.tobytes() == rows.tobytes()
    assert len({row.tobytes() for row in rows}) > 5


def test_an_observation_weighs_the_same_when_read_again_for_the_explanation():
    profiler = ThemeProfiler().fit()
    students = cohort(4)
    before = [profiler.evidence(s, TODAY) for s in students]
    profiler.talent_matrix(students, TODAY)
    assert [profiler.evidence(s, TODAY) for s in students] == before
    assert any(before)


def test_the_cohorts_words_are_each_students_own_words():
    scorer = MatchScorer(today=TODAY).fit([placement(1, description=" ".join(TEXTS))])
    students = cohort(3)
    batch = scorer.prepare(students)
    for i, s in enumerate(students):
        alone = scorer.prepare([s]).text
        assert batch.text[i].indices.tolist() == alone.indices.tolist()
        assert batch.text[i].data.tobytes() == alone.data.tobytes()
    assert batch.text.nnz > 0


def test_an_observation_fades_with_the_half_life_even_after_it_was_read_once():
    profiler = ThemeProfiler(half_life_days=365).fit()
    one = student(observations=(observed("lassen", 5, date(2025, 1, 15)),))
    first = profiler.talent(one, TODAY)
    profiler.set_params(half_life_days=30)
    assert profiler.talent(one, TODAY).max() < first.max()
