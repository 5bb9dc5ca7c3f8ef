"""The ESCO occupation a placement's title names: found once when the placement is saved,
or chosen by the company from suggestions when the title says too little or misleads.

A choice is kept when the title changes later (``Placement.occupation_chosen_for``), and it is
a title mapped by a person: ``chosen_examples`` gives them in the occupation normaliser's
examples format, so they can be learned from as UWV's mapped titles are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from matching.occupations import (
    CONFIDENT_SCORE,
    Occupation,
    OccupationNormaliser,
    default_normaliser,
)
from matching.reranking import text_key

from ..models import Placement, PlacementStatus, utcnow
from .errors import ServiceError
from .matching import after_placement_change
from .rows import id_of
from .validation import column_length

# Below this the best occupation is a guess ("3D-printspecialist" finds "medisch specialist"
# at 0.23, "CNC-operator" the right operator at 0.39): the placement then simply has none, as
# a wrong occupation would add wrong themes.
MIN_SCORE = CONFIDENT_SCORE
# ESCO's labels fit in the column; the cut keeps a longer one from failing a save.
LABEL_MAX = column_length(Placement, "occupation_label")
# Words of a placement title that say what kind of placement it is, not what the work is
# ("Hbo-stage" must not find a "stage manager").
_KIND_WORDS = re.compile(
    r"\b(snuffelstage|meeloopstage|meeloopdag|meewerkstage|hbo-stage|mbo-stage|stageplek|"
    r"stagiaire|stagiair|stage|bbl-plek|bpv-plek|bol-plek|bbl|bpv|bol|leerbaan|leerwerkplek|"
    r"leer-werkplek|werkervaringsplaats|fieldlabproject|fieldlab|afstudeeropdracht|"
    r"afstudeerstage|plek|vacature|gezocht)\b", re.IGNORECASE)


@cache
def normaliser() -> OccupationNormaliser:
    return default_normaliser()


_EMPTY_BRACKETS = re.compile(r"\(\W*\)")


def _work_words(title: str) -> str:
    """The title without the words for the kind of placement ("Leerbaan autotechnicus (BBL)"
    -> "autotechnicus")."""
    rest = _EMPTY_BRACKETS.sub(" ", _KIND_WORDS.sub(" ", title))
    return " ".join(rest.split()).strip(" :-–")


def best_occupation(title: str) -> tuple[str, str]:
    """(ESCO code, label) for a title, or ("", "") when nothing fits well enough."""
    if not title.strip():
        return "", ""
    work = _work_words(title)
    if not work.strip():
        return "", ""
    found = normaliser().rank_one(work, k=1)
    if not found or found[0].score < MIN_SCORE:
        return "", ""
    return found[0].code, found[0].label[:LABEL_MAX]


def set_occupation(placement: Placement) -> None:
    placement.occupation_code, placement.occupation_label = best_occupation(placement.title)


# --- the company's own choice ------------------------------------------------------------

# Auto: let Talentmatch find the occupation in the title again; none: no occupation fits.
AUTOMATIC, NONE = "auto", "none"
QUERY_MAX = 100
SUGGESTIONS = 8
# The re-ranker gives every text a few guesses, even "qwxz"; a suggestion also needs this much
# evidence in the words themselves (the fused signals: "lasr" finds "lasinspecteur" at 0.10,
# "asdf" nothing above 0.04).
MIN_EVIDENCE = 0.1


class OccupationError(ServiceError):
    """An occupation that cannot be chosen; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    code: str
    label: str


@cache
def _position() -> dict[str, int]:
    """Where each ESCO code sits among the normaliser's occupations."""
    return {o.code: i for i, o in enumerate(normaliser().occupations_) if o.code}


def _occupation(code: str) -> Occupation | None:
    position = _position().get(code)
    return None if position is None else normaliser().occupations_[position]


def occupation_label(code: str) -> str:
    """The preferred Dutch label of an ESCO occupation code, as a placement stores it; "" for
    an unknown code."""
    found = _occupation(code)
    return found.preferred_label[:LABEL_MAX] if found else ""


# What a file may write for "no occupation fits", and for "find it in the title".
NONE_WORDS = frozenset({"geen", "geen beroep", "none", "no occupation"})
AUTOMATIC_WORDS = frozenset({"automatisch", "automatic"})


def means_automatic(value: str) -> bool:
    """Whether a file's occupation cell asks to find the occupation in the title."""
    return text_key(value) in AUTOMATIC_WORDS


@cache
def _by_name() -> dict[str, tuple[str, ...]]:
    """ESCO codes by their preferred Dutch label and by their URI (both as ``text_key``); ESCO
    gives a few labels ("portier", "banketbakker") to two occupations."""
    out: dict[str, dict[str, None]] = {}
    for occupation in normaliser().occupations_:
        if occupation.code:
            for key in (text_key(occupation.preferred_label), text_key(occupation.uri)):
                out.setdefault(key, {})[occupation.code] = None
    return {key: tuple(codes) for key, codes in out.items()}


def occupation_named(value: str) -> tuple[str, str]:
    """(code, label) of the ESCO occupation a file names by its code, its preferred Dutch
    label or its URI; ("", "") for ``NONE_WORDS``. An unknown or ambiguous one raises
    ``OccupationError`` naming the occupations it may be, so the person can copy the code."""
    value = " ".join(value.split())
    if text_key(value) in NONE_WORDS:
        return "", ""
    codes = (value,) if _occupation(value) is not None else _by_name().get(text_key(value), ())
    if len(codes) == 1:
        return codes[0], occupation_label(codes[0])
    if codes:
        raise OccupationError(_(
            "ESCO has more than one occupation called “%(value)s”: %(occupations)s. Write the "
            "code of the one you mean.", value=value,
            occupations=", ".join(f"{occupation_label(c)} ({c})" for c in codes)))
    close = _closest(value)
    message = _("“%(value)s” is not an ESCO occupation. Write its code (e.g. 7212.3) or its "
                "name as ESCO writes it (e.g. lasser), geen when no occupation fits, or "
                "automatisch to let Talentmatch find it in the title.",
                value=value[:QUERY_MAX])
    if close:
        message += " " + _("Perhaps: %(occupations)s.", occupations=close)
    raise OccupationError(message)


@lru_cache(maxsize=4096)
def _closest(value: str) -> str:
    # A file often repeats one wrong name on many rows; each costs a ranking only once.
    return ", ".join(f"{s.label} ({s.code})" for s in suggestions(text=value, k=3))


def suggestions(*, text: str, k: int = SUGGESTIONS) -> list[Suggestion]:
    """The occupations ``text`` most likely names, best first, without the words that only
    say what kind of placement it is; [] for a text without usable words."""
    work = _work_words(text[:QUERY_MAX])
    if not work.strip():
        return []
    model = normaliser()
    evidence = model.fuse(model.signals([work]))[0]
    out: dict[str, Suggestion] = {}
    # ESCO lists a few occupations twice under one code; one radio button each is enough.
    for m in model.rank_one(work, k=k + 4):
        if m.code not in out and evidence[_position()[m.code]] >= MIN_EVIDENCE:
            out[m.code] = Suggestion(m.code, m.label)
    return list(out.values())[:k]


def choose_occupation(*, session: Session, placement: Placement, code: str) -> Placement:
    """Set the placement's occupation to ESCO ``code``, to none (``NONE``), or back to the one
    found in the title (``AUTOMATIC``), and re-score its proposals."""
    session.refresh(placement, ["status"])
    if placement.status is PlacementStatus.closed:
        raise OccupationError(_("This placement is closed and cannot be changed any more."))
    code = (code or "").strip()
    if code == AUTOMATIC:
        placement.occupation_chosen_for = ""
        placement.occupation_code, placement.occupation_label = best_occupation(
            placement.title)
    elif code == NONE:
        placement.occupation_chosen_for = placement.title
        placement.occupation_code, placement.occupation_label = "", ""
    else:
        label = occupation_label(code)
        if not label:
            raise OccupationError(_("Choose one of the occupations in the list, or search for "
                                    "another."), field="code")
        placement.occupation_chosen_for = placement.title
        placement.occupation_code, placement.occupation_label = code, label
    placement.updated_at = utcnow()
    session.add(placement)
    session.commit()
    after_placement_change(session=session, placement_id=id_of(placement))
    return placement


def chosen_examples(*, session: Session) -> list[dict[str, str]]:
    """Every title a company chose an occupation for (the title of then, not of now), once
    per title and occupation, as rows of the normaliser's examples file (``text``,
    ``target_uri``, ``source``), oldest placement first."""
    rows = session.exec(select(Placement.occupation_chosen_for, Placement.occupation_code)
                        .where(Placement.occupation_chosen_for != "",
                               Placement.occupation_code != "")
                        .order_by(col(Placement.id))).all()
    out: dict[tuple[str, str], dict[str, str]] = {}
    for title, code in rows:
        occupation = _occupation(code)
        work = _work_words(title)
        if occupation is not None and work:
            out.setdefault((text_key(work), occupation.uri),
                           {"text": work, "target_uri": occupation.uri, "source": "talentmatch"})
    return list(out.values())
