"""Female and male forms of Dutch job titles: one spelling rule, used both ways.

Dutch names a trade with a male form that is also the generic one ("lasser", "kok") and makes
the female form from it by changing the ending ("lasster", "kokkin"). The male form is the
*base form*: :func:`matching.text.base_form` brings a female title to it and
:func:`matching.gender.flip_gender` makes the female title from it. This module only knows
spelling, and the words that say who someone is. Which of the forms it proposes is a real word,
and a person, is decided by :func:`matching.word_forms.male_form` with the vocabulary of
:mod:`matching.vocabulary` (ESCO's Dutch labels, the OpenTaal word list): a form is only taken
when its base is a person word (one of ESCO's one-word titles, the head of one, or a compound
ending in one: "zonnepaneelmonteur"), a word ESCO writes next to it in its labels, or a Dutch
agent noun ("serveerder"). So "monster", "venster", "meester", "register", "hamster",
"Amsterdam" or "zone" are left alone.

The rule (female form from the male one)
----------------------------------------
=============  ===================  ======================================================
female ending  male ending          examples
=============  ===================  ======================================================
-ster          -er                  lasster/lasser, verkoopster/verkoper, medewerkster,
                                    schrijfster/schrijver, leesster/lezer, bokster/bokser
-ster          -der (stem in r)     serveerster/serveerder, bestuurster/bestuurder
-ster          -aar, -ier           makelaarster/makelaar, winkelierster/winkelier
-ster          an abbreviation      ICT'ster, ICT-ster, ICTster/ICT'er (base "ict")
-euse          -eur                 monteuse/monteur, chauffeuse/chauffeur
-trice, -rice  -teur, -tor, -eur    directrice/directeur, coordinatrice/coordinator,
                                    ambassadrice/ambassadeur
-in            (none)               kokkin/kok, boerin/boer, cheffin/chef
-es, -esse     (none), -is          lerares/leraar, schilderes/schilder, voogdes/voogd,
                                    secretaresse/secretaris
-ess           (none)               stewardess/steward, hostess/host
-e             (none)               assistente/assistent, analiste/analist,
                                    advocate/advocaat, psychologe/psycholoog,
                                    elektricienne/elektricien, caissiere/caissier
-a             -us, -o              technica/technicus, pizzaiola/pizzaiolo
-vrouw         -man                 brandweervrouw/brandweerman, vakvrouw/vakman
-meisje        -jongen              stalmeisje/staljongen
-moeder        -vader               gastmoeder/gastvader
-zuster        -broeder             ambulancezuster/ambulancebroeder
=============  ===================  ======================================================

Spelling: the stem is written as in a closed syllable before -ster and as in an open one before
a vowel (-er, -in, -es, -e). A short vowel before one consonant doubles the consonant in the open
syllable (las/lasser, kok/kokkin), a long vowel written double is written once (verkoop/verkoper,
leraar/lerares, advocaat/advocate), f and s after a long vowel, a diphthong, l or r are v and z
(schrijfster/schrijver, graafster/graver, leesster/lezer), and a stem ending in s merges with the
s of -ster (oppas/oppaster, boks/bokster). Every function returns candidates, most likely first.

Decisions
---------
- "zuster" and "broeder" alone are words about who someone is (sister or nurse, brother or
  male nurse: the reader cannot tell), like "zus" and "broer": they are dropped, as
  :data:`GENDER_WORDS`. In a compound they are heads of a title: ambulancezuster/-broeder.
- A female -a that is also a field's name ("mechatronica", "genetica", "elektronica") reads as
  the field, unless ESCO uses the word as a title of its own ("technica", "fysica"); the few
  women who write "mechatronica" for themselves read as the field.
- A first part that says whose it is goes: "meidenvoetbal", "jongensvoetbal" and "voetbal" read
  the same (:data:`MODIFIERS`).
- -teur and -tor are one job ("operateur", "operator"); the female -trice serves both, so the
  -tor form is the base when it is a person word.
"""

from __future__ import annotations

_VOWELS = frozenset("aeiou")
# Diphthongs and long vowels written with two letters: the syllable is long, nothing doubles.
_DIGRAPHS = ("ij", "ei", "ui", "ou", "au", "ie", "oe", "eu")

# Compound heads that say who someone is: the female head, the male one.
HEADS = (("vrouw", "man"), ("meisje", "jongen"), ("moeder", "vader"), ("zuster", "broeder"))
# First parts of a compound that say whose it is (meidenvoetbal, herenkapper): the female
# one, the male one. The compound reads as its rest.
MODIFIERS = (("meisjes", "jongens"), ("meiden", "jongens"), ("vrouwen", "mannen"),
             ("dames", "heren"))
GENDER_MODIFIERS = tuple(dict.fromkeys(word for pair in MODIFIERS for word in pair))

# Words about who someone is, as (female, male) pairs; flip_gender swaps them both ways, and a
# word in several pairs flips to the other side of its first pair ("haar" -> "zijn").
GENDER_PAIRS = (
    ("meisje", "jongen"), ("meisjes", "jongens"), ("meid", "gast"), ("meiden", "gasten"),
    ("meidje", "jochie"), ("zij", "hij"), ("ze", "hij"), ("haar", "zijn"), ("haar", "hem"),
    ("dochter", "zoon"), ("dochters", "zonen"), ("dochters", "zoons"), ("zus", "broer"),
    ("zussen", "broers"), ("zusje", "broertje"), ("zusjes", "broertjes"),
    ("zuster", "broeder"), ("zusters", "broeders"), ("moeder", "vader"),
    ("moeders", "vaders"), ("mama", "papa"), ("mamas", "papas"), ("mam", "pap"),
    ("oma", "opa"), ("omas", "opas"), ("tante", "oom"), ("tantes", "ooms"),
    ("nicht", "neef"), ("nichtje", "neefje"), ("nichten", "neven"), ("vriendin", "vriend"),
    ("vriendinnen", "vrienden"), ("vriendinnetje", "vriendje"), ("vrouw", "man"),
    ("vrouwen", "mannen"), ("vrouwtje", "mannetje"), ("vrouwelijk", "mannelijk"),
    ("vrouwelijke", "mannelijke"), ("dame", "heer"), ("dames", "heren"),
    ("mevrouw", "meneer"), ("mevr", "dhr"), ("echtgenote", "echtgenoot"),
    ("prinses", "prins"), ("heldin", "held"), ("girlsday", "boysday"),
    ("girl", "boy"), ("girls", "boys"), ("she", "he"), ("her", "his"), ("her", "him"),
    ("herself", "himself"), ("woman", "man"), ("women", "men"), ("female", "male"),
    ("daughter", "son"), ("mother", "father"), ("sister", "brother"), ("mom", "dad"),
    ("mum", "dad"), ("aunt", "uncle"), ("lady", "gentleman"), ("ladies", "gentlemen"),
)
# Dropped from everything the scorer reads, so that "ik ben een meisje" and "ik ben een jongen"
# read the same; matching.text keeps them whole (no parts, no base form) for that.
GENDER_WORDS = frozenset(word for pair in GENDER_PAIRS for word in pair)

# Ordinary endings of male words and the female endings they take, most likely first. The
# agent -er is handled by :func:`_female_of_er`; a consonant-final word may take -e or -in.
_MALE_SUFFIXES = (
    ("ateur", ("atrice", "ateuse")), ("cteur", ("ctrice", "cteuse")),
    ("iteur", ("itrice", "iteuse")), ("adeur", ("adrice", "adeuse")), ("eur", ("euse",)),
    ("tor", ("trice",)),
    ("icus", ("ica",)), ("us", ("a",)), ("aris", ("aresse",)), ("olo", ("ola",)),
    ("ien", ("ienne",)), ("aar", ("ares", "aarster")), ("ier", ("ierster", "iere")),
)
# Male endings that take a female -e (assistent/assistente, psycholoog/psychologe,
# elektricien/elektricienne) and -es (zanger/zangeres, leraar/lerares, voogd/voogdes). Only
# these: "upgrade", "database" or "tramhalte" are no female forms.
TAKES_E = ("ist", "yst", "ent", "ant", "ect", "aut", "eut", "iet", "ier", "ien", "ion", "oog",
           "oom", "oof", "aaf", "aat", "eet", "oot", "urg", "ling")
TAKES_ES = ("er", "aar", "ard", "gd", "on", "ns", "or")


def _is_vowel(letter: str) -> bool:
    return letter in _VOWELS


def _syllables(word: str) -> int:
    """Groups of vowel letters: a rough count of syllables."""
    return sum(1 for i, letter in enumerate(word)
               if _is_vowel(letter) and (i == 0 or not _is_vowel(word[i - 1])))


def _short_closed(stem: str) -> bool:
    """A single vowel letter before a single final consonant: las, kok, chef (not boer, werk)."""
    return (len(stem) >= 2 and not _is_vowel(stem[-1]) and _is_vowel(stem[-2])
            and (len(stem) < 3 or not _is_vowel(stem[-3])) and stem[-1] not in "wjy")


def _long_closed(stem: str) -> bool:
    """A long vowel written double before a final consonant: verkoop, leraar, lees."""
    return (len(stem) >= 3 and not _is_vowel(stem[-1]) and stem[-2] == stem[-3]
            and _is_vowel(stem[-2]) and (len(stem) < 4 or stem[-4] != stem[-2]))


def _voiced(stem: str) -> str | None:
    """f and s are v and z before a vowel after a long vowel, a diphthong, l or r."""
    if not stem or stem[-1] not in "fs" or _short_closed(stem):
        return None
    before = stem[:-1]
    if before.endswith(_DIGRAPHS) or _long_closed(stem) or before.endswith(("l", "r")):
        return before + {"f": "v", "s": "z"}[stem[-1]]
    return None


def open_forms(stem: str) -> list[str]:
    """How a stem written closed ("las", "verkoop", "schrijf") is written before a vowel."""
    out: list[str] = []
    voiced = _voiced(stem)
    if _short_closed(stem):
        out.append(stem + stem[-1])  # las -> lass(er), kok -> kokk(in)
        if _syllables(stem) == 1:
            return out  # one short syllable always doubles: a hamster is no hamer
    base = voiced or stem
    if _long_closed(base):
        out.append(base[:-3] + base[-2] + base[-1])  # verkoop -> verkop(er), lees -> lez(er)
    elif voiced:
        out.append(voiced)  # schrijf -> schrijv(er), delf -> delv(er)
    out.append(stem)  # werk(er), boer(in), and an unstressed syllable: teken(aar)
    if voiced and _long_closed(stem):
        out.append(stem[:-3] + stem[-2] + stem[-1])  # graaf -> graf(er), as ESCO writes it too
    return list(dict.fromkeys(out))


def closed_forms(stem: str) -> list[str]:
    """How a stem written before a vowel ("kokk", "lerar", "schrijv") is written closed."""
    out: list[str] = []
    if len(stem) > 2 and stem[-1] == stem[-2] and not _is_vowel(stem[-1]):
        out.append(stem[:-1])  # kokk -> kok, cheff -> chef
    devoiced = stem[:-1] + {"v": "f", "z": "s"}[stem[-1]] if stem[-1:] in ("v", "z") else None
    for form in (devoiced, stem):
        if form and len(form) >= 3 and not _is_vowel(form[-1]) and _is_vowel(form[-2]) \
                and not _is_vowel(form[-3]) and not form[:-1].endswith(_DIGRAPHS):
            out.append(form[:-2] + form[-2] + form[-2:])  # lerar -> leraar, verkop -> verkoop
    if devoiced:
        out.append(devoiced)  # schrijv -> schrijf
    out.append(stem)
    return list(dict.fromkeys(f for f in out if f))


def male_forms(word: str) -> list[str]:
    """Male forms a female job title may have, most likely first; [] if it has no female
    ending. The word is normalised (lower case, no accents)."""
    out = [*_male_of_heads(word), *_male_of_agent(word), *_male_of_es(word),
           *_male_of_in_e_a(word)]
    return [form for form in dict.fromkeys(out) if len(form) >= 3 and form != word]


def _male_of_heads(word: str) -> list[str]:
    return [word[: -len(female)] + male for female, male in HEADS
            if word.endswith(female) and len(word) > len(female)]


def _male_of_agent(word: str) -> list[str]:
    """-euse, -trice, -rice and -ster: monteuse, operatrice, ambassadrice, verkoopster."""
    out: list[str] = []
    if word.endswith("euse"):
        out.append(word[:-4] + "eur")
    if word.endswith("trice"):
        out += [word[:-5] + "teur", word[:-5] + "tor"]
    elif word.endswith("rice"):
        out.append(word[:-4] + "eur")  # ambassadrice
    if word.endswith("ster"):
        out += _male_of_ster(word[:-4])
    return out


def _male_of_es(word: str) -> list[str]:
    if word.endswith("esse"):
        return [word[:-4] + "is", word[:-3]]  # secretaresse, stewardesse
    if word.endswith("ess"):
        return [word[:-3]]  # stewardess, hostess
    if word.endswith("es"):
        return [form for form in closed_forms(word[:-2]) if form.endswith(TAKES_ES)]
    return []


def _male_of_in_e_a(word: str) -> list[str]:
    out: list[str] = []
    if word.endswith("in") and not word.endswith(("ein", "ain", "oin", "uin", "ijn")):
        out += closed_forms(word[:-2])  # kokkin, boerin, cheffin
    if word.endswith("e"):
        out += [form for form in closed_forms(word[:-1]) if form.endswith(TAKES_E)]
    if word.endswith("a") and len(word) > 3:
        out += [word[:-1] + "us", word[:-1] + "o"]  # technica, pizzaiola
    return out


def _male_of_ster(stem: str) -> list[str]:
    out: list[str] = []
    # A stem ending in s merges with -ster: oppaster is an oppasser, bokster a bokser.
    if len(stem) < 3:
        return []
    roots = [stem] if stem.endswith("s") else [stem, stem + "s"]
    for root in roots:
        if root.endswith(("aar", "ier", "eur")):
            out.append(root)  # makelaarster, winkelierster
        if root.endswith("r"):
            out.append(root + "der")  # bestuurster, serveerster
        out += [form + "er" for form in open_forms(root)]
    return out


def female_forms(word: str) -> list[str]:
    """Female forms of a male job title, most likely first (the male form is normalised)."""
    out: list[str] = []
    for female, male in HEADS:
        if word.endswith(male) and len(word) > len(male):
            out.append(word[: -len(male)] + female)
    for male, females in _MALE_SUFFIXES:
        if word.endswith(male) and len(word) > len(male) + 1:
            out += [word[: -len(male)] + female for female in females]
            break
    if word.endswith("er") and len(word) > 4:
        out += _female_of_er(word[:-2])
    if not _is_vowel(word[-1:]) and len(word) > 2:
        opened = open_forms(word)
        if word.endswith(TAKES_E):
            out += [form + "e" for form in opened]
        out += [form + "in" for form in opened]
        if word.endswith(TAKES_ES):
            out.append(word + "es")  # voogdes, barones
    return [form for form in dict.fromkeys(out) if form != word]


def _female_of_er(root: str) -> list[str]:
    """lass(er) -> lasster, verkop(er) -> verkoopster, bestuurd(er) -> bestuurster."""
    out: list[str] = []
    if root.endswith("d") and root[-2:-1] == "r":
        out.append(root[:-1] + "ster")  # bestuurder, serveerder
    for closed in closed_forms(root):
        out.append(closed + "ster")
        if closed.endswith("s"):
            out.append(closed[:-1] + "ster")  # oppasser -> oppaster
    out.append(root + "eres")  # zanger -> zangeres, schilder -> schilderes
    return out
