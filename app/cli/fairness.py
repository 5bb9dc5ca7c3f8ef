"""`talentmatch audit fairness [--round N] [--json] [--recompute] [--lang nl|en]`."""

from __future__ import annotations

import json

import click
from flask_babel import force_locale

from app.cli.support import app_context
from app.db import get_session
from app.models import MatchRound
from app.services.fairness import FairnessError, audit_again, has_audit, latest_round
from app.services.fairness_headline import headline_interval, headline_sentence

AVERAGES = (("exposure", "exposure, same stated interest and talent"),
            ("share", "share technical, same stated interest and talent"),
            ("exposure_by_talent", "exposure, same talent"),
            ("share_by_talent", "share technical, same talent"))


@click.group("audit")
def audit_group() -> None:
    """Audits of matching rounds."""


def _number(value, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _interval(figure: dict, digits: int = 3) -> str:
    if figure.get("low") is None:
        return ""
    return f"{_number(figure['low'], digits)} - {_number(figure['high'], digits)}"


def _count(count: int | None, total: int) -> str:
    return "-" if count is None else f"{count}/{total}"


def groups_lines(audit: dict) -> list[str]:
    """The per-group table: counts as "with/of", ratios girls/boys with their interval, against
    the boys of the group and against the boys of the same talent ("talent b")."""
    settings = audit.get("settings", {})
    least_g, least_b = settings.get("min_girls", 20), settings.get("min_boys", 20)
    lines = [f"{'stance':<10}{'talent':<8}{'girls':>6}{'boys':>6}{'proposed g':>11}"
             f"{'proposed b':>11}{'technical g':>12}{'technical b':>12}{'ratio':>6}"
             f"  {'interval':<13}{'talent b':>9}{'ratio':>6}  {'interval':<13}"
             f"{'top5 g':>8}{'top5 b':>8}{'ratio':>6}{'talent':>7}"]
    for g in audit.get("groups", []):
        small = g["girls"] < least_g or max(g["boys"], g["talent_boys"]) < least_b
        ratio, talent = g["technical_proposal_ratio"], g["technical_proposal_ratio_same_talent"]
        lines.append(
            f"{g['stance']:<10}{g['talent']:<8}{g['girls']:>6}{g['boys']:>6}"
            f"{_count(g['proposed_girls'], g['girls']):>11}"
            f"{_count(g['proposed_boys'], g['boys']):>11}"
            f"{_count(g['technical_proposal_girls'], g['girls']):>12}"
            f"{_count(g['technical_proposal_boys'], g['boys']):>12}"
            f"{_number(ratio['value'], 2):>6}  {_interval(ratio, 2):<13}"
            f"{_count(g['technical_proposal_talent_boys'], g['talent_boys']):>9}"
            f"{_number(talent['value'], 2):>6}  {_interval(talent, 2):<13}"
            f"{_count(g['technical_top_girls'], g['girls']):>8}"
            f"{_count(g['technical_top_boys'], g['boys']):>8}"
            f"{_number(g['technical_top_ratio']['value'], 2):>6}"
            f"{_number(g['technical_top_ratio_same_talent']['value'], 2):>7}"
            + ("  (small)" if small else ""))
    return lines


def render(round_: MatchRound, audit: dict, headline: str | None,
           interval: str | None = None) -> str:
    """The audit as a readable table, led by the headline sentence."""
    how = "audited with the round" if audit.get("computed") == "with_round" else \
        "audited afterwards from the round's stored proposals, on the placements open on " \
        f"{audit.get('today', '?')}"
    s, r = audit["students"], audit["ranked"]
    lines = [
        f"Fairness audit of round {round_.id} ({round_.scope}), run "
        f"{round_.started_at:%Y-%m-%d %H:%M}; {how}.", "",
    ]
    if headline:
        lines += [headline + (f" {interval}" if interval else ""), ""]
    lines += [
        f"Students: {s['girl']} girls, {s['boy']} boys, {s['other']} other, {s['not_given']} "
        "not given (only girls and boys are compared); with a ranking: "
        f"{r['girl']} girls, {r['boy']} boys.",
        f"Technical placements: {audit['technical_placements']} of {audit['placements']}; "
        f"top {audit['k']} as each student's list shows it.",
    ]
    if audit.get("sampled_from"):
        lines.append(f"Measured on a random sample of {sum(s.values())} of "
                     f"{audit['sampled_from']} students: every count below is of the sample.")
    lines += ["", "Per group (stated interest stance x technical talent; proposed, technical "
                  "proposal and technical in the top 5 as with/of; ratios girls/boys against "
                  "the boys of the group and against the boys of the same talent):",
              *groups_lines(audit)]
    lines += ["", "Averages over all groups (an average can hide a group: see the groups "
                  "above).", f"{'girls/boys':<52}{'ratio':>8}   95% interval"]
    for key, label in AVERAGES:
        lines.append(f"{label:<52}{_number(audit[key]['value']):>8}   "
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
    return "\n".join(lines)


@audit_group.command("fairness")
@click.option("--round", "round_id", type=int, default=None,
              help="The round to show (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--recompute", is_flag=True,
              help="Audit the round afresh from its stored proposals (its group's current "
                   "students, today's open placements) and store that.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of the headline sentence.")
def fairness_command(round_id: int | None, as_json: bool, recompute: bool, lang: str) -> None:
    """How a matching round treats girls and boys, per group of stated interest and observed
    talent: the share with a technical proposal and with a technical placement in the top 5,
    led by the group where girls fare worst; also ranking quality, the gender flip and the
    proxy check. A round without a stored audit is audited now."""
    with app_context():
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
                with force_locale("en"):
                    audit = audit_again(session=session, round_=round_)
            except FairnessError as error:
                raise click.ClickException(str(error)) from error
        with force_locale(lang):
            headline, interval = headline_sentence(audit), headline_interval(audit)
        if as_json:
            click.echo(json.dumps({"round": round_.id, "scope": round_.scope,
                                   "started_at": round_.started_at.isoformat(),
                                   "headline_sentence": headline,
                                   "headline_interval": interval, "language": lang,
                                   "audit": audit}, sort_keys=True))
        else:
            click.echo(render(round_, audit, headline, interval))
