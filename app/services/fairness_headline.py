"""The fairness audit in words: the worst group as one plain sentence, and the groups' names.

Made when shown, in the language of the page or command (Dutch by default), from the figures
the audit stored (:mod:`matching.fairness_strata`).
"""

from __future__ import annotations

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matching.fairness_strata import NO_LARGE_GROUP, NO_PROPOSALS, NO_RATIO, SAME_TALENT, WORST

# What the student says they want ("the group with ... and ...").
STANCES = {
    "none": _l("no stated interest yet"),
    "mixed": _l("both technical and other stated interests"),
    "technical": _l("only technical stated interests"),
    "other": _l("only non-technical stated interests"),
}
# What was observed.
TALENTS = {
    "none": _l("no observed technical talent"),
    "some": _l("some technical talent"),
    "strong": _l("strong technical talent"),
}
# Short names for tables.
STANCE_NAMES = {"none": _l("none yet"), "mixed": _l("mixed"), "technical": _l("technical"),
                "other": _l("other only")}
TALENT_NAMES = {"none": _l("none"), "some": _l("some"), "strong": _l("strong")}


def group_name(stance: str, talent: str) -> str:
    """A group in a table: "stated: technical · talent: strong"."""
    return _("stated: %(stance)s · talent: %(talent)s",
             stance=STANCE_NAMES.get(stance, stance), talent=TALENT_NAMES.get(talent, talent))


def short_group_name(stance: str, talent: str) -> str:
    """A group in a chart's label, which has room for about 28 characters: "technical ·
    strong"."""
    return f"{STANCE_NAMES.get(stance, stance)} · {TALENT_NAMES.get(talent, talent)}"


def number(value: float | None, fmt: str = "0.00") -> str:
    return "—" if value is None else format_decimal(value, fmt)


def headline_sentence(audit: dict) -> str | None:
    """The worst large group in one sentence, or why there is none; None for an audit made
    before groups were compared."""
    headline = audit.get("headline")
    if not headline:
        return None
    status = headline.get("status")
    least = {"girls": headline["min_girls"], "boys": headline["min_boys"]}
    if status == WORST:
        talent = TALENTS.get(headline["talent"], headline["talent"])
        counts = _("%(girls_with)s of %(girls)s girls, %(boys_with)s of %(boys)s boys",
                   girls_with=format_decimal(headline["technical_girls"]),
                   girls=format_decimal(headline["girls"]),
                   boys_with=format_decimal(headline["technical_boys"]),
                   boys=format_decimal(headline["boys"]))
        if audit.get("sampled_from"):
            counts = _("%(counts)s, in a random sample of %(sample)s of the %(total)s students",
                       counts=counts, sample=format_decimal(sum(audit["students"].values())),
                       total=format_decimal(audit["sampled_from"]))
        figures = {"talent": talent, "counts": counts,
                   "stance": STANCES.get(headline["stance"], headline["stance"]),
                   "ratio": number(headline["ratio"]["value"])}
        if headline.get("against") == SAME_TALENT:
            return _("In the group with %(talent)s and %(stance)s, girls are proposed a "
                     "technical placement %(ratio)s times as often as boys with %(talent)s, "
                     "whatever they state (%(counts)s).", **figures)
        return _("In the group with %(talent)s and %(stance)s, girls are proposed a technical "
                 "placement %(ratio)s times as often as the boys of the same group "
                 "(%(counts)s).", **figures)
    if status == NO_LARGE_GROUP:
        return _("In this round no group of the same stated interest and talent has "
                 "%(girls)s girls or more to compare with %(boys)s boys or more (of the same "
                 "group, or with the same talent): too few to compare girls and boys "
                 "reliably. The table shows every group with its numbers.", **least)
    if status == NO_RATIO:
        return _("Where %(girls)s girls or more can be compared with %(boys)s boys or more, "
                 "no boy was proposed a technical placement, so there is no girls/boys ratio "
                 "to compare.", **least)
    if status == NO_PROPOSALS:
        return _("This audit was made without the round's proposals; make it again to "
                 "compare girls and boys per group.")
    return None


def verdict(audit: dict | None) -> str:
    """What the page says first, in words anyone reads: is there a clear difference between
    girls and boys in the round shown? The figures and how they are made come after it."""
    headline = (audit or {}).get("headline") or {}
    status = headline.get("status")
    if not audit or not status:
        return _("No matching round has been measured yet, so there is nothing to say about "
                 "girls and boys here.")
    if status != WORST:
        return _("This round cannot compare girls and boys yet: below is why.")
    ratio = headline.get("ratio") or {}
    if ratio.get("high") is not None and ratio["high"] < 1:
        return _("In this round girls are clearly proposed fewer technical placements than "
                 "comparable boys, in at least one group: below is which.")
    if ratio.get("low") is not None and ratio["low"] > 1:
        return _("In this round girls are proposed technical placements more often than "
                 "comparable boys, in every group that is large enough to compare.")
    return _("In this round girls are proposed technical placements about as often as "
             "comparable boys: no clear difference.")


def headline_interval(audit: dict) -> str | None:
    """The interval of the headline's ratio, as a short phrase; None without one."""
    headline = audit.get("headline") or {}
    ratio = headline.get("ratio") or {}
    if ratio.get("low") is None or ratio.get("high") is None:
        return None
    level = audit.get("settings", {}).get("confidence", 0.95)
    return _("%(level)s interval: %(low)s to %(high)s.",
             level=format_percent(level, "0%"), low=number(ratio["low"]),
             high=number(ratio["high"]))
