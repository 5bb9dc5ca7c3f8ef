"""The fairness page: for each matching round, how its rankings treat girls and boys."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import format_decimal, format_percent
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from matching.fairness import discounts

from ..db import get_session
from ..models import Role
from ..permissions import fairness_scopes, get_fairness_round_or_404, require_role
from ..services import fairness as service

bp = Blueprint("fairness", __name__, url_prefix="/fairness")
EVIDENCE = {"none": _l("none"), "some": _l("some"), "strong": _l("strong")}
RATIOS = (
    ("exposure", _l("Exposure · same profile"),
     _l("Exposure to technical placements, girls/boys, equal interest and talent")),
    ("share", _l("Share · same profile"),
     _l("Share of technical placements, girls/boys, equal interest and talent")),
    ("exposure_by_talent", _l("Exposure · same talent"),
     _l("Exposure to technical placements, girls/boys, equal talent")),
    ("share_by_talent", _l("Share · same talent"),
     _l("Share of technical placements, girls/boys, equal talent")),
)


def _stratum_label(stratum: dict) -> str:
    return f"{EVIDENCE.get(stratum['interest'], stratum['interest'])} · " \
           f"{EVIDENCE.get(stratum['talent'], stratum['talent'])}"


def _n(value: float | None, fmt: str = "0.00") -> str:
    if value is None:
        return "—"
    return format_percent(value, fmt) if fmt.endswith("%") else format_decimal(value, fmt)


def charts(audit: dict) -> dict:
    """The rows of each chart and of the table behind it, from a stored audit."""
    ratio_rows = [(short, audit[key]["value"]) for key, short, _long in RATIOS
                  if audit.get(key, {}).get("value") is not None]
    strata = audit.get("strata", [])
    girls, boys = _l("girls"), _l("boys")
    exposure_rows, share_rows = [], []
    for s in strata:
        label = _stratum_label(s)
        for group, side in ((girls, "girls"), (boys, "boys")):
            if s[side]:
                exposure_rows.append((f"{label} — {group}", s[f"exposure_{side}"]))
                share_rows.append((f"{label} — {group}", 100 * s[f"share_{side}"]))
    return {
        "ratios": ratio_rows,
        "ratio_table": [(long, _n(audit[key]["value"]), _n(audit[key]["low"]),
                         _n(audit[key]["high"])) for key, _short, long in RATIOS
                        if audit.get(key)],
        "ratio_top": max([1.2, *(value for _label, value in ratio_rows)]),
        "ndcg": [(label, audit[key]) for label, key in ((_l("Girls"), "ndcg_girls"),
                                                         (_l("Boys"), "ndcg_boys"))
                 if audit.get(key) is not None],
        "exposure": exposure_rows, "share": share_rows,
        "exposure_top": float(discounts(audit.get("k", 5)).sum()),
        "ndcg_table": [(_l("Girls"), _n(audit.get("ndcg_girls"))),
                       (_l("Boys"), _n(audit.get("ndcg_boys"))),
                       (_l("Difference girls − boys"),
                        _n(audit.get("ndcg_difference", {}).get("value")))],
        "strata_table": [(_stratum_label(s), s["girls"], s["boys"], _n(s["exposure_girls"]),
                          _n(s["exposure_boys"]), _n(s["share_girls"], "0%"),
                          _n(s["share_boys"], "0%")) for s in strata],
    }


@bp.route("/")
@require_role(Role.coordinator, Role.admin)
def index():
    session = get_session()
    rounds = service.rounds(session=session, scopes=fairness_scopes(current_user))
    round_id = request.args.get("round", type=int)
    chosen = get_fairness_round_or_404(round_id) if round_id is not None \
        else (rounds[0] if rounds else None)
    audit = chosen.fairness_audit if chosen is not None else {}
    shown = service.has_audit(audit)
    return render_template(
        "fairness/index.html", rounds=rounds, chosen=chosen, audit=audit if shown else None,
        failed=bool(audit) and audit.get("failed", False), charts=charts(audit) if shown else {},
        has_audit=service.has_audit, ratio_labels=RATIOS,
        scope_names=service.scope_names(session=session,
                                        labels=[r.scope for r in rounds]
                                        + ([chosen.scope] if chosen else [])))
