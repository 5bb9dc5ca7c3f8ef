"""Cell values as people write them, into the values the model stores.

Every parser raises :class:`Invalid` with a message that says what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from matching.geo import clean_pc4
from matching.taxonomy import default_matcher
from matching.text import strip_accents

from ...models import (
    ActivityKind,
    Gender,
    Level,
    Pathway,
    Pillar,
    PlacementKind,
    PlacementStatus,
    Theme,
)
from ..validation import FieldError, check_kinds, check_kvk, check_levels, check_pc4, place_of
from ..validation import check_website as _check_website


class Invalid(ValueError):
    """A cell that cannot be used; ``message`` says what to write instead.

    ``column`` names another column of the row when that one is at fault.
    """

    def __init__(self, message: str, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.column = column


def shown(text: str, limit: int = 40) -> str:
    """A cell's text for a message: one line, not too long."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compact(text: str) -> str:
    """Lower case, no accents, only letters and digits: 'Week van de Techniek' -> ..."""
    return re.sub(r"[^0-9a-z]+", "", strip_accents(text).lower())


def _words(text: str) -> list[str]:
    """'MBO-3 (BBL)' -> ['mbo', '3', 'bbl']; 'mbo4' -> ['mbo', '4']."""
    text = strip_accents(text).lower()
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)
    return re.findall(r"[0-9a-z]+", text)


def max_length(model, field: str) -> int:
    return model.__table__.c[field].type.length


# --- text and numbers ----------------------------------------------------------------------

def text_value(text: str, *, limit: int, single_line: bool = True) -> str:
    value = " ".join(text.split()) if single_line else text.strip()
    if len(value) > limit:
        raise Invalid(_("This text has %(length)s characters; at most %(limit)s fit. "
                        "Shorten it.", length=len(value), limit=limit))
    return value


def whole_number(text: str, *, low: int, high: int | None = None, unit: str = "") -> int:
    value = text.strip()
    if unit and value.lower().endswith(unit):
        value = value[: -len(unit)].strip()
    if re.fullmatch(r"\d+[.,]0+", value):  # "12,0" from a spreadsheet's number format
        value = re.split(r"[.,]", value)[0]
    if not re.fullmatch(r"[+-]?\d+", value):
        if high is None:
            raise Invalid(_("'%(value)s' is not a whole number. Write a whole number of "
                            "%(low)s or more.", value=shown(text), low=low))
        raise Invalid(_("'%(value)s' is not a whole number. Write a whole number from "
                        "%(low)s to %(high)s.", value=shown(text), low=low, high=high))
    number = int(value)
    if number < low or (high is not None and number > high):
        if high is None:
            raise Invalid(_("%(value)s is too small. Write a whole number of %(low)s or more.",
                            value=number, low=low))
        raise Invalid(_("%(value)s is not between %(low)s and %(high)s. Write a whole number "
                        "from %(low)s to %(high)s.", value=number, low=low, high=high))
    return number


# --- dates ---------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_DUTCH = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
FIRST_YEAR, LAST_YEAR = 2000, 2099


def parse_date(text: str) -> date:
    """2025-10-07, 7-10-2025, 07/10/2025 or 7.10.2025 (day before month, as in Dutch)."""
    value = text.strip()
    if match := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DUTCH.fullmatch(value):
        day, _sep, month, year = match.groups()
        year, month, day = int(year), int(month), int(day)
    else:
        raise Invalid(_("'%(value)s' is not a date. Write it as 2025-10-07 or 7-10-2025 "
                        "(day, month, year).", value=shown(text)))
    try:
        result = date(year, month, day)
    except ValueError:
        raise Invalid(_("'%(value)s' is not a date that exists: check the day and the month.",
                        value=shown(text))) from None
    if not FIRST_YEAR <= result.year <= LAST_YEAR:
        raise Invalid(_("The year of '%(value)s' looks wrong. Write a date from %(first)s to "
                        "%(last)s.", value=shown(text), first=FIRST_YEAR, last=LAST_YEAR))
    return result


# --- postcodes -----------------------------------------------------------------------------

def parse_postcode(text: str) -> tuple[str, str]:
    """The PC4 and its place; it must be a Dutch postcode that exists."""
    pc4 = clean_pc4(text)
    if pc4 is None:
        raise Invalid(_("'%(value)s' is not a postcode. Write the 4 digits of a Dutch "
                        "postcode, e.g. 6901.", value=shown(text)))
    try:
        check_pc4(pc4)
    except FieldError:
        raise Invalid(_("Postcode %(value)s does not exist. Check it: the 4 digits of a "
                        "Dutch postcode, e.g. 6901.", value=pc4)) from None
    return pc4, place_of(pc4)


# --- people --------------------------------------------------------------------------------

_GENDERS = {
    Gender.girl: ("meisje", "girl", "v", "f", "vrouw", "vrouwelijk", "female", "woman", "meid"),
    Gender.boy: ("jongen", "boy", "m", "man", "mannelijk", "male"),
    Gender.other: ("anders", "other", "x", "divers", "nonbinair", "nonbinary"),
    Gender.not_given: ("", "onbekend", "notgiven", "unknown", "zegiklieverniet",
                       "wilniknietzeggen", "prefernottosay", "geen", "none"),
}
_GENDER = {alias: gender for gender, aliases in _GENDERS.items() for alias in aliases}


def parse_gender(text: str) -> Gender:
    gender = _GENDER.get(compact(text))
    if gender is None:
        raise Invalid(_("'%(value)s' is not a gender we know. Write meisje, jongen or anders "
                        "(girl, boy or other), or leave it empty.", value=shown(text)))
    return gender


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_email(text: str, *, limit: int) -> str:
    value = text.strip().lower()
    if not _EMAIL.fullmatch(value) or len(value) > limit:
        raise Invalid(_("'%(value)s' is not an e-mail address.", value=shown(text)))
    return value


# --- levels --------------------------------------------------------------------------------

_VMBO_TRACKS = {
    "bb": "bb", "b": "bb", "basis": "bb", "basisberoepsgericht": "bb",
    "basisberoepsgerichte": "bb", "bbl": "bb",
    "kb": "kb", "k": "kb", "kader": "kb", "kaderberoepsgericht": "kb",
    "kaderberoepsgerichte": "kb", "kbl": "kb",
    "gl": "gl", "g": "gl", "gemengd": "gl", "gemengde": "gl",
    "tl": "tl", "t": "tl", "theoretisch": "tl", "theoretische": "tl", "mavo": "tl",
}
_PATHWAYS = {"bol": Pathway.bol, "bbl": Pathway.bbl,
             "beroepsopleidende": Pathway.bol, "beroepsbegeleidende": Pathway.bbl}
_FILLER = {"niveau", "level", "leerweg", "onderwijs", "de", "het"}
_SINGLE = {
    "basisonderwijs": Level.basis, "basisschool": Level.basis, "po": Level.basis,
    "primair onderwijs": Level.basis, "primary": Level.basis, "primary school": Level.basis,
    "bao": Level.basis, "basis onderwijs": Level.basis,
    "havo": Level.havo, "vwo": Level.vwo, "atheneum": Level.vwo, "gymnasium": Level.vwo,
    "mavo": Level.vmbo_tl, "hbo": Level.hbo, "hogeschool": Level.hbo, "hbo bachelor": Level.hbo,
    "entree": Level.mbo_1, "entreeopleiding": Level.mbo_1,
}
LEVEL_CHOICES = ("basisonderwijs, vmbo-bb, vmbo-kb, vmbo-gl, vmbo-tl, havo, vwo, mbo-1, "
                 "mbo-2, mbo-3, mbo-4, hbo")


def _unknown_level(text: str) -> Invalid:
    return Invalid(_("'%(value)s' is not a level. Write one of: %(choices)s.",
                     value=shown(text), choices=LEVEL_CHOICES))


def _read_level(text: str) -> tuple[Level | None, str | None, Pathway | None]:
    """(level, vmbo track still needed?, pathway) from the level cell."""
    words = _words(text)
    if not words:
        raise Invalid(_("The level is empty. Write one of: %(choices)s.", choices=LEVEL_CHOICES))
    pathway = None
    if words[0] == "mbo":
        for word in words[1:]:
            if word in ("bol", "bbl"):
                pathway = _PATHWAYS[word]
        rest = [w for w in words[1:] if w not in _FILLER and w not in ("bol", "bbl")]
        if rest == ["entree"]:
            return Level.mbo_1, None, pathway
        if len(rest) == 1 and rest[0] in "1234":
            return Level(f"mbo_{rest[0]}"), None, pathway
        if not rest:
            raise Invalid(_("'%(value)s' needs the mbo level: write mbo-1, mbo-2, mbo-3 or "
                            "mbo-4.", value=shown(text)))
        raise _unknown_level(text)
    if words[0] == "vmbo":
        rest = [w for w in words[1:] if w not in _FILLER and w != "leerweg"]
        if not rest:
            return None, "vmbo", None
        if rest == ["gt"]:
            raise Invalid(_("'%(value)s' is not clear: write vmbo-gl or vmbo-tl.",
                            value=shown(text)))
        tracks = {_VMBO_TRACKS.get(w) for w in rest}
        if len(tracks) == 1 and None not in tracks:
            return Level(f"vmbo_{tracks.pop()}"), None, None
        raise _unknown_level(text)
    joined = " ".join(w for w in words if w not in ("niveau", "level"))
    if joined in _SINGLE:
        return _SINGLE[joined], None, None
    if joined in ("bb", "kb", "gl", "tl", "bbl", "kbl", "kader", "basis", "gemengd"):
        track = _VMBO_TRACKS[joined]
        raise Invalid(_("'%(value)s' alone is not clear: write vmbo-%(track)s.",
                        value=shown(text), track=track))
    raise _unknown_level(text)


def parse_level(level_text: str, pathway_text: str = "") -> tuple[Level, Pathway | None]:
    """Level and (for mbo) pathway, from the level cell and an optional leerweg cell."""
    level, needs_track, pathway = _read_level(level_text)
    extra = compact(pathway_text)  # "Beroepsbegeleidende leerweg" -> "beroepsbegeleidendeleerweg"
    column_pathway = next((p for word, p in _PATHWAYS.items() if extra.startswith(word)), None)
    column_track = _VMBO_TRACKS.get(extra) if column_pathway is None else None
    if extra == "bbl" and (level is None or level.value.startswith("vmbo")):
        column_pathway, column_track = None, "bb"  # vmbo-bbl: the old name of vmbo-bb
    if extra and column_pathway is None and column_track is None:
        raise Invalid(_("'%(value)s' is not a pathway. Write bol or bbl (mbo), or bb, kb, gl "
                        "or tl (vmbo), or leave it empty.", value=shown(pathway_text)),
                      column="pathway")
    if needs_track:
        if column_track is None:
            raise Invalid(_("'%(value)s' needs the track: write vmbo-bb, vmbo-kb, vmbo-gl or "
                            "vmbo-tl.", value=shown(level_text)))
        return Level(f"vmbo_{column_track}"), None
    assert level is not None
    if column_track is not None:
        if level.value != f"vmbo_{column_track}":
            raise Invalid(_("The pathway '%(value)s' does not fit the level %(level)s.",
                            value=shown(pathway_text), level=shown(level_text)),
                          column="pathway")
        return level, None
    if column_pathway is not None:
        if not level.value.startswith("mbo"):
            raise Invalid(_("BOL and BBL are only for mbo students; leave the pathway empty "
                            "for %(level)s.", level=shown(level_text)), column="pathway")
        if pathway is not None and pathway is not column_pathway:
            raise Invalid(_("The level says %(level)s but the pathway says %(value)s: keep "
                            "one.", level=shown(level_text), value=shown(pathway_text)),
                          column="pathway")
        pathway = column_pathway
    return level, pathway


# --- activities ----------------------------------------------------------------------------

_KINDS = {
    ActivityKind.tech_week: ("week van de techniek", "techniekweek", "week of technology",
                             "tech week"),
    ActivityKind.talent_scouting: ("talentscouting", "talent scouting", "scouting",
                                   "talentscout"),
    ActivityKind.technieklokaal: ("technieklokaal", "technieklokaal les", "technieklokaalles",
                                  "les in het technieklokaal", "technology classroom",
                                  "technology classroom lesson"),
    ActivityKind.girlsday: ("girlsday", "girls day", "girlday"),
    ActivityKind.pet_event: ("pet", "pet event", "pet evenement", "pet-evenement"),
    ActivityKind.company_visit: ("bedrijfsbezoek", "company visit"),
    ActivityKind.guest_lesson: ("gastles", "guest lesson"),
    ActivityKind.fieldlab: ("fieldlab", "field lab"),
    ActivityKind.other: ("anders", "other", "overig", "overige", "other activity"),
}
_KIND = {compact(alias): kind for kind, aliases in _KINDS.items()
         for alias in (*aliases, kind.value)}
_PILLARS = {
    Pillar.kiezen: ("kiezen", "choosing", "kiezen voor techniek", "choosing technology"),
    Pillar.leren: ("leren", "learning", "leren in techniek", "leren in de techniek",
                   "learning technology"),
    Pillar.werken: ("werken", "working", "werken in techniek", "werken in de techniek",
                    "working in technology"),
    Pillar.innoveren: ("innoveren", "innovating", "innoveren in techniek",
                       "innoveren in de techniek", "innovating in technology"),
}
_PILLAR = {compact(alias): pillar for pillar, aliases in _PILLARS.items() for alias in aliases}


def parse_kind(text: str) -> ActivityKind:
    kind = _KIND.get(compact(text))
    if kind is None:
        raise Invalid(_("'%(value)s' is not a kind of activity. Write one of: Week van de "
                        "Techniek, talentscouting, technieklokaal, Girlsday, PET, "
                        "bedrijfsbezoek, gastles, fieldlab, anders.", value=shown(text)))
    return kind


def parse_pillar(text: str) -> Pillar:
    pillar = _PILLAR.get(compact(text))
    if pillar is None:
        raise Invalid(_("'%(value)s' is not a pillar. Write kiezen, leren, werken or "
                        "innoveren (choosing, learning, working, innovating).",
                        value=shown(text)))
    return pillar


def parse_kvk(text: str) -> str:
    """8 digits; 7 digits are a KvK number whose leading 0 a spreadsheet dropped."""
    digits = re.sub(r"[\s.]", "", text)
    if digits.isdigit() and len(digits) == 7:
        digits = "0" + digits
    try:
        return check_kvk(digits)
    except FieldError:
        raise Invalid(_("'%(value)s' is not a KvK number. Write the 8 digits of the "
                        "company's KvK number.", value=shown(text))) from None


# --- lists ---------------------------------------------------------------------------------

# Between the items of a list cell (themes, levels, kinds): ";" or "|", also "," and a line
# break. In a file separated by semicolons a cell with ";" in it must be quoted (spreadsheets
# do that themselves); typed by hand, "|" is the separator that always works.
LIST_SEPARATORS = re.compile(r"[;|,\n]")
_THEME_SEPARATORS = LIST_SEPARATORS


def list_items(text: str) -> list[str]:
    """The non-empty items of a list cell, each on one line."""
    return [item for part in LIST_SEPARATORS.split(text) if (item := " ".join(part.split()))]


# --- yes and no ----------------------------------------------------------------------------

_YES = {"ja", "j", "yes", "y", "1", "waar", "true", "x", "wel"}
_NO = {"nee", "n", "no", "0", "onwaar", "false", "niet", "geen"}


def parse_yes_no(text: str) -> bool:
    value = compact(text)
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise Invalid(_("'%(value)s' is not yes or no. Write ja or nee (yes or no, 1 or 0).",
                    value=shown(text)))


# --- companies and placements --------------------------------------------------------------

def parse_website(text: str, *, limit: int) -> str:
    try:
        website = _check_website(text)
    except FieldError as error:
        raise Invalid(str(error)) from None
    if len(website) > limit:
        raise Invalid(_("This web address has %(length)s characters; at most %(limit)s fit.",
                        length=len(website), limit=limit))
    return website


_PLACEMENT_KINDS = {
    PlacementKind.snuffelstage: ("snuffelstage", "snuffel stage", "snuffelen", "snuffeldag",
                                 "meeloopstage", "meeloopdag", "job shadowing", "jobshadowing",
                                 "taster"),
    PlacementKind.bol_internship: ("stage", "bol", "bol stage", "bol-stage", "bpv", "bpv stage",
                                   "beroepspraktijkvorming", "mbo stage", "internship",
                                   "bol internship", "mbo internship"),
    PlacementKind.bbl_apprenticeship: ("leerbaan", "bbl", "bbl baan", "bbl plaats",
                                       "bbl-plek", "leerwerkplek", "leerwerkbaan",
                                       "apprenticeship", "bbl apprenticeship"),
    PlacementKind.hbo_internship: ("hbo stage", "hbo-stage", "hbostage", "hbo internship"),
    PlacementKind.graduation_project: ("afstudeeropdracht", "afstudeerstage", "afstuderen",
                                       "afstudeerproject", "graduation",
                                       "graduation project", "graduation internship"),
    PlacementKind.fieldlab_project: ("fieldlab", "field lab", "fieldlab project",
                                     "fieldlabproject", "fieldlab opdracht"),
}
_PLACEMENT_KIND = {compact(alias): kind for kind, aliases in _PLACEMENT_KINDS.items()
                   for alias in (*aliases, kind.value)}
PLACEMENT_KIND_CHOICES = ("snuffelstage, stage (BOL), leerbaan (BBL), hbo-stage, "
                          "afstudeeropdracht, fieldlab")


def parse_placement_kind(text: str) -> PlacementKind:
    kind = _PLACEMENT_KIND.get(compact(text))
    if kind is None:
        raise Invalid(_("'%(value)s' is not a kind of placement. Write one of: %(choices)s.",
                        value=shown(text), choices=PLACEMENT_KIND_CHOICES))
    return kind


def parse_placement_kinds(text: str) -> list[PlacementKind]:
    """Kinds of placement in a list cell, in their usual order, each once."""
    kinds = [parse_placement_kind(item) for item in list_items(text)]
    return [PlacementKind(value) for value in check_kinds([k.value for k in kinds])]


_STATUSES = {
    PlacementStatus.draft: ("concept", "draft", "klad", "voorbereiding"),
    PlacementStatus.open: ("open", "opened", "gepubliceerd", "published", "online", "actief",
                           "active"),
    PlacementStatus.paused: ("gepauzeerd", "pauze", "paused", "pause", "on hold", "tijdelijk dicht",
                             "gestopt"),
    PlacementStatus.closed: ("gesloten", "dicht", "closed", "vol", "full", "afgesloten"),
}
_STATUS = {compact(alias): status for status, aliases in _STATUSES.items()
           for alias in aliases}


def parse_placement_status(text: str) -> PlacementStatus:
    status = _STATUS.get(compact(text))
    if status is None:
        raise Invalid(_("'%(value)s' is not a status. Write open, gepauzeerd or gesloten "
                        "(open, paused or closed), or concept (draft).", value=shown(text)))
    return status


_VMBO = (Level.vmbo_bb, Level.vmbo_kb, Level.vmbo_gl, Level.vmbo_tl)
_MBO = (Level.mbo_1, Level.mbo_2, Level.mbo_3, Level.mbo_4)
_RANGE = re.compile(r"\d\s*(?:-|–|t\s*/\s*m|t\.\s*m\.|tot en met|tot|to|until)\s*\d")
_RANGE_WORDS = {"t", "m", "tm", "tot", "en", "met", "to", "until", "bol", "bbl"}


def _levels_of(item: str) -> list[Level]:
    """One item of a levels cell: a level as students are imported ("vmbo-kb", "mbo 2"), or a
    group people write for a placement: "vmbo" (every track), "vmbo bb/kb", "mbo" (every
    level), "mbo 2-4", "mbo-niveau 2 t/m 4", "havo/vwo"."""
    words = _words(item)
    rest = [w for w in words[1:] if w not in _FILLER]
    if words[:1] == ["vmbo"] and len(rest) != 1 and all(w in _VMBO_TRACKS for w in rest):
        tracks = {_VMBO_TRACKS[w] for w in rest}
        return [lv for lv in _VMBO if not tracks or lv.value.removeprefix("vmbo_") in tracks]
    if words[:1] == ["mbo"]:
        digits = [w for w in rest if w not in _RANGE_WORDS]
        if not digits:
            return list(_MBO)
        if (len(digits) == 2 and all(d in "1234" for d in digits)
                and _RANGE.search(strip_accents(item).lower())):
            low, high = sorted(int(d) for d in digits)
            return list(_MBO[low - 1:high])
    try:
        level, _track, _pathway = _read_level(item)
    except Invalid:
        parts = [part for part in item.split("/") if part.strip()]
        if len(parts) < 2:
            raise
        return [level for part in parts for level in _levels_of(part)]
    if level is None:  # "vmbo leerweg": every track
        return list(_VMBO)
    return [level]


def parse_levels(text: str) -> list[Level]:
    """The levels of a list cell, in ladder order, each once."""
    levels = [level for item in list_items(text) for level in _levels_of(item)]
    try:
        return [Level(value) for value in check_levels([lv.value for lv in levels])]
    except FieldError as error:
        raise Invalid(str(error)) from None


class ThemeResolver:
    """Theme texts into Theme rows, forgiving spelling; caches each distinct text."""

    def __init__(self, themes: Iterable[Theme]):
        self.by_slug = {theme.slug: theme for theme in themes}
        self.matcher = default_matcher()
        self._cache: dict[str, Theme | str] = {}
        locale = get_locale()
        self._english = locale is not None and locale.language == "en"

    def _label(self, hit) -> str:
        return hit.label_en if self._english else hit.label_nl

    def _one(self, part: str) -> Theme | str:
        hit = self.matcher.resolve(part)
        if hit is not None and hit.slug in self.by_slug:
            return self.by_slug[hit.slug]
        hits = [h for h in self.matcher.search(part, limit=3) if h.slug in self.by_slug]
        # Only the hits about as good as the best one: "did you mean" should not ramble.
        suggestions = [self._label(h) for h in hits if h.score >= hits[0].score - 10]
        if suggestions:
            return _("Unknown theme '%(value)s'. Did you mean %(suggestions)s?",
                     value=shown(part), suggestions=", ".join(suggestions))
        return _("Unknown theme '%(value)s'. The import help lists the themes you can use.",
                 value=shown(part))

    def resolve(self, text: str) -> tuple[list[Theme], list[str]]:
        """The themes in a cell, and a message for each part that is not a theme."""
        themes: dict[int, Theme] = {}
        errors: list[str] = []
        for part in _THEME_SEPARATORS.split(text):
            part = " ".join(part.split())
            if not part:
                continue
            key = part.lower()
            if key not in self._cache:
                self._cache[key] = self._one(part)
            found = self._cache[key]
            if isinstance(found, str):
                errors.append(found)
            else:
                themes.setdefault(found.id, found)
        return list(themes.values()), errors
