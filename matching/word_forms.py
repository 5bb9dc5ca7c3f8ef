"""Base forms: one normalised word with its female, plural or inflected form undone.

``base_form("monteuses")`` is "monteur", ``base_form("verkoopster")`` "verkoper",
``base_form("kokkinnen")`` "kok", ``base_form("technische")`` "technisch". A female job title
takes its male (and generic) form by the one rule of :mod:`matching.gender_forms`, checked
against the vocabulary of :mod:`matching.vocabulary` (``male_form``). Re-exported by
:mod:`matching.text`.
"""

from __future__ import annotations

from functools import cache

from .gender_forms import GENDER_MODIFIERS, HEADS, male_forms
from .vocabulary import (
    EXTRA_WORDS,
    LINKS,
    MIN_PART,
    SHORT_PARTS,
    STOPWORDS,
    abbreviations,
    dutch_words,
    is_known,
    is_person,
    is_word,
    word_counts,
    wordset,
)

# Words that the form rules would otherwise change.
_KEEP = wordset(
    """
    techniek machine meester minister register venster monster orkester klooster priester
    leraar leraren ster mode kunde ruimte bode zone rente arts zonen
    informatica elektronica mechanica robotica logica optica techniek
    """
)
_KEPT_TAILS = tuple(word for word in _KEEP if len(word) > 4)
# Every ending male_form reads: the female ones, and -er after an abbreviation ("icter").
_ENDINGS = ("er", "euse", "rice", "es", "ess", "esse", "in", "e", "a",
            *(female for female, _ in HEADS))
# Female agent endings whose male form may be a Dutch word ESCO lacks (serveerster/serveerder).
_AGENT_FEMALE = ("ster", "euse", "trice")
_AGENT_MALE = ("er", "eur", "or", "aar", "ier")
# Endings that only a female person word has (not an adjective's -e, not a field's -a).
_FEMALE_ENDINGS = ("ster", "euse", "rice", "es", "esse", "ess", "in", "e",
                   *(female for female, _ in HEADS))
_VOWELS = frozenset("aeiou")


def _undouble_consonant(stem: str) -> str | None:
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        return stem[:-1]
    return None


def _double_vowel(stem: str) -> str | None:
    # "systemen" -> "systeem", "verkoper" <- "verkoop": an open syllable writes one vowel.
    if (len(stem) > 2 and stem[-1] not in _VOWELS and stem[-2] in _VOWELS
            and stem[-3] not in _VOWELS and stem[-2] != "i"):
        return stem[:-1] + stem[-2] + stem[-1]
    return None


def _without_modifier(word: str) -> str | None:
    """The rest of a compound whose first part says whose it is: "meidenvoetbal" and
    "jongensvoetbal" are "voetbal", "dameskapper" and "herenkapper" are "kapper"."""
    if not word.startswith(GENDER_MODIFIERS):
        return None
    for modifier in GENDER_MODIFIERS:
        rest = word[len(modifier):]
        if word.startswith(modifier) and len(rest) > MIN_PART and is_word(rest):
            return rest
    return None


def _known_tail(word: str) -> str | None:
    """The longest end of ``word`` of five letters or more that is a known word."""
    return next((word[cut:] for cut in range(len(word) - 4) if is_word(word[cut:])), None)


def _kept(word: str) -> bool:
    """A word base_form leaves alone, or a compound ending in one ("burgemeester", "kernfysica",
    "werktuigbouwkunde")."""
    return word in _KEEP or word.endswith(_KEPT_TAILS)


def male_form(word: str) -> str | None:
    """The male base form of a female job title (the rule: :mod:`matching.gender_forms`), or
    None when the word is not one.

    A form is taken when it is a person word (:func:`person_words`), when ESCO writes both
    forms in its labels ("koningin", "koning"), or when the male form of an agent ending
    (-ster, -euse, -trice) is a Dutch agent noun ESCO lacks ("serveerster", "serveerder");
    spelling keeps "hamster" from being a "hammer".
    A female -a ("technica", "chemica") is only read so when the word, or the known word it
    ends in, is no field: "genetica" and "vermogenselektronica" are no female "-icus".
    After an abbreviation -ster and -er are dropped: "ictster" and "icter" are "ict".
    """
    if not word.endswith(_ENDINGS) or _kept(word):
        return None
    found = _abbreviation_of(word)
    if found is None:
        found = _male_head(word)
    if found is not None:
        return found
    tail = _known_tail(word) if word.endswith("a") else None
    if tail is not None and not is_person(tail):
        return None  # the name of a field: "genetica", "vermogenselektronica"
    # A three-letter base is only a listed short word ("kok"): a "bassin" is no female "bas".
    males = [male for male in male_forms(word) if len(male) > MIN_PART or male in SHORT_PARTS]
    person = next((male for male in males if is_person(male)), None)
    if person is not None:
        return person
    return next((male for male in males if _male_word_esco_lacks(word, male)), None)


def _abbreviation_of(word: str) -> str | None:
    """"ictster" and "icter" are "ict": -ster and -er after an abbreviation go."""
    for ending in ("ster", "er"):
        if word.endswith(ending) and word[: -len(ending)] in abbreviations():
            return word[: -len(ending)]
    return None


def _male_head(word: str) -> str | None:
    """brandweervrouw, stalmeisje, buurvrouw, grootmoeder: a female head after a front that
    is a word (for moeder and zuster an ESCO word: a "baarmoeder" has no father), or whose
    male form is a person as a whole."""
    for female, male in HEADS:
        front = word[: len(word) - len(female)]
        if word.endswith(female) and len(front) >= MIN_PART and (
                is_person(front + male) or _front_is_word(front, male)):
            return front + male
    return None


def _front_is_word(front: str, male: str) -> bool:
    known = is_word if male in ("man", "jongen") else is_known
    return any(front.endswith(link) and known(front[: len(front) - len(link)])
               for link in LINKS)


def _male_word_esco_lacks(word: str, male: str) -> bool:
    """ESCO writes both in its titles ("koningin", "koning"), or the male form of an agent
    ending is a Dutch agent noun ("serveerster", "serveerder"). Words of general Dutch alone
    would take "daarin" for a female "daar" and "piste" for a female "pist"."""
    if male in EXTRA_WORDS or len(male) <= MIN_PART:
        return False
    labels = word_counts().labels
    if word.endswith(_FEMALE_ENDINGS) and word in labels and male in labels:
        return True
    return word.endswith(_AGENT_FEMALE) and male.endswith(_AGENT_MALE) and is_word(male)


def _plural_candidates(word: str) -> list[str]:
    """Singular or uninflected forms: monteurs, systemen, technische, creatieve."""
    out: list[str] = []
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        out.append(word[:-1])
    if word.endswith("en") and len(word) > 4:
        # Spelling decides: "systemen" had a long vowel (systeem), "gassen" a short one (gas).
        stem = word[:-2]
        out += [c for c in (_double_vowel(stem), _undouble_consonant(stem), stem) if c]
    elif word.endswith("ieve"):
        out.append(word[:-3] + "ef")  # creatieve -> creatief
    elif word.endswith("e") and len(word) > 4:
        stem = word[:-1]
        out += [c for c in (_double_vowel(stem), _undouble_consonant(stem), stem) if c]
    return out


@cache
def base_form(word: str) -> str:
    """A normalised word with its plural, inflected and female form undone, when that is known.

    "monteuses" -> "monteur", "verkoopster" -> "verkoper", "kokkinnen" -> "kok",
    "technische" -> "technisch"; "techniek", "machine" and "meester" stay as they are.
    """
    if word in _KEEP or len(word) < 4 or word.isdigit():
        return word
    rest = _without_modifier(word)
    if rest is not None:
        return base_form(rest)
    male = male_form(word)
    if male is not None:
        return _one_spelling(male)
    for singular in _plural_candidates(word):
        if singular == word or singular in STOPWORDS:
            continue
        # The singular may itself be female ("monteuses" -> "monteuse" -> "monteur").
        male = male_form(singular)
        if male is not None:
            return _one_spelling(male)
        # A person ESCO lacks is a singular too, as its female form's base is: a compound
        # with a person at its head ("zonnepaneeloperators") or a Dutch agent noun
        # ("serveerders", "serveersters": serveerder).
        if is_known(singular) or (word.endswith(("s", "en")) and (is_person(singular) or (
                singular.endswith(_AGENT_MALE) and singular in dutch_words()))):
            return _one_spelling(singular)
    return _one_spelling(word)


def _one_spelling(word: str) -> str:
    """-teur and -tor are one job ("operateur", "operator"); -trice is female for both, so
    the -tor form is the base when it is a person word too."""
    if word.endswith("teur") and is_person(word[:-4] + "tor"):
        return word[:-4] + "tor"
    return word
