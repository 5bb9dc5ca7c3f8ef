"""One database: made afresh, filled with the world, served by gunicorn, and every phase run
against it with its figures printed."""

from __future__ import annotations

import random
import secrets
import shutil
import tempfile
from pathlib import Path

from app import create_app
from app.db import dispose_engine, get_engine
from app.services import bootstrap
from benchmarks.probe import ProbeError
from benchmarks.probe.browser import status_counts
from benchmarks.probe.erasure import erasure
from benchmarks.probe.fuzz import fuzz
from benchmarks.probe.headers import check_headers
from benchmarks.probe.races import RACES, RaceFigures
from benchmarks.probe.server import (
    REDIS_URI,
    fresh_database,
    gunicorn,
    redis_state,
    server_env,
    talentmatch_check,
    tracebacks,
)
from benchmarks.probe.world import Probe, build_world


def probe_database(kind: str, args, password_hash: str) -> bool:
    folder = Path(tempfile.mkdtemp(prefix=f"security-probe-{kind}-"))
    log = folder / "gunicorn.log"
    ok = True
    try:
        with fresh_database(kind, folder, args.postgres_url) as url:
            shown = url if kind == "postgresql" else "an SQLite file in a scratch folder"
            print(f"\n== database: {kind} ({shown})")
            app = create_app({"DATABASE_URL": url, "TALENTMATCH_ENV": "testing",
                              "SECRET_KEY": "probe-in-process"})
            try:
                with app.app_context():
                    bootstrap.init_db(engine=get_engine())  # as `talentmatch init-db`
                probe = Probe(base="", app=app, password_hash=password_hash,
                              tag=f"probe-{secrets.token_hex(4)}", rng=random.Random(args.seed))
                print(build_world(probe))
                env = server_env(url)
                with gunicorn(env, args.workers, log) as base:
                    probe.base = base
                    print(f"gunicorn: {args.workers} workers (sync) on {base}, "
                          f"TALENTMATCH_ENV=production, CSRF on, rate limits in {REDIS_URI} "
                          f"({redis_state()})")
                    ok &= run_phases(probe, args, env)
            finally:
                dispose_engine(app)
        problems = tracebacks(log)
        if problems:
            ok = False
            print(f"gunicorn logged {len(problems)} distinct traceback(s):")
            for block in problems:
                print("    " + block.replace("\n", "\n    "))
    except ProbeError as error:
        print(f"probe could not go on: {error}")
        for block in tracebacks(log):
            print("    " + block.replace("\n", "\n    "))
        ok = False
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return ok


def run_phases(probe: Probe, args, env: dict[str, str]) -> bool:
    ok = True
    answers, missing = check_headers(probe)
    for name, race in RACES:
        figures = RaceFigures(name)
        for _run in range(args.runs):
            race(probe, figures)
            figures.runs += 1
        print(figures.line())
        for problem in figures.unexpected[:5]:
            print(f"    unexpected: {problem}")
        ok &= figures.ok
    code, said = talentmatch_check(env)
    print(f"talentmatch check after the races: exit {code}: {said}")
    ok &= code == 0
    print(f"headers: {answers} responses, {len(missing)} missing")
    for problem in missing[:10]:
        print(f"    {problem}")
    ok &= not missing
    columns, before, found = erasure(probe)
    print(f"erasure: {len(found)} traces in {columns} text columns "
          f"({before} mentions of the student before her deletion)")
    for problem in found[:10]:
        print(f"    {problem}")
    ok &= not found and before > 0
    figures = fuzz(probe, args.fuzz_requests, args.crawl_pages)
    print(f"fuzz: {figures.requests} requests, statuses {status_counts(figures.statuses)}, "
          f"500s {sum(v for k, v in figures.statuses.items() if k >= 500)} "
          f"(no answer {figures.statuses[0]}; crawl {figures.crawled} pages, "
          f"{figures.forms} forms; CSRF refused {figures.csrf_refused}; "
          f"logged in again {figures.relogins}x; refused by gunicorn itself "
          f"{status_counts(figures.by_gunicorn)}; headers missing on "
          f"{sum(figures.header_gaps.values())} answers of the app)")
    for problem in figures.failures[:10] + list(figures.header_gaps)[:10]:
        print(f"    {problem}")
    ok &= not figures.failures and not figures.header_gaps
    code, said = talentmatch_check(env)
    print(f"talentmatch check after the fuzz: exit {code}: {said}")
    ok &= code == 0
    return ok
