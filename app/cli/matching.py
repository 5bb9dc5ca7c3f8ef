"""`talentmatch match [--school CODE] [--region NAME] [--all]`, `talentmatch export matches` and
`talentmatch export occupation-examples`."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from flask_babel import force_locale
from sqlmodel import select

from app.cli.support import app_context
from app.db import get_session
from app.models import MatchRound, Region, School
from app.services.match_export import HEADER, proposal_rows
from app.services.matching import MatchingError, Scope, decisions, run_matching
from app.services.occupations import chosen_examples
from app.services.recommendations import HEADER as RECOMMENDATION_HEADER
from app.services.recommendations import recommendation_rows
from app.web.ui.exports import ExportFormatError, neutralise, write_table
from matching.weights import WeightLearner
from matching.weights import save as save_weights


def _scope(session, school_code: str | None, region_name: str | None, everyone: bool) -> Scope:
    chosen = sum(1 for given in (school_code, region_name, everyone) if given)
    if chosen != 1:
        raise click.UsageError("Say whom to match: exactly one of --school CODE, "
                               "--region NAME or --all.")
    if school_code:
        school = session.exec(select(School).where(School.code == school_code.strip())).first()
        if school is None:
            raise click.BadParameter(f"no school has the code {school_code!r}",
                                     param_hint="--school")
        return Scope(school=school)
    if region_name:
        wanted = region_name.strip().lower()
        region = next((r for r in session.exec(select(Region)).all()
                       if wanted in (r.slug.lower(), r.name.lower())), None)
        if region is None:
            names = ", ".join(r.slug for r in session.exec(select(Region)).all()) or "none"
            raise click.BadParameter(f"no region is called {region_name!r} (regions: {names})",
                                     param_hint="--region")
        return Scope(region=region)
    return Scope()


class _Bar:
    """One progress bar per stage (scoring, allocating, explaining)."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar = None
        self.done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            self.bar = click.progressbar(length=max(total, 1), label=f"{stage:<10}",
                                         file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(max(done - self.done, 0))
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.command("match")
@click.option("--school", "school_code", help="Match the students of this school (its code).")
@click.option("--region", "region_name", help="Match the students of this region (slug or name).")
@click.option("--all", "everyone", is_flag=True, help="Match every student.")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=None,
              help="Seed of the tie-break between equal scores (default: random, and stored).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run the round as on this day (YYYY-MM-DD), e.g. ahead of a new school year: "
                   "placements that have ended by then are left out. Default: today.")
def match_command(school_code, region_name, everyone, seed, today) -> None:
    """Run a matching round and store one proposal per student for counsellors to review."""
    with app_context(), force_locale("en"):
        session = get_session()
        scope = _scope(session, school_code, region_name, everyone)
        bar = _Bar()
        try:
            round_ = run_matching(session=session, scope=scope, actor=None, seed=seed,
                                  today=today.date() if today else None, progress=bar)
        except MatchingError as error:
            raise click.ClickException(str(error)) from error
        finally:
            bar.close()
        s = round_.summary
        click.echo(
            f"Round {round_.id} ({round_.scope}): {s['students_proposed']} of {s['students']} "
            f"students proposed, {s['places_used']} places used, mean score "
            f"{s['mean_score']:.3f}, {s['seconds']:.1f} s.")
        if s["insufficient"]:
            click.echo(f"{s['insufficient']} student(s) have not enough in their profile to "
                       "match on (no interests, themes or talent observations).")
        if s["no_admissible"] or s["unassigned"]:
            click.echo(f"{s['no_admissible']} student(s) have no placement that fits level, "
                       f"kind, travel distance and period; {s['unassigned']} found every "
                       "fitting placement taken.")
        for refused in s["refused_pins"]:
            click.echo(f"Pin not honoured: student {refused['student_id']} -> placement "
                       f"{refused['placement_id']} ({refused['reason']}).")


@click.group("export")
def export_group() -> None:
    """Export data as CSV or XLSX."""


@export_group.command("matches")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--round", "round_id", type=int, default=None,
              help="Only this round (default: every stored proposal).")
def export_matches(file: str, round_id: int | None) -> None:
    """One row per proposal: student, placement, company, rank, score, components, status,
    explanation. The format follows FILE's extension (.csv or .xlsx)."""
    if not file.lower().endswith((".csv", ".xlsx")):
        raise click.BadParameter("the file name must end in .csv or .xlsx (that decides the "
                                 "format)", param_hint="FILE")
    with app_context():
        session = get_session()
        if round_id is not None and session.get(MatchRound, round_id) is None:
            raise click.BadParameter(f"there is no round {round_id}", param_hint="--round")
        count = 0

        def rows():
            nonlocal count
            for row in proposal_rows(session=session, round_id=round_id):
                count += 1
                yield row

        try:
            write_table(file, HEADER, rows())
        except (ExportFormatError, OSError) as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"{count} proposal(s) written to {file}.")


@export_group.command("recommendations")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--top", type=click.IntRange(1, 50), default=5, show_default=True,
              help="How many placements per student.")
@click.option("--school", "school_code", help="Only the students of this school (its code).")
@click.option("--region", "region_name", help="Only the students of this region (slug or name).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of the reasons.")
def export_recommendations(file: str, top: int, school_code: str | None,
                           region_name: str | None, lang: str) -> None:
    """Per student the best TOP placements now, with score, each score part, whether the
    placement is technical or there for the student's talent, and the reason: the list a
    counsellor talks through with a student. Every student by default. The format follows
    FILE's extension (.csv or .xlsx)."""
    if not file.lower().endswith((".csv", ".xlsx")):
        raise click.BadParameter("the file name must end in .csv or .xlsx (that decides the "
                                 "format)", param_hint="FILE")
    with app_context():
        session = get_session()
        scope = _scope(session, school_code, region_name,
                       everyone=not (school_code or region_name))
        count, students = 0, set()

        def rows():
            nonlocal count
            for row in recommendation_rows(session=session, scope=scope, top=top,
                                           language=lang):
                count += 1
                students.add((row[1], row[0]))
                yield row

        try:
            write_table(file, RECOMMENDATION_HEADER, rows())
        except (ExportFormatError, OSError) as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"{count} recommendation(s) for {len(students)} student(s) written to {file}.")


@export_group.command("occupation-examples")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def export_occupation_examples(file: str) -> None:
    """The placement titles whose company chose the occupation, in the occupation
    normaliser's examples format (comma-separated UTF-8: text, target_uri, source), to add
    to matching/data/occupation_examples.csv or try with `python -m matching.evaluate
    --examples FILE`."""
    if not file.lower().endswith(".csv"):
        raise click.BadParameter("the file name must end in .csv", param_hint="FILE")
    with app_context():
        rows = chosen_examples(session=get_session())
    try:
        with open(file, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=("text", "target_uri", "source"))
            writer.writeheader()
            writer.writerows({**row, "text": neutralise(row["text"])} for row in rows)
    except OSError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{len(rows)} title(s) with a chosen occupation written to {file}.")


@click.command("fit-weights")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--min-decisions", default=30, show_default=True, type=click.IntRange(2),
              help="Refuse to fit on fewer approve/reject decisions than this.")
def fit_weights_command(file: str, min_decisions: int) -> None:
    """Fit the score weights on counsellors' approve/reject decisions and save them as JSON
    (FILE) with a model card next to it (.md). Use them by setting MATCH_WEIGHTS_FILE=FILE."""
    if not file.lower().endswith(".json"):
        raise click.BadParameter("the file name must end in .json", param_hint="FILE")
    with app_context():
        rows, approved = decisions(session=get_session())
    try:
        learner = WeightLearner(min_decisions=min_decisions).fit(rows, approved)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    card = save_weights(learner.result_, Path(file))
    result = learner.result_
    auc = "n/a" if result.auc_cross_validated is None else f"{result.auc_cross_validated:.3f}"
    click.echo(f"Fitted on {result.n_decisions} decisions ({result.n_approved} approved); "
               f"cross-validated AUC {auc}.")
    click.echo("Weights: " + ", ".join(f"{k} {v:.3f}" for k, v in result.weights.items()))
    click.echo(f"Saved {file} and the model card {card}. Set MATCH_WEIGHTS_FILE={file} to use "
               "them.")
