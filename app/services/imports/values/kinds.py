"""Choices written in words: activity kinds and pillars, KvK numbers and websites, and
placement kinds and statuses."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from ....models import ActivityKind, Pillar, PlacementKind, PlacementStatus
from ...validation import FieldError, check_kinds, check_kvk
from ...validation import check_website as _check_website
from .cells import Invalid, compact, list_items, shown

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
