"""Female and male job titles for the gender tests, made from ESCO's Dutch labels by the
textbook suffix patterns, independently of the rule in ``matching.gender_forms``."""

from __future__ import annotations

import csv
import gzip
from functools import cache

from matching.text import ESCO_OCCUPATIONS, base_form, is_person, is_word, normalise

# Endings of female titles: a title ending so is not taken as a male one.
FEMALE_ENDINGS = ("ster", "euse", "rice", "in", "es", "e", "a", "vrouw", "meisje")
# (male ending, female ending), most specific first; -er agent nouns are handled below.
TEXTBOOK = (
    ("man", "vrouw"), ("jongen", "meisje"), ("ateur", "atrice"), ("cteur", "ctrice"),
    ("eur", "euse"), ("ator", "atrice"), ("icus", "ica"), ("ist", "iste"), ("ent", "ente"),
    ("ant", "ante"), ("loog", "loge"), ("graaf", "grafe"), ("ien", "ienne"), ("aar", "ares"),
    ("rder", "rster"),
)


@cache
def esco_occupations() -> tuple[frozenset[str], ...]:
    """Per ESCO occupation, its normalised preferred, alternative and hidden labels (the Dutch
    ESCO export the library ships, labels joined with " | ")."""
    with gzip.open(ESCO_OCCUPATIONS, "rt", encoding="utf-8") as handle:
        return tuple(
            frozenset(normalise(label) for field in ("preferredLabel", "altLabels", "hiddenLabels")
                      for label in row[field].split(" | ") if label.strip())
            for row in csv.DictReader(handle))


@cache
def esco_titles() -> frozenset[str]:
    """ESCO's one-word labels."""
    return frozenset(label for labels in esco_occupations() for label in labels
                     if " " not in label)


def textbook_female(male: str) -> str | None:
    """The female form of a male title by the textbook patterns: lasser -> lasster, verkoper
    -> verkoopster, monteur -> monteuse, directeur -> directrice, technicus -> technica."""
    for male_end, female_end in TEXTBOOK:
        if male.endswith(male_end):
            return male[: len(male) - len(male_end)] + female_end
    if male.endswith("er") and len(male) > 5 and male[-3] not in "aeiou":
        stem = male[:-2]
        if stem[-1] == stem[-2]:
            stem = stem[:-1]  # lasser -> las
        elif (stem[-2] in "aeou" and stem[-3] not in "aeiou"
              and not stem.endswith(("el", "en", "er"))):
            stem = stem[:-1] + stem[-2] + stem[-1]  # verkoper -> verkoop
        return stem[:-1] + {"v": "f", "z": "s"}.get(stem[-1], stem[-1]) + "ster"
    return None


def generated_pairs() -> list[tuple[str, str]]:
    """(female, male) for ESCO's one-word male titles, the female form made by the textbook
    patterns; most of these female forms are in no list and not in ESCO."""
    titles = esco_titles()
    out = []
    for male in sorted(title for title in titles if not title.endswith(FEMALE_ENDINGS)):
        female = textbook_female(male)
        if female and female not in titles:
            out.append((female, male))
    return out


def a_field(word: str) -> bool:
    """A female -ica that is, or ends in, the name of a field ("mechatronica", "genetica",
    "fijnmechanica"): it keeps that meaning, and the person is written with the male form."""
    return word.endswith("ica") and base_form(word) == word and any(
        is_word(word[cut:]) and not is_person(word[cut:]) for cut in range(len(word) - 4))
