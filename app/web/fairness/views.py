"""The fairness page: for each matching round, how its proposals and rankings treat girls and
boys, led by the group where girls fare worst."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.db import get_session
from app.models import Role
from app.permissions import fairness_scopes, get_fairness_round_or_404, require_role
from app.services import fairness as service
from app.services.fairness_headline import (
    group_name,
    headline_interval,
    headline_sentence,
    short_group_name,
    verdict,
)
from app.web.ui.query_params import int_arg

bp = Blueprint("fairness", __name__, url_prefix="/fairness")
# Averages over every group: kept below the groups, since an average can hide one.
AVERAGES = (
    ("exposure", _l("Exposure to technical placements in the top 5, girls/boys, averaged over "
                    "groups of the same stated interest and talent")),
    ("share", _l("Share of technical placements in the top 5, girls/boys, averaged over "
                 "groups of the same stated interest and talent")),
    ("exposure_by_talent", _l("Exposure to technical placements in the top 5, girls/boys, "
                              "averaged over groups of the same talent")),
    ("share_by_talent", _l("Share of technical placements in the top 5, girls/boys, averaged "
                           "over groups of the same talent")),
)


def _n(value: float | None, fmt: str = "0.00") -> str:
    if value is None:
        return "—"
    return format_percent(value, fmt) if fmt.endswith("%") else format_decimal(value, fmt)


def _interval(figure: dict) -> str:
    if figure.get("value") is None:
        return "—"
    if figure.get("low") is None:
        return _n(figure["value"])
    return f"{_n(figure['value'])} ({_n(figure['low'])}–{_n(figure['high'])})"


def _share(count: int | None, total: int) -> str:
    """"12 of 45 (27%)"."""
    if count is None or not total:
        return "—"
    return _("%(count)s of %(total)s (%(share)s)", count=count, total=total,
             share=_n(count / total, "0%"))


def groups_table(audit: dict) -> list[dict]:
    """One row per group of the audit, small groups and the headline's group marked."""
    headline = audit.get("headline") or {}
    settings = audit.get("settings", {})
    least_g, least_b = settings.get("min_girls", 20), settings.get("min_boys", 20)
    rows = []
    for g in audit.get("groups", []):
        rows.append({
            "name": group_name(g["stance"], g["talent"]),
            "girls": g["girls"], "boys": g["boys"],
            "proposed_girls": _share(g["proposed_girls"], g["girls"]),
            "proposed_boys": _share(g["proposed_boys"], g["boys"]),
            "technical_girls": _share(g["technical_proposal_girls"], g["girls"]),
            "technical_boys": _share(g["technical_proposal_boys"], g["boys"]),
            "technical_ratio": _interval(g["technical_proposal_ratio"]),
            "talent_boys": _share(g["technical_proposal_talent_boys"], g["talent_boys"]),
            "talent_ratio": _interval(g["technical_proposal_ratio_same_talent"]),
            "top_girls": _share(g["technical_top_girls"], g["girls"]),
            "top_boys": _share(g["technical_top_boys"], g["boys"]),
            "top_ratio": _interval(g["technical_top_ratio"]),
            "top_talent_ratio": _interval(g["technical_top_ratio_same_talent"]),
            "small": g["girls"] < least_g or max(g["boys"], g["talent_boys"]) < least_b,
            "worst": (g["stance"], g["talent"]) == (headline.get("stance"),
                                                    headline.get("talent")),
        })
    return rows


def charts(audit: dict) -> dict:
    """The rows of each chart and of the table behind it, from a stored audit."""
    groups = audit.get("groups", [])
    settings = audit.get("settings", {})
    least_g, least_b = settings.get("min_girls", 20), settings.get("min_boys", 20)
    girls, boys = _l("girls"), _l("boys")
    proposal_rows, top_rows = [], []
    for g in groups:
        if not (g["girls"] and g["boys"]):
            continue
        name = short_group_name(g["stance"], g["talent"])
        for label, side in ((girls, "girls"), (boys, "boys")):
            if g[f"technical_proposal_share_{side}"] is not None:
                proposal_rows.append((f"{name} — {label}",
                                      100 * g[f"technical_proposal_share_{side}"]))
            top_rows.append((f"{name} — {label}", 100 * g[f"technical_top_share_{side}"]))
    ratio_rows = []
    for g in groups:
        for boys, key, label in (
                ("boys", "technical_proposal_ratio", _("group")),
                ("talent_boys", "technical_proposal_ratio_same_talent", _("talent"))):
            if g["girls"] >= least_g and g[boys] >= least_b and g[key]["value"] is not None:
                ratio_rows.append((f"{short_group_name(g['stance'], g['talent'])} ({label})",
                                   g[key]["value"]))
    return {
        "ratios": ratio_rows,
        "ratio_table": [(label, _n(value)) for label, value in ratio_rows],
        "proposal_table": [(label, _n(value / 100, "0%")) for label, value in proposal_rows],
        "top_table": [(label, _n(value / 100, "0%")) for label, value in top_rows],
        "ratio_top": max([1.2, *(value for _label, value in ratio_rows)]),
        "proposals": proposal_rows, "top": top_rows,
        "groups": groups_table(audit),
        "averages": [(label, _interval(audit.get(key) or {})) for key, label in AVERAGES],
        "ndcg": [(label, audit[key]) for label, key in ((_l("Girls"), "ndcg_girls"),
                                                         (_l("Boys"), "ndcg_boys"))
                 if audit.get(key) is not None],
        "ndcg_table": [(_l("Girls"), _n(audit.get("ndcg_girls"))),
                       (_l("Boys"), _n(audit.get("ndcg_boys"))),
                       (_l("Difference girls − boys"),
                        _n(audit.get("ndcg_difference", {}).get("value")))],
    }


def headline_tone(audit: dict) -> str:
    """"error" when girls are clearly proposed fewer technical placements in the worst group
    (the whole interval below 1), else "info"."""
    ratio = (audit.get("headline") or {}).get("ratio") or {}
    return "error" if ratio.get("high") is not None and ratio["high"] < 1 else "info"


@bp.route("/")
@require_role(Role.coordinator, Role.admin)
def index():
    session = get_session()
    rounds = service.rounds(session=session, scopes=fairness_scopes(current_user))
    round_id = int_arg("round")
    chosen = get_fairness_round_or_404(round_id) if round_id is not None \
        else (rounds[0] if rounds else None)
    audit = chosen.fairness_audit if chosen is not None else {}
    shown = service.has_audit(audit)
    return render_template(
        "fairness/index.html", rounds=rounds, chosen=chosen, audit=audit if shown else None,
        failed=bool(audit) and audit.get("failed", False),
        older=bool(audit) and not shown and not audit.get("failed", False),
        charts=charts(audit) if shown else {},
        headline=headline_sentence(audit) if shown else None,
        verdict=verdict(audit if shown else None),
        headline_interval=headline_interval(audit) if shown else None,
        headline_tone=headline_tone(audit) if shown else "info",
        has_audit=service.has_audit, group_name=group_name,
        scope_names=service.scope_names(session=session,
                                        labels=[r.scope for r in rounds]
                                        + ([chosen.scope] if chosen else [])))
