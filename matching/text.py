"""Text normalisation for Dutch: case, accents, punctuation, word forms and compounds.

API
---
``strip_accents(text) -> str``
    'coördinator' -> 'coordinator'.
``normalise(text) -> str``
    lower case, no accents, words separated by single spaces.
``words(text) -> list[str]``
    the normalised words as ``tokens`` reads them ("auto's" one word, "ICT'ster" -> ict).
``tokens(text) -> list[str]`` (alias ``analyse``)
    the words that matching compares: normalised, stopwords removed, abbreviations expanded
    ("wtb" -> werktuigbouwkunde), female and plural forms on one base form ("monteuses" ->
    monteur, "verkoopster" -> verkoper), and for a compound the word itself followed by its
    parts ("onderhoudsmonteur" -> onderhoudsmonteur, onderhoud, monteur). Deterministic, in
    text order, duplicates kept (callers count them).
``word_tokens(word) -> tuple[str, ...]``
    the same for one normalised word (cached).
``base_form(word) -> str``
    one normalised word with its female, plural or inflected form undone; the female form of a
    job title takes the male (and generic) form: kokkin -> kok, serveerster -> serveerder,
    brandweervrouw -> brandweerman, by the one rule of :mod:`matching.gender_forms`; a first
    part that says whose it is goes (meidenvoetbal -> voetbal).
``male_form(word) -> str | None``
    the male form of a female job title, None if the word is not one.
``is_person(word) -> bool``, ``is_word(word) -> bool``
    the vocabulary the word forms are checked against.
``split_compound(word) -> tuple[str, ...]``
    the parts of a compound in order ("onderhoudsmonteur" -> onderhoud, monteur); () if the word
    is not a compound of known words.
``head(word) -> str``
    the head of a word: the base form of its last compound part ("onderhoudsmonteur" -> monteur).

The vocabulary (normalisation, ESCO's and OpenTaal's words, person words) lives in
:mod:`matching.vocabulary` and the base forms in :mod:`matching.word_forms`; this module
re-exports them, and holds the compounds and tokens.

Word forms and compound parts are only accepted when the result is a known word, a female
form only when its male form is a person word (ESCO's one-word job titles and their heads,
``person_words``) or a Dutch agent noun ("serveerder"), so "monster", "venster", "meester",
"hamster", "Amsterdam" and "zone" stay as they are. The known
words come from the ESCO occupation labels and descriptions (``data/esco_occupations_nl.csv.gz``)
plus a few common Dutch words in ``EXTRA_WORDS``; that keeps "techniek", "machine" or
"meester" from being turned into something that does not exist. A compound that ESCO's words
cannot split may be split into general Dutch words (``data/opentaal_words.txt.gz``, OpenTaal):
"staladviseur" -> stal, adviseur.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache

from .gender_forms import GENDER_WORDS
from .vocabulary import (
    DUTCH_WORDS,
    ESCO_OCCUPATIONS,
    LINKS,
    MIN_PART,
    SHORT_PARTS,
    STOPWORDS,
    abbreviations,
    dutch_words,
    is_known,
    is_person,
    is_word,
    known_words,
    normalise,
    person_words,
    strip_accents,
    titles,
    word_counts,
    wordset,
)
from .word_forms import base_form, male_form

__all__ = [
    "ABBREVIATIONS", "DUTCH_WORDS", "ESCO_OCCUPATIONS", "STOPWORDS", "abbreviations", "analyse",
    "base_form", "dutch_words", "head", "is_known", "is_person", "is_word", "known_words",
    "male_form", "normalise", "person_words", "split_compound", "strip_accents", "titles",
    "tokens", "word_tokens", "words",
]

# The marks the two expressions below start from; a text without them is left alone.
_MARKS = ("'", "’", "‘", "-")
# "auto's", "cv's": the apostrophe belongs to the plural, not a word boundary.
_APOSTROPHE_S = re.compile(r"(\w)['’]s\b")
# "ICT'er", "ICT-ster", "hbo'ers": a person of the abbreviation; both forms read as the word.
# (The mark comes first in the pattern: a regex that starts with a lookbehind is slow.)
_AGENT_AFTER_MARK = re.compile(r"['’‘-](?<=\w['’‘-])(?:[sS][tT])?[eE][rR][sS]?\b")
# Abbreviations and a few English job words people type; the value is what to read instead.
# Abbreviations that ESCO itself uses ("ict", "hbo", "cnc") are kept as they are.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "it": ("ict",),
    "elektro": ("elektrotechniek",),
    "e": (),
    "wtb": ("werktuigbouwkunde",),
    "wtk": ("werktuigbouwkunde",),
    "cv": ("cv", "verwarming"),
    "pv": ("pv", "zonnepaneel"),
    "mngr": ("manager",),
    "mgr": ("manager",),
    "medew": ("medewerker",),
    "mdw": ("medewerker",),
    "mw": ("medewerker",),
    "adm": ("administratief",),
    "admin": ("administratief",),
    "techn": ("technisch",),
    "tech": ("technicus",),
    "ass": ("assistent",),
    "assist": ("assistent",),
    "coord": ("coordinator",),
    "insp": ("inspecteur",),
    "chauf": ("chauffeur",),
    "vrachtw": ("vrachtwagen",),
    "prod": ("productie",),
    "mgmt": ("management",),
    "ing": ("ingenieur",),
    "ir": ("ingenieur",),
    "sr": ("senior",),
    "jr": ("junior",),
    "ped": ("pedagogisch",),
    "verpl": ("verpleegkundige",),
    "vpk": ("verpleegkundige",),
    "ziekenverz": ("ziekenverzorgende",),
    "zzp": ("zzp", "zelfstandig"),
    "developer": ("ontwikkelaar",),
    "mechanic": ("monteur",),
    "electrician": ("elektricien",),
    "welder": ("lasser",),
    "carpenter": ("timmerman",),
    "plumber": ("loodgieter",),
    "programmer": ("programmeur",),
    "technician": ("technicus",),
    "driver": ("chauffeur",),
    "cook": ("kok",),
    "nurse": ("verpleegkundige",),
    "teacher": ("leraar",),
    "painter": ("schilder",),
    "baker": ("bakker",),
    "hairdresser": ("kapper",),
    "engineering": ("engineer",),
}
# Never split off as a compound part: prefixes and words that only look like parts.
_NOT_PARTS = wordset(
    """
    ver ont her aan uit mee toe weg door over onder voor achter boven tegen na bij op af om
    der den des ten ter per pro non anti mini maxi super hyper
    ing ist eur aar ier ster tor ent ant ens end ste tie ine ige ise ica eerder matige
    """
)
# Practitioner or adjective -> field: someone who types "werktuigbouwkunde" or "biologie"
# means the same trade as "werktuigbouwkundige" or "bioloog". Most specific suffix first.
_DERIVATIONS = (
    ("technicus", "techniek"), ("technisch", "techniek"), ("kundig", "kunde"),
    ("logisch", "logie"), ("loog", "logie"), ("graaf", "grafie"), ("noom", "nomie"),
    ("icus", "ica"),
)


def _part_ok(part: str, dutch: bool = False) -> bool:
    if part in STOPWORDS or part in _NOT_PARTS:
        return False
    if not (is_known(part) or (dutch and len(part) >= MIN_PART and part in dutch_words())):
        return False
    # Three letters make too many accidental words ("red-acteur"), so those are listed.
    return len(part) > 3 or part in SHORT_PARTS


@cache
def split_compound(word: str) -> tuple[str, ...]:
    """The known words a compound is made of, in order, or () when it is not one.

    Linking -s-, -en-, -e- and -n- between parts are dropped ("onderhoudsmonteur" ->
    onderhoud, monteur). Among the ways to split, the one with the fewest parts wins, then the
    one whose rarest part is most common; parts of more than 7 letters are split again.
    When ESCO's words cannot split a word, general Dutch words may be its parts ("staladviseur"
    -> stal, adviseur); such a part counts as seen once when the word's own count is weighed,
    so a common word ("software", "diensten") stays whole.
    """
    if len(word) < 2 * MIN_PART or word.isdigit():
        return ()
    for dutch in (False, True):
        best = _best_split(word, dutch)
        if best is not None and _worth_splitting(word, best):
            return _split_parts(best)
    return ()


def _split_parts(parts: tuple[str, ...]) -> tuple[str, ...]:
    # Inside a compound a long part is split whatever its own count ("werktuig|bouwkunde").
    out: list[str] = []
    for part in parts:
        inner = _best_split(part) if len(part) > 7 and part in known_words() else None
        out.extend(_split_parts(inner) if inner else (part,))
    return tuple(out)


def _worth_splitting(word: str, parts: tuple[str, ...]) -> bool:
    # Koehn and Knight (2003): a word more common than its parts are on average is a word of
    # its own ("verstrekken" is not vers + trekken), a rarer one is a compound. Words of job
    # titles are always split into ESCO's words: their parts are what other titles share. A
    # part only the general word list knows counts as seen once, so a common word is not cut
    # into rare ones ("diensten" is not dien + sten).
    counts = known_words()
    seen = [counts[base_form(p)] or counts[p] for p in parts]
    if word in word_counts().labels and all(seen):
        return True
    mean = math.prod(n or 1 for n in seen) ** (1 / len(parts))
    return mean > counts[word]


def _best_split(word: str, dutch: bool = False) -> tuple[str, ...] | None:
    counts = known_words()
    n = len(word)
    # best[i]: (parts, key) for the prefix word[:i] split into known parts plus linkers.
    best: list[tuple[tuple[str, ...], tuple[int, int]] | None] = [None] * (n + 1)
    best[0] = ((), (0, 0))
    # Forward over split points: parts are at least MIN_PART long, so best[here] is final
    # by the time the loop reaches it.
    for here in range(n):
        found = best[here]
        if found is None:
            continue
        parts, (n_parts, rarest) = found
        for start in _starts_after_link(word, here):
            for end in range(start + MIN_PART, n + 1):
                if start == 0 and end == n:
                    continue  # the word itself is not a split
                part = word[start:end]
                if not _may_be_part(part, end == n, dutch, counts):
                    continue
                key = (n_parts + 1, max(rarest, -counts[part]) if parts else -counts[part])
                current = best[end]
                if current is None or key < current[1]:
                    best[end] = ((*parts, part), key)
    result = best[n]
    return result[0] if result and len(result[0]) > 1 else None


def _starts_after_link(word: str, here: int) -> list[int]:
    """Where a part may start after the split point ``here``: past a linking -s-, -en-, ...
    that the word has there (the first part starts at 0)."""
    return [here + len(link) for link in (LINKS if here else ("",))
            if word[here:here + len(link)] == link]


def _may_be_part(part: str, last: bool, dutch: bool, counts: Counter[str]) -> bool:
    """Whether ``part`` may be a part of a compound (``counts``: the known words); only the
    ``last`` part may be an inflected or female form ("...monteuses")."""
    if not last and part not in counts and not (dutch and part in dutch_words()):
        return False
    return _part_ok(part, dutch) or (last and _part_ok(base_form(part), dutch))


@cache
def head(word: str) -> str:
    """The base form of the last compound part: 'onderhoudsmonteuse' -> 'monteur'."""
    parts = split_compound(word)
    return base_form(parts[-1] if parts else word)


@cache
def word_tokens(word: str) -> tuple[str, ...]:
    """Tokens for one normalised word: its base form, then its compound parts' base forms."""
    if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
        return ()
    if word in GENDER_WORDS:
        return (word,)  # whole, so that the scorer drops all of it ("echtgenoot", not "echt")
    if word in ABBREVIATIONS:
        out: list[str] = []
        for expansion in ABBREVIATIONS[word]:
            out.extend(_plain_tokens(expansion))
        return tuple(out)
    return _plain_tokens(word)


@cache
def _plain_tokens(word: str) -> tuple[str, ...]:
    base = base_form(word)
    # A word whose base form is known ("gereedschappen", "zonnepaneelmonteuse") is split as
    # that base form only.
    parts = split_compound(base)
    if not parts:
        return _with_fields((base,))
    bases = [base_form(part) for part in parts]
    whole = base if base != word else "".join(word[: len(word) - len(parts[-1])]) + bases[-1]
    out = [whole]
    for part in bases:
        if part not in out:
            out.append(part)
    # Neighbouring parts that form a word of their own: "hoog|spanning|s|installatie".
    for left, right in zip(parts, parts[1:], strict=False):
        for link in LINKS:
            pair = left + link + right
            if pair in base and pair != base and is_known(pair) and base_form(pair) not in out:
                out.append(base_form(pair))
                break
    return _with_fields(tuple(out))


def _with_fields(found: tuple[str, ...]) -> tuple[str, ...]:
    """Add the field a practitioner works in: 'bioloog' also gives 'biologie'."""
    out = list(found)
    for token in found:
        for suffix, field_suffix in _DERIVATIONS:
            if token.endswith(suffix):
                field = token[: len(token) - len(suffix)] + field_suffix
                if field not in out and is_known(field):
                    out.append(field)
                break
    return tuple(out)


def words(text: str) -> list[str]:
    """The normalised words of ``text`` as :func:`tokens` reads them: "auto's" is one word,
    and -er or -ster after an apostrophe or dash is dropped ("ICT'er", "ICT-ster": ict)."""
    if any(mark in text for mark in _MARKS):
        text = _APOSTROPHE_S.sub(r"\1s", _AGENT_AFTER_MARK.sub("", text))
    return normalise(text).split()


def tokens(text: str) -> list[str]:
    """Normalised, gender-neutral, expanded and compound-split tokens of ``text``."""
    out: list[str] = []
    for word in words(text):
        out.extend(word_tokens(word))
    return out


analyse = tokens
