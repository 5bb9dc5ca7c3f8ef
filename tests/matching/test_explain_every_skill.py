"""The reason reads as a sentence for every observation a scout writes in the demo data
(issue 21: "je goed bent in werkt veilig")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from matching.explain import render

REFERENCE = Path(__file__).resolve().parents[2] / "seeds" / "reference"


def seeded_skill_texts() -> list[str]:
    themes = json.loads((REFERENCE / "theme_words.json").read_text(encoding="utf-8"))
    texts = json.loads((REFERENCE / "texts.json").read_text(encoding="utf-8"))
    found = {skill for slug, words in themes.items() if not slug.startswith("_")
             for skill in words["skills"]}
    return sorted(found | set(texts["observation_skills"]))


def parts_for(skill: str, **extra) -> dict:
    from matching.explain import _first_skill

    return {"why": "observed", "activity": "de Week van de Techniek", "theme": "robotica",
            "skill": _first_skill(skill), "distance_km": 8.4, "role_model": False,
            "invite": False, "company": "Robotwerk B.V.", **extra}


# Third-person forms that must not follow "je", and the words that lead a scout's note.
WRONG_AFTER_JE = re.compile(r"\bje (is|heeft|kan|wil|zal)\b")
SHAPES = (
    re.compile(r"^Bij de Week van de Techniek zag een scout: je [a-zë]+ "),
    re.compile(r"^Je liet bij de Week van de Techniek zien dat je goed bent in \S+[,:]"),
    re.compile(r"^Bij de Week van de Techniek schreef een scout over je: ‘[^’]+’"),
    re.compile(r"^Je liet bij de Week van de Techniek zien dat je talent hebt voor robotica[,:]"),
)


def test_the_demo_data_has_many_skill_texts_to_check():
    assert len(seeded_skill_texts()) > 50


@pytest.mark.parametrize("skill", seeded_skill_texts())
@pytest.mark.parametrize("invite", [False, True])
def test_the_dutch_reason_is_a_sentence_for_every_seeded_skill_text(skill, invite):
    sentence = render(parts_for(skill, invite=invite), "nl")
    assert sum(bool(shape.match(sentence)) for shape in SHAPES) == 1, sentence
    assert not WRONG_AFTER_JE.search(sentence), sentence
    # "goed bent in" takes one word, never a scout's phrase with a verb in it.
    assert not re.search(r"goed bent in \S+ \S+[,:]", sentence), sentence
    assert sentence.endswith("?" if invite else "8 km van huis."), sentence
    assert sentence.count(":") <= 1 and ":." not in sentence and ",," not in sentence


@pytest.mark.parametrize("skill", seeded_skill_texts())
def test_the_english_reason_never_wraps_a_dutch_phrase_in_an_english_sentence(skill):
    sentence = render(parts_for(skill), "en")
    assert sentence.startswith("At de Week van de Techniek you showed a talent for robotics"
                               ) or len(parts_for(skill)["skill"].split()) == 1, sentence
    assert sentence.endswith("8 km from home."), sentence


@pytest.mark.parametrize("note, told", [
    ("Werkt veilig op hoogte", "je werkt veilig op hoogte"),
    ("heeft een vaste hand bij het lassen", "je hebt een vaste hand bij het lassen"),
    ("is handig met motoren", "je bent handig met motoren"),
    ("hoort meteen wat er mis is", "je hoort meteen wat er mis is"),
    ("kan goed solderen", "je kunt goed solderen"),
    ("vijlt en boort heel precies", "je vijlt en boort heel precies"),
])
def test_a_note_led_by_a_verb_is_said_to_the_student(note, told):
    assert f"zag een scout: {told}," in render(parts_for(note), "nl")


def test_a_single_word_is_what_the_student_is_good_at_and_an_acronym_keeps_its_capitals():
    assert "zien dat je goed bent in PLC," in render(parts_for("PLC"), "nl")
    assert "zien dat je goed bent in solderen," in render(parts_for("Solderen."), "nl")
