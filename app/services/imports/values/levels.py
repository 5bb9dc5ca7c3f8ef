"""School levels as people write them: one student's level and mbo pathway, and the
levels (or groups of levels, "mbo 2-4", "havo/vwo") a placement is for."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from matching.text import strip_accents

from ....models import Level, Pathway
from ...validation import FieldError, check_levels
from .cells import Invalid, compact, list_items, shown, words_of

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


# (level, vmbo track still needed?, pathway), as the level cell says it.
LevelRead = tuple[Level | None, str | None, Pathway | None]


def _read_level(text: str) -> LevelRead:
    """(level, vmbo track still needed?, pathway) from the level cell."""
    words = words_of(text)
    if not words:
        raise Invalid(_("The level is empty. Write one of: %(choices)s.", choices=LEVEL_CHOICES))
    if words[0] == "mbo":
        return _read_mbo(text, words[1:])
    if words[0] == "vmbo":
        return _read_vmbo(text, words[1:])
    joined = " ".join(w for w in words if w not in ("niveau", "level"))
    if joined in _SINGLE:
        return _SINGLE[joined], None, None
    if joined in ("bb", "kb", "gl", "tl", "bbl", "kbl", "kader", "basis", "gemengd"):
        track = _VMBO_TRACKS[joined]
        raise Invalid(_("'%(value)s' alone is not clear: write vmbo-%(track)s.",
                        value=shown(text), track=track))
    raise _unknown_level(text)


def _read_mbo(text: str, words: list[str]) -> LevelRead:
    """The words after "mbo": its level (1-4 or entree), and bol or bbl."""
    pathway = None
    for word in words:
        if word in ("bol", "bbl"):
            pathway = _PATHWAYS[word]
    rest = [w for w in words if w not in _FILLER and w not in ("bol", "bbl")]
    if rest == ["entree"]:
        return Level.mbo_1, None, pathway
    if len(rest) == 1 and rest[0] in "1234":
        return Level(f"mbo_{rest[0]}"), None, pathway
    if not rest:
        raise Invalid(_("'%(value)s' needs the mbo level: write mbo-1, mbo-2, mbo-3 or "
                        "mbo-4.", value=shown(text)))
    raise _unknown_level(text)


def _read_vmbo(text: str, words: list[str]) -> LevelRead:
    """The words after "vmbo": its track, or none yet (the pathway cell may give it)."""
    rest = [w for w in words if w not in _FILLER and w != "leerweg"]
    if not rest:
        return None, "vmbo", None
    if rest == ["gt"]:
        raise Invalid(_("'%(value)s' is not clear: write vmbo-gl or vmbo-tl.",
                        value=shown(text)))
    tracks = {_VMBO_TRACKS.get(w) for w in rest}
    if len(tracks) == 1 and None not in tracks:
        return Level(f"vmbo_{tracks.pop()}"), None, None
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


_VMBO = (Level.vmbo_bb, Level.vmbo_kb, Level.vmbo_gl, Level.vmbo_tl)
_MBO = (Level.mbo_1, Level.mbo_2, Level.mbo_3, Level.mbo_4)
_RANGE = re.compile(r"\d\s*(?:-|–|t\s*/\s*m|t\.\s*m\.|tot en met|tot|to|until)\s*\d")
_RANGE_WORDS = {"t", "m", "tm", "tot", "en", "met", "to", "until", "bol", "bbl"}


def _levels_of(item: str) -> list[Level]:
    """One item of a levels cell: a level as students are imported ("vmbo-kb", "mbo 2"), or a
    group people write for a placement: "vmbo" (every track), "vmbo bb/kb", "mbo" (every
    level), "mbo 2-4", "mbo-niveau 2 t/m 4", "havo/vwo"."""
    group = _level_group(item)
    if group is not None:
        return group
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


def _level_group(item: str) -> list[Level] | None:
    """The levels of "vmbo" with some tracks or none, of "mbo" or of an mbo range like
    "mbo 2-4"; None when the item is no such group."""
    words = words_of(item)
    rest = [w for w in words[1:] if w not in _FILLER]
    if words[:1] == ["vmbo"] and len(rest) != 1 and all(w in _VMBO_TRACKS for w in rest):
        tracks = {_VMBO_TRACKS[w] for w in rest}
        return [lv for lv in _VMBO if not tracks or lv.value.removeprefix("vmbo_") in tracks]
    if words[:1] != ["mbo"]:
        return None
    digits = [w for w in rest if w not in _RANGE_WORDS]
    if not digits:
        return list(_MBO)
    if (len(digits) == 2 and all(d in "1234" for d in digits)
            and _RANGE.search(strip_accents(item).lower())):
        low, high = sorted(int(d) for d in digits)
        return list(_MBO[low - 1:high])
    return None


def parse_levels(text: str) -> list[Level]:
    """The levels of a list cell, in ladder order, each once."""
    levels = [level for item in list_items(text) for level in _levels_of(item)]
    try:
        return [Level(value) for value in check_levels([lv.value for lv in levels])]
    except FieldError as error:
        raise Invalid(str(error)) from None
