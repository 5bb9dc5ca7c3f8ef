"""Words that carry gender, and text with them taken out.

Gender is never an input to matching. The records have no field for it, and these helpers take
it out of free text too: gender words are dropped and job titles brought to their base form,
so that what a girl and a boy write about the same wish reads the same.
"""

from __future__ import annotations

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
