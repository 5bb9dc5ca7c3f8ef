"""Words that carry gender, and text with them taken out.

Gender is never an input to matching. The records have no field for it, and these helpers take
it out of free text too: gender words are dropped and job titles brought to their base form,
so that what a girl and a boy write about the same wish reads the same.
"""

from __future__ import annotations

import re

from .text import base_form, normalise

# Words that say who someone is rather than what they like. They are dropped from everything
# the scorer reads, so that "ik ben een meisje" and "ik ben een jongen" read the same.
GENDER_WORDS = frozenset({
    "meisje", "meisjes", "meid", "meiden", "jongen", "jongens", "gast", "gasten", "hij", "zij",
    "ze", "hem", "haar", "zijn", "zoon", "dochter", "broer", "broers", "broertje", "zus",
    "zussen", "zusje", "vrouw", "vrouwen", "man", "mannen", "vrouwelijk", "vrouwelijke",
    "mannelijk", "mannelijke", "dame", "dames", "heer", "heren", "mevrouw", "meneer",
    "moeder", "vader", "vriend", "vriendin", "girl", "girls", "boy", "boys", "she", "he",
    "her", "him", "his", "female", "male", "woman", "women", "men",
})


def neutral(text: str) -> str:
    """The text with gender words dropped and job titles in their base form
    ("vrouwelijke elektricienne" -> "elektricien"), as the occupation lookup should see it."""
    return " ".join(base_form(word) for word in normalise(text).split()
                    if word not in GENDER_WORDS)


# The counterfactual check of the fairness audit: what a student writes about themselves, in
# the other gender's words. Each pair is flipped both ways; a word in several pairs flips to
# the other side of its first pair. Job titles are listed in their female and male forms, so
# a title the text module does not bring to one base form shows up in the audit.
GENDER_PAIRS = (
    ("meisje", "jongen"), ("meisjes", "jongens"), ("meid", "gast"), ("meiden", "gasten"),
    ("zij", "hij"), ("haar", "zijn"), ("ze", "hij"), ("haar", "hem"), ("dochter", "zoon"),
    ("zus", "broer"), ("zussen", "broers"), ("zusje", "broertje"), ("moeder", "vader"),
    ("vriendin", "vriend"), ("vrouw", "man"), ("vrouwen", "mannen"),
    ("vrouwelijk", "mannelijk"), ("vrouwelijke", "mannelijke"), ("dame", "heer"),
    ("dames", "heren"), ("mevrouw", "meneer"), ("girl", "boy"), ("girls", "boys"),
    ("she", "he"), ("her", "his"), ("her", "him"), ("woman", "man"), ("women", "men"),
    ("female", "male"),
    ("monteuse", "monteur"), ("automonteuse", "automonteur"), ("verkoopster", "verkoper"),
    ("kapster", "kapper"), ("medewerkster", "medewerker"), ("directrice", "directeur"),
    ("programmeuse", "programmeur"), ("elektricienne", "elektricien"),
    ("loodgietster", "loodgieter"), ("ontwerpster", "ontwerper"), ("boerin", "boer"),
    ("installatrice", "installateur"), ("ingenieuse", "ingenieur"), ("lerares", "leraar"),
    ("verpleegster", "verpleger"), ("schilderes", "schilder"), ("timmervrouw", "timmerman"),
    ("brandweervrouw", "brandweerman"), ("vakvrouw", "vakman"), ("lasster", "lasser"),
    ("technica", "technicus"), ("chauffeuse", "chauffeur"), ("bakster", "bakker"),
    ("onderzoekster", "onderzoeker"), ("tekenares", "tekenaar"), ("stuurvrouw", "stuurman"),
    ("kokkin", "kok"), ("bouwvakster", "bouwvakker"), ("zakenvrouw", "zakenman"),
)
FLIP: dict[str, str] = {}
for _female, _male in GENDER_PAIRS:
    FLIP.setdefault(_female, _male)
    FLIP.setdefault(_male, _female)
_WORD = re.compile(r"\w+")


def flip_gender(text: str) -> str:
    """The text with every gendered word in :data:`GENDER_PAIRS` swapped for its other-gender
    form, keeping a capital ("Zij wil monteuse worden" -> "Hij wil monteur worden")."""

    def swap(match: re.Match) -> str:
        word = match.group(0)
        other = FLIP.get(word.lower())
        if other is None:
            return word
        return other.capitalize() if word[0].isupper() else other

    return _WORD.sub(swap, text)
