"""The ESCO occupation a placement's title names, found once when the placement is saved."""

from __future__ import annotations

import re
from functools import cache

from matching.occupations import CONFIDENT_SCORE, OccupationNormaliser, default_normaliser

from ..models import Placement

# Below this the best occupation is a guess ("3D-printspecialist" finds "medisch specialist"
# at 0.23, "CNC-operator" the right operator at 0.39): the placement then simply has none, as
# a wrong occupation would add wrong themes.
MIN_SCORE = CONFIDENT_SCORE
# Words of a placement title that say what kind of placement it is, not what the work is
# ("Hbo-stage" must not find a "stage manager").
_KIND_WORDS = re.compile(
    r"\b(snuffelstage|meeloopstage|meeloopdag|hbo-stage|mbo-stage|stage|bbl-plek|bpv-plek|"
    r"bol-plek|leerwerkplek|fieldlabproject|fieldlab|afstudeeropdracht|afstudeerstage|"
    r"plek|vacature|gezocht)\b", re.IGNORECASE)


@cache
def normaliser() -> OccupationNormaliser:
    return default_normaliser()


def best_occupation(title: str) -> tuple[str, str]:
    """(ESCO code, label) for a title, or ("", "") when nothing fits well enough."""
    if not title.strip():
        return "", ""
    work = _KIND_WORDS.sub(" ", title).strip(" :-–")
    if not work.strip():
        return "", ""
    found = normaliser().rank_one(work, k=1)
    if not found or found[0].score < MIN_SCORE:
        return "", ""
    return found[0].code, found[0].label[:200]


def set_occupation(placement: Placement) -> None:
    placement.occupation_code, placement.occupation_label = best_occupation(placement.title)
