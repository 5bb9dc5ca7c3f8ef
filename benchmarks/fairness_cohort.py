"""Fairness on a twin cohort: girls and their twin brothers, imported as a school would.

    python -m benchmarks.fairness_cohort [--pairs 300] [--seed S] [--keep DIR] [--region SLUG]

Generates a cohort of girl/boy twins (``benchmarks.cohort_data``: same school, level, postcode,
travel limit, activities and talent observations; half the girls state what their brother
states, the other half less technical interest), writes it as the documented CSV files, and
runs what a region would run, each in a scratch SQLite database:

1. the database is migrated (as ``talentmatch init-db``); the themes, the region, its schools,
   their counsellors and the talent scouts are created directly (they cannot be imported);
2. the six files go through the real import (``app.services.imports``, as ``talentmatch
   import`` does), in order;
3. ``talentmatch match --all --seed S``, ``talentmatch export matches``, ``talentmatch export
   recommendations --top 5`` and ``talentmatch audit fairness --json`` run as commands.

The same cohort with every gender and the gendered words of the students' own texts flipped
goes into a second database and the same round; its proposals should not differ at all. The
figures are measured against each girl's own twin, then the audit is recounted from the
exports. Nothing here is a target to tune: a held-out cohort judges the matching.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner
from flask_babel import force_locale
from sqlmodel import Session, func, select

from app import create_app
from app.cli import main as talentmatch
from app.db import dispose_engine, get_engine
from app.models import Region, Role, School, SchoolKind, Theme, User
from app.services import bootstrap
from app.services.accounts import unusable_password_hash
from app.services.imports import ImportReport, ImportScope, run_import
from matching.taxonomy import load_themes

from .cohort_data import KINDS, Cohort, build_cohort
from .cohort_figures import print_figures
from .environment import print_environment

HAS_RECOMMENDATIONS = importlib.util.find_spec("app.services.recommendations") is not None


def add_reference(session: Session, cohort: Cohort) -> None:
    """What the import cannot bring: themes (when the table is empty), the region, its
    schools, a counsellor per school and the talent scouts."""
    if not session.exec(select(func.count()).select_from(Theme)).one():
        session.add_all(Theme(slug=t.slug, label_nl=t.label_nl, label_en=t.label_en,
                              synonyms=list(t.synonyms), esco_codes=list(t.esco_codes),
                              technical=t.technical) for t in load_themes())
    region = Region(slug=cohort.region_slug, name=cohort.region_name)
    session.add(region)
    session.flush()
    schools = {}
    for spec in cohort.schools:
        school = School(code=spec.code, name=spec.name, kind=SchoolKind(spec.kind),
                        postcode=spec.postcode, place=spec.place, region_id=region.id)
        session.add(school)
        schools[spec.code] = school
    session.flush()
    for email, name, code in cohort.counsellors:
        session.add(User(email=email, role=Role.counsellor, display_name=name[:120],
                         password_hash=unusable_password_hash(), school_id=schools[code].id,
                         region_id=region.id))
    for email, name in cohort.scouts:
        session.add(User(email=email, role=Role.observer, display_name=name,
                         password_hash=unusable_password_hash(), region_id=region.id))
    session.commit()


def import_cohort(session: Session, cohort: Cohort) -> dict[str, ImportReport]:
    """Every file through the import, in order, as the operator on the command line."""
    reports = {}
    for kind in KINDS:
        report = run_import(session=session, kind=kind, data=cohort.files[kind],
                            scope=ImportScope.operator(), dry_run=False)
        if not report.ok:
            shown = "; ".join(f"line {p.line} {p.column}: {p.message}"
                              for p in report.problems[:5])
            raise RuntimeError(f"the {kind} file did not import: {shown}")
        reports[kind] = report
    return reports


def _command(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(talentmatch, list(args), env=env, catch_exceptions=False)
    if result.exit_code:
        raise RuntimeError(f"talentmatch {' '.join(args)} failed: {result.output}")
    return result.stdout


def run_cohort(cohort: Cohort, folder: Path, name: str, seed: int) -> dict:
    """Import ``cohort`` into a new database in ``folder`` and run the round; what came out."""
    database = folder / f"{name}.sqlite3"
    database.unlink(missing_ok=True)  # a kept folder of an earlier run: start afresh
    url = f"sqlite:///{database}"
    env = {"DATABASE_URL": url, "TALENTMATCH_ENV": "development"}
    for kind in KINDS:
        (folder / f"{name}_{kind}.csv").write_bytes(cohort.files[kind])
    app = create_app({"DATABASE_URL": url, "TALENTMATCH_ENV": "development"})
    seconds = {}
    started = time.perf_counter()
    # As `talentmatch import` runs: an app context and a language for the messages.
    with app.app_context(), force_locale("en"):
        bootstrap.init_db(engine=get_engine())
        with Session(get_engine(), expire_on_commit=False) as session:
            add_reference(session, cohort)
            reports = import_cohort(session, cohort)
    dispose_engine(app)
    seconds["import"] = time.perf_counter() - started
    started = time.perf_counter()
    summary = _command(env, "match", "--all", "--seed", str(seed)).strip().splitlines()
    seconds["round"] = time.perf_counter() - started
    matches_file = folder / f"{name}_matches.csv"
    _command(env, "export", "matches", str(matches_file))
    recommendations = None
    if HAS_RECOMMENDATIONS:
        started = time.perf_counter()
        recommendations_file = folder / f"{name}_recommendations.csv"
        _command(env, "export", "recommendations", str(recommendations_file), "--top", "5")
        recommendations = _read(recommendations_file)
        seconds["recommendations"] = time.perf_counter() - started
    audit = json.loads(_command(env, "audit", "fairness", "--json"))
    return {"reports": reports, "summary": summary, "matches": _read(matches_file),
            "recommendations": recommendations, "audit": audit, "seconds": seconds}


def _read(path: Path) -> list[dict]:
    """An export's rows by column name. Exports are written for Dutch spreadsheets (";")."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        handle.seek(0)
        return list(csv.DictReader(
            handle, delimiter=";" if first.count(";") > first.count(",") else ","))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=300, help="girl/boy twin pairs")
    parser.add_argument("--seed", type=int, default=2026,
                        help="draws the cohort and the round's tie-break")
    parser.add_argument("--region", default="noord-holland-noord",
                        help="the region whose postcodes the cohort lives in")
    parser.add_argument("--keep", type=Path,
                        help="keep the CSV files, exports and databases in this folder")
    args = parser.parse_args()
    print_environment()
    if not HAS_RECOMMENDATIONS:
        print("note: app.services.recommendations is not there yet; the top-5 figures are "
              "skipped")
    cohort = build_cohort(pairs=args.pairs, seed=args.seed, region=args.region)
    folder = Path(tempfile.mkdtemp(prefix="fairness-cohort-")) if args.keep is None \
        else args.keep
    folder.mkdir(parents=True, exist_ok=True)
    try:
        runs = {name: run_cohort(c, folder, name, args.seed)
                for name, c in (("cohort", cohort), ("flipped", cohort.flipped()))}
        print_figures(cohort, runs["cohort"], runs["flipped"])
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"files, exports and databases kept in {os.fspath(folder)}")


if __name__ == "__main__":
    main()
