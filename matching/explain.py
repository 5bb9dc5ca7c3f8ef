"""One plain sentence that tells a 14-year-old why a placement was proposed.

The sentence is built from the same facts the score used, strongest first: what the student
showed at an activity (talent evidence), else what they said they like, else the words they
wrote; then what the placement is about, and how far it is from home. A placement there for
the student's talent and not for anything they said they like is put as an invitation: "Je liet
bij de Week van de Techniek zien dat je goed bent in solderen: wil je eens kijken bij ...?" It
is made in Dutch and in English from the same parts, and the parts themselves are kept so that
a counsellor's page can show them next to the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from .profiles import Evidence
from .records import PlacementRecord, StudentRecord
from .taxonomy import ThemeDef, load_themes


@dataclass(frozen=True, slots=True)
class Explanation:
    text_nl: str
    text_en: str
    parts: dict

    def text(self, language: str = "nl") -> str:
        return self.text_en if language == "en" else self.text_nl


def _first_skill(skills: str) -> str:
    for separator in (",", ";", "\n"):
        skills = skills.split(separator)[0]
    skills = skills.strip().rstrip(".!").strip()
    # A scout writes "Werkt veilig" or "PLC": lower case mid-sentence, acronyms kept.
    skills = skills if skills[:2].isupper() else skills[:1].lower() + skills[1:]
    # "solderen en lassen" is a list, its first item enough; "vijlt en boort heel precies"
    # is one clause that "en" does not end.
    if skills and not _verb_led(skills.split()):
        skills = skills.split(" en ")[0].strip()
    return skills


def _label(themes: dict[str, ThemeDef], slug: str, language: str) -> str:
    theme = themes.get(slug)
    if theme is None:
        return slug
    label = theme.label_en if language == "en" else theme.label_nl
    # Acronyms ("ICT") keep their capitals; ordinary words read better in lower case mid-sentence.
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def explain(*, student: StudentRecord, placement: PlacementRecord, components: dict[str, float],
            shared_themes: tuple[str, ...], shared_words: tuple[str, ...],
            distance_km: float | None, evidence: Evidence | None,
            themes: dict[str, ThemeDef], stated: float, shown: float,
            interest_theme: str = "") -> Explanation:
    """``evidence`` is the student's strongest talent evidence for one of the placement's
    themes; ``interest_theme`` the placement theme the student said they like most. ``stated``
    and ``shown`` are how well the placement's themes fit what the student said they like and
    what they showed (each in [0, 1]). The sentence only ever names the theme its claim is
    about, and never claims an interest the student did not state."""
    talent_counts = evidence is not None and shown > 0 and shown >= 0.5 * stated
    parts: dict = {"theme": shared_themes[0] if shared_themes else "",
                   "distance_km": distance_km,
                   "role_model": bool(student.wants_role_model and placement.female_role_model),
                   # Led by talent the student never named: an invitation to have a look.
                   "invite": bool(talent_counts and stated < 0.25 and placement.company),
                   "company": placement.company}
    if talent_counts and evidence is not None and evidence.observed:
        parts |= {"why": "observed", "activity": evidence.activity, "theme": evidence.theme,
                  "skill": _first_skill(evidence.skills)}
    elif talent_counts and evidence is not None:
        parts |= {"why": "took_part", "activity": evidence.activity, "theme": evidence.theme}
    elif interest_theme and components["themes"] > 0:
        parts |= {"why": "interest", "theme": interest_theme}
    elif shared_words:
        parts |= {"why": "words", "words": list(shared_words[:2])}
    else:
        parts |= {"why": "practical"}
    return Explanation(_render(parts, themes, "nl"), _render(parts, themes, "en"), parts)


def render(parts: dict, language: str = "nl",
           themes: dict[str, ThemeDef] | None = None) -> str:
    """The sentence for stored ``parts`` in ``language`` ("nl" or "en")."""
    if themes is None:
        themes = {theme.slug: theme for theme in load_themes()}
    return _render(parts, themes, language)


# Scouts write what they saw about the student, mostly led by a verb in the third person
# ("werkt veilig op hoogte", "heeft een vaste hand"). Said to the student it becomes a main
# clause with "je" (the finite verb stays second, which a "dat"-clause would not allow):
# regular verbs keep their form, these change. A note not led by a verb stays a quote.
_SECOND_PERSON = {"is": "bent", "heeft": "hebt", "kan": "kunt", "wil": "wilt", "zal": "zult"}
# Further on only what cannot mean anything but the student ("zijn" may be a verb, "ze" the
# machine).
_YOURSELF = {"zichzelf": "jezelf", "zijn/haar": "je"}
_VERBS = frozenset({"is", "heeft", "kan", "wil", "zal", "mag", "moet", "gaat", "doet", "ziet",
                    "staat", "komt", "weet", "zet", "let", "past", "meet", "test"})
# Words ending in -t that lead a note without being its verb.
_NOT_VERBS = frozenset({"echt", "vlot", "net", "recht", "licht", "zacht", "slecht", "best",
                        "niet", "met", "het", "uiterst", "goed", "snel", "heel", "erg", "zeer",
                        "altijd", "rustig", "precies", "nauwkeurig", "creatief"})
_MAX_SKILL_WORDS = 7
_MAX_QUOTED_WORDS = 3
_REASONS = {
    "observed": ("Je liet bij {activity} zien dat je talent hebt voor {theme}",
                 "At {activity} you showed a talent for {theme}"),
    "took_part": ("Je deed mee aan {activity} over {theme}",
                  "You took part in {activity} about {theme}"),
    "interest": ("Je vindt {theme} interessant", "You are interested in {theme}"),
    "words": ("Je schreef over {quoted}", "You wrote about {quoted}"),
    "practical": ("Dit past bij je niveau en wanneer je kunt",
                  "This fits your level and when you are available"),
}


def _render(parts: dict, themes: dict[str, ThemeDef], language: str) -> str:
    nl = language != "en"
    theme = _label(themes, parts["theme"], language) if parts["theme"] else ""
    why = parts["why"]
    invited = bool(parts.get("invite")) and why in ("observed", "took_part")
    sentence = _reason(parts, theme, nl)
    if invited:
        sentence = _invitation(sentence, parts["company"], nl)
    elif theme and why in ("observed", "interest", "words"):
        sentence += (f", en dit bedrijf zoekt iemand voor {theme}" if nl
                     else f", and this company is looking for someone in {theme}")
    sentence += _distance(parts["distance_km"], nl)
    sentence += "?" if invited else "."
    if parts["role_model"]:
        sentence += (" Er werkt een vrouw die je als rolmodel kan begeleiden." if nl
                     else " A woman there can guide you as a role model.")
    return sentence


def _verb_led(words: list[str]) -> bool:
    first = words[0]
    return first in _VERBS or (len(first) > 2 and first.endswith("t") and first.isalpha()
                               and first not in _NOT_VERBS)


def _observed_skill(skill: str, activity: str) -> str | None:
    """The scout's note said to the student in Dutch, or None when it does not fit a
    sentence (too long, or empty)."""
    words = skill.split()
    if not words or len(words) > _MAX_SKILL_WORDS:
        return None
    if _verb_led(words):
        told = " ".join([_SECOND_PERSON.get(words[0], words[0]),
                         *(_YOURSELF.get(word, word) for word in words[1:])])
        return f"Bij {activity} zag een scout: je {told}"
    if len(words) == 1:  # "solderen", "CNC": what the student is good at
        return f"Je liet bij {activity} zien dat je goed bent in {skill}"
    if len(words) <= _MAX_QUOTED_WORDS:
        return f"Bij {activity} schreef een scout over je: ‘{skill}’"
    return None  # a longer note does not fit the sentence; the theme says it plainly


def _reason(parts: dict, theme: str, nl: bool) -> str:
    """The sentence's start: why the placement was proposed."""
    why = parts["why"]
    activity = parts.get("activity") or ("een activiteit" if nl else "an activity")
    if why == "observed" and nl and parts.get("skill"):
        told = _observed_skill(parts["skill"], activity)
        if told is not None:
            return told
    elif why == "observed" and len(parts.get("skill", "").split()) == 1:
        # One word ("solderen") can stand in an English sentence; a Dutch note cannot, and
        # the theme says it instead.
        return f"At {activity} you showed you are good at {parts['skill']}"
    nl_text, en_text = _REASONS.get(why, _REASONS["practical"])
    quoted = (" en " if nl else " and ").join(f"‘{w}’" for w in parts["words"]) \
        if why == "words" else ""
    return (nl_text if nl else en_text).format(activity=activity, theme=theme, quoted=quoted)


def _invitation(sentence: str, company: str, nl: bool) -> str:
    """The sentence as an invitation to have a look at the company."""
    # An activity's own title may hold a colon already; then the question stands apart.
    apart = ":" in sentence
    if nl:
        ask = ("Wil" if apart else "wil") + f" je eens kijken bij {company}"
    else:
        ask = ("Would" if apart else "would") + f" you like to have a look at {company}"
    return sentence + (". " if apart else ": ") + ask


def _distance(distance: float | None, nl: bool) -> str:
    if distance is None:
        return ""
    if distance < 1:
        return ", vlak bij huis" if nl else ", close to home"
    km = round(distance)
    return f", {km} km van huis" if nl else f", {km} km from home"
