"""Words that carry gender, and text with them taken out or flipped.

Gender is never an input to matching. The records have no field for it, and these helpers take
it out of free text too, so that what a girl and a boy write about the same wish reads the same:

- :data:`GENDER_WORDS`: words that say who someone is ("meisje", "zij", "mijn vader", "als
  vrouw"), in the forms people write; they are dropped from everything the scorer reads.
- job titles are brought to their base form by :func:`matching.text.base_form`, which gives a
  female title its male (and generic) form by one spelling rule (:mod:`matching.gender_forms`):
  kokkin -> kok, serveerster -> serveerder, ICT'ster -> ict, brandweervrouw -> brandweerman.
- :func:`neutral`: a text as the occupation lookup should see it, both of the above applied.
- :func:`flip_gender`: the counterfactual of the fairness audit: every gender word swapped for
  its pair, and every job title for its other-gender form, made with the same rule, so titles
  that no list names ("zonnepaneelmonteur", "lasser") flip too.
"""

from __future__ import annotations

import re
from functools import cache

from .gender_forms import GENDER_PAIRS, GENDER_WORDS, HEADS, MODIFIERS, female_forms, open_forms
from .text import (
    abbreviations,
    base_form,
    is_person,
    is_word,
    known_words,
    male_form,
    normalise,
    person_words,
    words,
)

FLIP: dict[str, str] = {}
for _female, _male in (*GENDER_PAIRS, *MODIFIERS):
    FLIP.setdefault(_female, _male)
    FLIP.setdefault(_male, _female)
# A word, or "ICT'er" / "ICT-ster": the agent ending after an abbreviation flips as a whole.
_WORD = re.compile(r"\w+(?:['’‘-](?:st)?ers?\b)?")
_MARKED_AGENT = re.compile(r"^(\w+)(['’‘-])(st)?er(s?)$", re.IGNORECASE)
_MIN_PART = 3  # the shortest head a compound flips by ("hulp|kok")
# Female endings Dutch makes new words with; -in and -es belong to a fixed set of words.
_PRODUCTIVE = ("ster", "euse", "trice", "ienne", "iste", "ente", "ante", "oge", "afe", "ica",
               *(female for female, _ in HEADS))


def neutral(text: str) -> str:
    """The text with gender words dropped and job titles in their base form
    ("vrouwelijke elektricienne" -> "elektricien"), as the occupation lookup should see it."""
    bases = (base_form(word) for word in words(text) if word not in GENDER_WORDS)
    return " ".join(base for base in bases if base not in GENDER_WORDS)


def flip_gender(text: str) -> str:
    """The text with every gender word swapped for its pair and every job title for its
    other-gender form, keeping a capital ("Zij wil monteuse worden" -> "Hij wil monteur
    worden", "Hij is lasser" -> "Zij is lasster")."""
    return _WORD.sub(_swap, text)


def _swap(match: re.Match) -> str:
    word = match.group(0)
    marked = _MARKED_AGENT.match(word)
    if marked:  # ICT'er <-> ICT'ster
        front, mark, female, plural = marked.groups()
        return f"{front}{mark}{'er' if female else 'ster'}{plural}"
    plain = normalise(word)
    for ending, other_ending in (("ster", "er"), ("er", "ster")):
        if plain.endswith(ending) and plain[: -len(ending)] in abbreviations():
            return word[: -len(ending)] + other_ending  # ICTster <-> ICTer
    other = other_form(plain) if plain.isalpha() else None
    if other is None:
        return word
    if word.isupper() and len(word) > 1:
        return other.upper()
    return other.capitalize() if word[0].isupper() else other


@cache
def other_form(word: str) -> str | None:
    """The other gender's form of one normalised word, None if it has no gender.

    Job titles flip by the rule of :mod:`matching.gender_forms`; the form chosen is the first
    that :func:`matching.text.base_form` brings back to the same base, a known word first
    ("kok" -> "kokkin", "lasser" -> "lasster"). A male word flips only when it names a person
    or its female form is a known word, so "computer" does not become "computster".
    """
    if word in FLIP:
        return FLIP[word]
    if len(word) < 3 or word.isdigit():
        return None
    base = base_form(word)
    if male_form(word) is None:
        for singular in _singulars(word):
            if base_form(singular) == base:
                other = _other_singular(singular, base)
                return _plural(other, base) if other else None
    return _other_singular(word, base)


def _other_singular(word: str, base: str) -> str | None:
    if male_form(word) is not None or (base != word and word in female_forms(base)):
        return base  # kokkin -> kok, operatrice -> operator, studente -> student
    for pair in MODIFIERS:
        for modifier, other in (pair, pair[::-1]):
            flipped = other + word[len(modifier):]
            if word.startswith(modifier) and base_form(flipped) == base:
                return flipped  # meidenvoetbal -> jongensvoetbal
    for female in _female_forms(word):
        if female != base and base_form(female) == base:
            return female
    return None


def _female_forms(word: str) -> list[str]:
    """Female forms of ``word`` by the rule, most likely first: forms that are words
    ("kokkin", "lasster"); for a compound whose head is a person word, the compound with the
    head's female form ("hulpkok" -> "hulpkokkin"); and for a person word, forms with an
    ending Dutch makes new words with ("installatrice", "zonnepaneelmonteuse"). "arts" has no
    "artsin" and "computer" no "computster": neither is a word, nor made so."""
    forms = female_forms(word)
    out = [form for form in forms if is_word(form)]
    persons = person_words()
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head = word[cut:]
        if head in persons:
            out += [word[:cut] + form for form in _female_forms(head)]
            break
    if is_person(word):
        out += [form for form in forms if form.endswith(_PRODUCTIVE)]
    return list(dict.fromkeys(out))


def _singulars(word: str) -> list[str]:
    """Singular forms a plural may have: monteurs, kokkinnen, leraressen, brandweervrouwen."""
    out: list[str] = []
    if word.endswith("s") and len(word) > 4:
        out.append(word[:-1])
    if word.endswith("en") and len(word) > 5:
        stem = word[:-2]
        if stem[-1] == stem[-2]:
            out.append(stem[:-1])
        out.append(stem)
    return out


def _plural(word: str, base: str) -> str | None:
    """The plural of ``word`` that reads as ``base`` again, a known word first."""
    takes_s = word.endswith(("er", "eur", "or", "aar", "ier", "el", "em", "en", "e", "a", "o"))
    forms = [word + "s", *(form + "en" for form in open_forms(word))]
    if not takes_s:
        forms = forms[1:] + forms[:1]
    forms.sort(key=lambda form: (-known_words()[form], not is_word(form)))
    return next((form for form in forms if base_form(form) == base), None)
