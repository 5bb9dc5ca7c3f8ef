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

Word forms and compound parts are only accepted when the result is a known word, a female
form only when its male form is a person word (ESCO's one-word job titles and their heads,
``person_words``) or a Dutch agent noun ("serveerder"), so "monster", "venster", "meester",
"hamster", "Amsterdam" and "zone" stay as they are. The known
words come from the ESCO occupation labels and descriptions (``data/esco_occupations_nl.csv.gz``)
plus a few common Dutch words in ``_EXTRA_WORDS``; that keeps "techniek", "machine" or
"meester" from being turned into something that does not exist. A compound that ESCO's words
cannot split may be split into general Dutch words (``data/opentaal_words.txt.gz``, OpenTaal):
"staladviseur" -> stal, adviseur.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

from .gender_forms import GENDER_MODIFIERS, GENDER_WORDS, HEADS, male_forms

_NON_WORD = re.compile(r"[^0-9a-z]+")
_LATIN_COMBINING = re.compile("[\u0300-\u036f]+")
# "auto's", "cv's": the apostrophe belongs to the plural, not a word boundary.
_APOSTROPHE_S = re.compile(r"(\w)['’]s\b")
# "ICT'er", "ICT-ster", "hbo'ers": a person of the abbreviation; both forms read as the word.
_AGENT_AFTER_MARK = re.compile(r"(?<=\w)['’‘-](?:st)?ers?\b", re.IGNORECASE)
ESCO_OCCUPATIONS = Path(__file__).parent / "data" / "esco_occupations_nl.csv.gz"
DUTCH_WORDS = Path(__file__).parent / "data" / "opentaal_words.txt.gz"

def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _wordset(
    """
    de het een en of van voor in op met aan bij te tot uit door over onder naar als dat die dit
    deze zijn is was wordt worden werd zij ze hij ik je jij wij we u mijn me mij onze ons hun haar
    er ook niet maar om dan nog wel al zo wat wie hoe waar iets graag wil wilt willen zou zoals
    lijkt leuk later heel veel meer meest andere ander of en zowel eigen tussen binnen buiten
    na per via zonder tegen sinds totdat omdat want waarbij waarin welke elk elke alle alles
    hebben heeft had kan kunnen moet moeten mag mogen gaat gaan doe doen doet word ben bent
    m v x mv bv nv
    the and of for in to a an with or at on by as is are my i want would like something
    """
)

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

# Common Dutch words that are too rare in the ESCO texts to be known but are parts of
# compounds people write ("werktuigbouwkunde", "zonnepaneel").
_EXTRA_WORDS = _wordset(
    """
    werktuig kunde kundig kundige paneel zonne zon motor auto fiets boot schip vlieg vliegtuig
    trein tram bus vracht wagen kraan heftruck lift dak gevel muur vloer tegel steen hout metaal
    staal ijzer glas kunststof papier textiel leer voedsel vlees brood vis bloem plant boom tuin
    dier paard hond kat koe varken kip melk kaas wijn bier koffie
    installatie techniek technisch elektro elektra elektriciteit energie water gas olie warmte
    koude koel klimaat lucht verwarming ventilatie riool weg spoor brug tunnel haven
    bouw sloop onderhoud reparatie service storing montage productie fabriek werkplaats
    machine robot computer software netwerk data web app game media geluid licht beeld film foto
    zorg kind kinder jeugd ouderen patient ziekenhuis school winkel kantoor hotel keuken
    """
)

# Never split off as a compound part: prefixes and words that only look like parts.
_NOT_PARTS = _wordset(
    """
    ver ont her aan uit mee toe weg door over onder voor achter boven tegen na bij op af om
    der den des ten ter per pro non anti mini maxi super hyper
    ing ist eur aar ier ster tor ent ant ens end ste tie ine ige ise ica eerder matige
    """
)

# Words that the form rules would otherwise change.
_KEEP = _wordset(
    """
    techniek machine meester minister register venster monster orkester klooster priester
    leraar leraren ster mode kunde ruimte bode zone rente arts zonen
    informatica elektronica mechanica robotica logica optica techniek
    """
)

# Practitioner or adjective -> field: someone who types "werktuigbouwkunde" or "biologie"
# means the same trade as "werktuigbouwkundige" or "bioloog". Most specific suffix first.
_DERIVATIONS = (
    ("technicus", "techniek"), ("technisch", "techniek"), ("kundig", "kunde"),
    ("logisch", "logie"), ("loog", "logie"), ("graaf", "grafie"), ("noom", "nomie"),
    ("icus", "ica"),
)

# Three-letter words that are common first or last parts of Dutch compounds.
_SHORT_PARTS = _wordset(
    "kok bus gas dak vis weg zee zon web app ict cad cnc bio hof vee ski spa kas kip koe zoo "
    "bed ijs bar pop man mes vat lak"
)

_LINKS = ("", "s", "en", "e", "n")
# Female agent endings whose male form may be a Dutch word ESCO lacks (serveerster/serveerder).
_AGENT_FEMALE = ("ster", "euse", "trice")
_AGENT_MALE = ("er", "eur", "or", "aar", "ier")
# Endings that only a female person word has (not an adjective's -e, not a field's -a).
_FEMALE_ENDINGS = ("ster", "euse", "rice", "es", "esse", "ess", "in", "e",
                   *(female for female, _ in HEADS))
_MIN_PART = 3
_VOWELS = frozenset("aeiou")


def strip_accents(text: str) -> str:
    """'coördinator' -> 'coordinator', 'elektriciën' -> 'elektricien'."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Latin accents are all in one block; only text with other non-ASCII letters needs the
    # letter-by-letter look, which is slow on long descriptions.
    stripped = _LATIN_COMBINING.sub("", decomposed)
    if stripped.isascii():
        return stripped
    return "".join(c for c in stripped if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (slashes and dashes split)."""
    return _NON_WORD.sub(" ", strip_accents(text).lower()).strip()


@cache
def _esco_rows() -> tuple[dict[str, str], ...]:
    raw = gzip.decompress(ESCO_OCCUPATIONS.read_bytes()).decode("utf-8")
    return tuple(csv.DictReader(io.StringIO(raw)))


def _labels(row: dict[str, str]) -> list[str]:
    return [label for field in ("preferredLabel", "altLabels", "hiddenLabels")
            for label in row[field].split(" | ") if label.strip()]


@cache
def _word_counts() -> tuple[Counter[str], Counter[str]]:
    """How often each word occurs in the ESCO occupation labels, and in the descriptions."""
    labels: Counter[str] = Counter()
    texts: Counter[str] = Counter()
    for row in _esco_rows():
        labels.update(normalise(" ".join(_labels(row))).split())
        texts.update(normalise(row["description"]).split())
    labels.update(dict.fromkeys(_EXTRA_WORDS, 1))
    return labels, texts


@cache
def known_words() -> Counter[str]:
    """Known words with a weight: label words count double, one-off description words not."""
    labels, texts = _word_counts()
    counts = Counter({word: n for word, n in texts.items() if n >= 2})
    for word, n in labels.items():
        counts[word] += 2 * n
    return counts


def _is_known(word: str) -> bool:
    return len(word) >= _MIN_PART and word in known_words()


@cache
def dutch_words() -> frozenset[str]:
    """General Dutch words (OpenTaal, 3-10 letters, no accents): parts of compounds that ESCO
    does not know ("ingenieursbureau", "staladviseur", "roostermaker")."""
    with gzip.open(DUTCH_WORDS, "rt", encoding="utf-8") as handle:
        return frozenset(handle.read().split())


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


@cache
def _titles() -> frozenset[str]:
    """ESCO's one-word job titles ("lasser", "kok", "autoverkoper")."""
    return frozenset(label for row in _esco_rows() for label in map(normalise, _labels(row))
                     if label and " " not in label)


@cache
def person_words() -> frozenset[str]:
    """Words that name a person doing a job: ESCO's one-word titles and the heads they end in
    when the rest is a known word too ("autoverkoper" gives "verkoper")."""
    labels = _word_counts()[0]
    out = set(_titles())
    for title in _titles():
        for cut in range(_MIN_PART, len(title) - _MIN_PART):
            rest, found = title[cut:], title[:cut]
            if len(rest) > _MIN_PART and rest in labels and any(
                    found.endswith(link) and _is_known(found[: len(found) - len(link)])
                    for link in _LINKS):
                out.add(rest)
    return frozenset(out)


@cache
def abbreviations() -> frozenset[str]:
    """Words of three to five letters that ESCO writes in capitals ("ICT", "CNC", "CAD") and
    that are no general Dutch words ("KAM" is also a comb), normalised."""
    found = (re.findall(r"\b[A-Z][A-Z0-9]{2,4}\b", " ".join((*_labels(row), row["description"])))
             for row in _esco_rows())
    return frozenset(word.lower() for words in found for word in words) - dutch_words()


def is_person(word: str) -> bool:
    """A person word, or a compound ending in one ("zonnepaneelmonteur", "hulpkok")."""
    persons = person_words()
    if word in persons:
        return True
    # Three-letter heads make too many accidental words ("bas-sin", "start-t"): only listed
    # short parts that are titles count.
    return any(word[cut:] in persons if len(word) - cut > _MIN_PART
               else word[cut:] in _SHORT_PARTS and word[cut:] in _titles()
               for cut in range(_MIN_PART, len(word) - _MIN_PART + 1))


def is_word(word: str) -> bool:
    """A word ESCO's texts or the OpenTaal list know."""
    return _is_known(word) or word in dutch_words()


def _without_modifier(word: str) -> str | None:
    """The rest of a compound whose first part says whose it is: "meidenvoetbal" and
    "jongensvoetbal" are "voetbal", "dameskapper" and "herenkapper" are "kapper"."""
    for modifier in GENDER_MODIFIERS:
        rest = word[len(modifier):]
        if word.startswith(modifier) and len(rest) > _MIN_PART and is_word(rest):
            return rest
    return None


def _known_tail(word: str) -> str | None:
    """The longest end of ``word`` of five letters or more that is a known word."""
    return next((word[cut:] for cut in range(len(word) - 4) if is_word(word[cut:])), None)


def _kept(word: str) -> bool:
    """A word base_form leaves alone, or a compound ending in one ("burgemeester", "kernfysica",
    "werktuigbouwkunde")."""
    return word in _KEEP or any(word.endswith(kept) for kept in _KEEP if len(kept) > 4)


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
    if _kept(word):
        return None
    for ending in ("ster", "er"):
        if word.endswith(ending) and word[: -len(ending)] in abbreviations():
            return word[: -len(ending)]
    for female, male in HEADS:
        # brandweervrouw, stalmeisje, buurvrouw, grootmoeder: the front is a word (for moeder
        # and zuster an ESCO word: a "baarmoeder" has no father), or the whole a person.
        front = word[: len(word) - len(female)]
        known = is_word if male in ("man", "jongen") else _is_known
        if word.endswith(female) and len(front) >= _MIN_PART and (
                is_person(front + male) or any(
                    front.endswith(link) and known(front[: len(front) - len(link)])
                    for link in _LINKS)):
            return front + male
    tail = _known_tail(word) if word.endswith("a") else None
    if tail is not None and not is_person(tail):
        return None  # the name of a field: "genetica", "vermogenselektronica"
    # A three-letter base is only a listed short word ("kok"): a "bassin" is no female "bas".
    males = [male for male in male_forms(word) if len(male) > _MIN_PART or male in _SHORT_PARTS]
    for male in males:
        if is_person(male):
            return male
    labels = _word_counts()[0]
    for male in males:
        if male in _EXTRA_WORDS or len(male) <= _MIN_PART:
            continue
        # ESCO writes both in its titles ("koningin", "koning"), or the male form of an agent
        # ending is a Dutch agent noun ("serveerster", "serveerder"). Words of general Dutch
        # alone would take "daarin" for a female "daar" and "piste" for a female "pist".
        if word.endswith(_FEMALE_ENDINGS) and word in labels and male in labels:
            return male
        if word.endswith(_AGENT_FEMALE) and male.endswith(_AGENT_MALE) and is_word(male):
            return male
    return None


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
        if _is_known(singular) or (word.endswith(("s", "en")) and (is_person(singular) or (
                singular.endswith(_AGENT_MALE) and singular in dutch_words()))):
            return _one_spelling(singular)
    return _one_spelling(word)


def _one_spelling(word: str) -> str:
    """-teur and -tor are one job ("operateur", "operator"); -trice is female for both, so
    the -tor form is the base when it is a person word too."""
    if word.endswith("teur") and is_person(word[:-4] + "tor"):
        return word[:-4] + "tor"
    return word


def _part_ok(part: str, dutch: bool = False) -> bool:
    if part in STOPWORDS or part in _NOT_PARTS:
        return False
    if not (_is_known(part) or (dutch and len(part) >= _MIN_PART and part in dutch_words())):
        return False
    # Three letters make too many accidental words ("red-acteur"), so those are listed.
    return len(part) > 3 or part in _SHORT_PARTS


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
    if len(word) < 2 * _MIN_PART or word.isdigit():
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
    if word in _word_counts()[0] and all(seen):
        return True
    mean = math.prod(n or 1 for n in seen) ** (1 / len(parts))
    return mean > counts[word]


def _best_split(word: str, dutch: bool = False) -> tuple[str, ...] | None:
    counts = known_words()
    n = len(word)
    # best[i]: (parts, key) for the prefix word[:i] split into known parts plus linkers.
    best: list[tuple[tuple[str, ...], tuple[int, int]] | None] = [None] * (n + 1)
    best[0] = ((), (0, 0))
    # Forward over split points: parts are at least _MIN_PART long, so best[here] is final
    # by the time the loop reaches it.
    for here in range(n):
        if best[here] is None:
            continue
        parts, (n_parts, rarest) = best[here]
        for link in _LINKS if here else ("",):
            start = here + len(link)
            if word[here:start] != link:
                continue
            for end in range(start + _MIN_PART, n + 1):
                if start == 0 and end == n:
                    continue  # the word itself is not a split
                part = word[start:end]
                if end != n and part not in counts and not (dutch and part in dutch_words()):
                    continue
                if (not _part_ok(part, dutch)
                        and not (end == n and _part_ok(base_form(part), dutch))):
                    continue
                key = (n_parts + 1, max(rarest, -counts[part]) if parts else -counts[part])
                current = best[end]
                if current is None or key < current[1]:
                    best[end] = ((*parts, part), key)
    result = best[n]
    return result[0] if result and len(result[0]) > 1 else None


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
        for link in _LINKS:
            pair = left + link + right
            if pair in base and pair != base and _is_known(pair) and base_form(pair) not in out:
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
                if field not in out and _is_known(field):
                    out.append(field)
                break
    return tuple(out)


def words(text: str) -> list[str]:
    """The normalised words of ``text`` as :func:`tokens` reads them: "auto's" is one word,
    and -er or -ster after an apostrophe or dash is dropped ("ICT'er", "ICT-ster": ict)."""
    return normalise(_APOSTROPHE_S.sub(r"\1s", _AGENT_AFTER_MARK.sub("", text))).split()


def tokens(text: str) -> list[str]:
    """Normalised, gender-neutral, expanded and compound-split tokens of ``text``."""
    out: list[str] = []
    for word in words(text):
        out.extend(word_tokens(word))
    return out


analyse = tokens
