"""The words the text module knows: normalisation, ESCO's and OpenTaal's vocabularies.

``strip_accents``, ``normalise``: lower case, no accents, single spaces.
``known_words()``: words of ESCO's Dutch occupation labels and descriptions with a weight (label
words count double), plus ``EXTRA_WORDS``; ``is_known(word)``.
``dutch_words()``: general Dutch words (OpenTaal); ``is_word(word)``: known or Dutch.
``titles()``: ESCO's one-word job titles; ``person_words()``: those and the heads they end in;
``is_person(word)``: a person word or a compound ending in one ("zonnepaneelmonteur").
``abbreviations()``: what ESCO writes in capitals ("ICT", "CNC").
All are re-exported by :mod:`matching.text`.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_NON_WORD = re.compile(r"[^0-9a-z]+")
_LATIN_COMBINING = re.compile("[\u0300-\u036f]+")
ESCO_OCCUPATIONS = Path(__file__).parent / "data" / "esco_occupations_nl.csv.gz"
DUTCH_WORDS = Path(__file__).parent / "data" / "opentaal_words.txt.gz"


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = wordset(
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
# Common Dutch words that are too rare in the ESCO texts to be known but are parts of
# compounds people write ("werktuigbouwkunde", "zonnepaneel").
EXTRA_WORDS = wordset(
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
# Three-letter words that are common first or last parts of Dutch compounds.
SHORT_PARTS = wordset(
    "kok bus gas dak vis weg zee zon web app ict cad cnc bio hof vee ski spa kas kip koe zoo "
    "bed ijs bar pop man mes vat lak"
)
LINKS = ("", "s", "en", "e", "n")
MIN_PART = 3


def strip_accents(text: str) -> str:
    """'coördinator' -> 'coordinator', 'elektriciën' -> 'elektricien'."""
    if text.isascii():
        return text  # nothing to decompose
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


@dataclass(frozen=True, slots=True)
class WordCounts:
    """How often each word occurs in the ESCO occupation labels, and in the descriptions."""

    labels: Counter[str]
    descriptions: Counter[str]


@cache
def word_counts() -> WordCounts:
    """How often each word occurs in the ESCO occupation labels, and in the descriptions."""
    labels: Counter[str] = Counter()
    texts: Counter[str] = Counter()
    for row in _esco_rows():
        labels.update(normalise(" ".join(_labels(row))).split())
        texts.update(normalise(row["description"]).split())
    labels.update(dict.fromkeys(EXTRA_WORDS, 1))
    return WordCounts(labels, texts)


@cache
def known_words() -> Counter[str]:
    """Known words with a weight: label words count double, one-off description words not."""
    found = word_counts()
    counts = Counter({word: n for word, n in found.descriptions.items() if n >= 2})
    for word, n in found.labels.items():
        counts[word] += 2 * n
    return counts


def is_known(word: str) -> bool:
    return len(word) >= MIN_PART and word in known_words()


@cache
def dutch_words() -> frozenset[str]:
    """General Dutch words (OpenTaal, 3-10 letters, no accents): parts of compounds that ESCO
    does not know ("ingenieursbureau", "staladviseur", "roostermaker")."""
    with gzip.open(DUTCH_WORDS, "rt", encoding="utf-8") as handle:
        return frozenset(handle.read().split())


@cache
def titles() -> frozenset[str]:
    """ESCO's one-word job titles ("lasser", "kok", "autoverkoper")."""
    one_word = (normalise(label) for row in _esco_rows() for label in _labels(row)
                if " " not in label.strip())
    return frozenset(label for label in one_word if label and " " not in label)


@cache
def person_words() -> frozenset[str]:
    """Words that name a person doing a job: ESCO's one-word titles and the heads they end in
    when the rest is a known word too ("autoverkoper" gives "verkoper")."""
    labels = word_counts().labels
    out = set(titles())
    for title in titles():
        for cut in range(MIN_PART, len(title) - MIN_PART):
            rest, found = title[cut:], title[:cut]
            if len(rest) > MIN_PART and rest in labels and any(
                    found.endswith(link) and is_known(found[: len(found) - len(link)])
                    for link in LINKS):
                out.add(rest)
    return frozenset(out)


@cache
def abbreviations() -> frozenset[str]:
    """Words of three to five letters that ESCO writes in capitals ("ICT", "CNC", "CAD") and
    that are no general Dutch words ("KAM" is also a comb), normalised."""
    text = " ".join(part for row in _esco_rows() for part in (*_labels(row), row["description"]))
    return frozenset(word.lower() for word in re.findall(r"\b[A-Z][A-Z0-9]{2,4}\b", text)
                     ) - dutch_words()


def is_person(word: str) -> bool:
    """A person word, or a compound ending in one ("zonnepaneelmonteur", "hulpkok")."""
    persons = person_words()
    if word in persons:
        return True
    # Three-letter heads make too many accidental words ("bas-sin", "start-t"): only listed
    # short parts that are titles count.
    return any(word[cut:] in persons if len(word) - cut > MIN_PART
               else word[cut:] in SHORT_PARTS and word[cut:] in titles()
               for cut in range(MIN_PART, len(word) - MIN_PART + 1))


def is_word(word: str) -> bool:
    """A word ESCO's texts or the OpenTaal list know."""
    return is_known(word) or word in dutch_words()
