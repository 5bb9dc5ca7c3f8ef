"""`talentmatch audit fairness [--round N] [--json] [--recompute]`."""

from __future__ import annotations

import json

import click
from flask_babel import force_locale

from .cli_support import app_context
from .db import get_session
from .models import MatchRound
from .services.fairness import FairnessError, audit_again, has_audit, latest_round

RATIOS = (("exposure", "exposure, equal interest and talent"),
          ("share", "share technical, equal interest and talent"),
          ("exposure_by_talent", "exposure, equal talent"),
          ("share_by_talent", "share technical, equal talent"))


@click.group("audit")
def audit_group() -> None:
    """Audits of matching rounds."""


def _number(value, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _interval(figure: dict) -> str:
    if figure.get("low") is None:
        return ""
    return f"{_number(figure['low'])} - {_number(figure['high'])}"


def render(round_: MatchRound, audit: dict) -> str:
    """The audit as a readable table."""
    how = "audited with the round" if audit.get("computed") == "with_round" else \
        f"audited afterwards on the placements open on {audit.get('today', '?')}"
    s, r = audit["students"], audit["ranked"]
    lines = [
        f"Fairness audit of round {round_.id} ({round_.scope}), run "
        f"{round_.started_at:%Y-%m-%d %H:%M}; {how}.",
        f"Students: {s['girl']} girls, {s['boy']} boys, {s['other']} other, {s['not_given']} "
        "not given (only girls and boys are compared); with a ranking: "
        f"{r['girl']} girls, {r['boy']} boys.",
        f"Technical placements: {audit['technical_placements']} of {audit['placements']}; "
        f"ranking audited: each student's top {audit['k']}.",
    ]
    if audit.get("sampled_from"):
        lines.append(f"Measured on a random sample of {sum(s.values())} of "
                     f"{audit['sampled_from']} students.")
    lines += ["", f"{'girls/boys':<44}{'ratio':>8}   95% interval"]
    for key, label in RATIOS:
        lines.append(f"{label:<44}{_number(audit[key]['value']):>8}   "
                     f"{_interval(audit[key])}")
    difference = audit["ndcg_difference"]
    lines += ["", f"NDCG@{audit['k']}: girls {_number(audit['ndcg_girls'])}, boys "
                  f"{_number(audit['ndcg_boys'])}, difference {_number(difference['value'])}"
                  + (f" ({_interval(difference)})" if difference.get("low") is not None
                     else "")]
    cf = audit.get("counterfactual")
    if cf:
        verdict = "no change" if cf["unchanged"] else "CHANGED"
        lines.append(f"Gender flipped: {cf['students_flipped']} students' gendered words "
                     f"flipped; largest score change {cf['max_score_change']:g}, rankings "
                     f"changed {cf['rankings_changed']}: {verdict}.")
    proxy = audit.get("proxy")
    if proxy:
        lines.append(f"Proxy: gender told from what the scorer sees with AUC "
                     f"{_number(proxy['auc'])} (without the words "
                     f"{_number(proxy['auc_without_words'])}); 0.5 is not at all.")
    lines += ["", "Per stratum (technical interest, talent):",
              f"{'interest':<10}{'talent':<10}{'girls':>6}{'boys':>6}{'exposure g':>12}"
              f"{'exposure b':>12}{'share g':>9}{'share b':>9}"]
    for st in audit["strata"]:
        lines.append(f"{st['interest']:<10}{st['talent']:<10}{st['girls']:>6}{st['boys']:>6}"
                     f"{_number(st['exposure_girls'], 2):>12}"
                     f"{_number(st['exposure_boys'], 2):>12}"
                     f"{_number(st['share_girls'], 2):>9}{_number(st['share_boys'], 2):>9}")
    return "\n".join(lines)


@audit_group.command("fairness")
@click.option("--round", "round_id", type=int, default=None,
              help="The round to show (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--recompute", is_flag=True,
              help="Audit the round afresh (its group's current students, today's open "
                   "placements) and store that.")
def fairness_command(round_id: int | None, as_json: bool, recompute: bool) -> None:
    """How a matching round's rankings treat girls and boys: technical exposure and share in
    each student's top 5 within strata of technical interest and talent, ranking quality, the
    gender flip and the proxy check. A round without a stored audit is audited now."""
    with app_context(), force_locale("en"):
        session = get_session()
        if round_id is None:
            round_ = latest_round(session=session)
            if round_ is None:
                raise click.ClickException("No matching round has been run yet "
                                           "(talentmatch match).")
        else:
            round_ = session.get(MatchRound, round_id)
            if round_ is None:
                raise click.BadParameter(f"there is no round {round_id}", param_hint="--round")
        audit = round_.fairness_audit
        if recompute or not has_audit(audit):
            try:
                audit = audit_again(session=session, round_=round_)
            except FairnessError as error:
                raise click.ClickException(str(error)) from error
        if as_json:
            click.echo(json.dumps({"round": round_.id, "scope": round_.scope,
                                   "started_at": round_.started_at.isoformat(),
                                   "audit": audit}, sort_keys=True))
        else:
            click.echo(render(round_, audit))
