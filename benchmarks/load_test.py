"""The web tier under load (issue 20): logged-in pages on PostgreSQL, measured with wrk.

    .venv/bin/python benchmarks/load_test.py [--database URL] [--fresh] [--seconds 10]
        [--connections 16 50] [--workers 2] [--students 20000] [--placements 4000]

1. The database (``talentmatch_load`` on the local server unless ``--database`` names another;
   never ``test``, which CI and the test suite use) is created, migrated as ``talentmatch
   init-db`` does, seeded with 20,000 students, given one matching round for everyone, and the
   demo accounts' proposals are moved along (benchmarks/load/world.py). A database that has a
   round already is reused as it is; ``--fresh`` drops and makes it again.
2. ``gunicorn -w 2 "app:create_app()"`` (sync workers, as the Dockerfile starts it) serves it in
   production mode: TALENTMATCH_ENV=production, CSRF on, login limits in Redis. The second
   factor is off (TWO_FACTOR_REQUIRED=false), as for the security probe: the accounts log in
   as a browser without a phone. No BROKER_URL: lapses run in the web process, as embedded.
3. One account per role logs in through the real login form (e-mail, password, CSRF token);
   its session cookie is handed to wrk.
4. For each number of connections, wrk loads ``/healthz`` and then each page for ``--seconds``
   seconds. Printed per page: requests per second, p50, p99, errors (any answer that is not a
   2xx, and socket errors and timeouts), the share of /healthz's requests per second, the
   server's CPU time per request (gunicorn's workers and their PostgreSQL backends, from
   /proc: unlike the rates it hardly depends on what else the machine runs) and the size of
   an answer.

Targets (issue 20), on a 2-core machine at 16 connections: each page's p99 under 100 ms with
0 errors, and at least half the requests per second of ``/healthz`` in the same run. The admin's
review list (the lists page of the issue) and the student's notifications (the lightest
logged-in page, untouched: what any logged-in page costs at least) are measured beside them
but are not among the targets.
The exit code is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file, not with -m: the checkout's packages first
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from app.models import MatchProposal, Placement, StudentProfile  # noqa: E402
from benchmarks.environment import print_environment  # noqa: E402
from benchmarks.load import world  # noqa: E402
from benchmarks.load.cpu import CpuMeter  # noqa: E402
from benchmarks.load.wrk import Run, WrkMissing, wrk_path  # noqa: E402
from benchmarks.load.wrk import run as run_wrk  # noqa: E402
from benchmarks.probe.browser import Browser  # noqa: E402
from benchmarks.probe.server import REDIS_URI, gunicorn, redis_state, server_env  # noqa: E402

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/talentmatch_load"
P99_TARGET_MS = 100.0
TARGET_CONNECTIONS = 16


@dataclass(frozen=True)
class Page:
    name: str
    role: str | None   # None: not logged in
    path: str
    target: bool = True


PAGES = (
    Page("/healthz", None, "/healthz", target=False),
    Page("student /home", "student", "/home"),
    Page("student /me/proposals/", "student", "/me/proposals/"),
    Page("counsellor /review/", "counsellor", "/review/"),
    Page("coordinator /monitor/", "coordinator", "/monitor/"),
    Page("company /candidates/", "company", "/candidates/"),
    Page("admin /review/ (list)", "admin", "/review/", target=False),
    # Untouched by issue 20: the lightest logged-in page (user, unread count, the layout), so
    # what any logged-in page costs at least shows beside the others.
    Page("student /notifications/ (ref.)", "student", "/notifications/", target=False),
)


def _login_all(base: str) -> dict[str | None, dict[str, str]]:
    """The request headers of each role, logged in through the login form: its cookies, and
    the browser's User-Agent (session protection is "strong": a session used by another
    client is ended)."""
    agent = dict(urllib.request.build_opener().addheaders)["User-agent"]
    headers: dict[str | None, dict[str, str]] = {None: {"User-Agent": agent}}
    for role, email in world.ROLES.items():
        browser = Browser(base, email)
        if not browser.login(world.PASSWORD):
            raise SystemExit(f"{role} {email} could not log in through /login")
        headers[role] = {"User-Agent": agent,
                         "Cookie": "; ".join(f"{c.name}={c.value}" for c in browser.jar)}
    return headers


def _check_pages(base: str, headers: dict[str | None, dict[str, str]]) -> dict[str, int]:
    """Each page a few times, as its role, with the headers wrk will send: it must answer 200
    (a 302 to /login would load the login page instead), and is warm after. Returns the size
    of each answer in bytes."""
    sizes = {}
    for page in PAGES:
        browser = Browser(base)
        for _ in range(3):  # the first answer of each worker compiles templates
            request = browser.prepare("GET", page.path)
            for name, value in headers[page.role].items():
                request.add_header(name, value)
            answer = browser.send(request)
            if answer.status != 200:
                raise SystemExit(f"{page.name} answered {answer.status}: {answer.error}")
        sizes[page.name] = len(answer.body.encode()) if answer.body else 0
    return sizes


def _line(page: Page, run: Run, healthz: Run, connections: int,
          cpu_seconds: float = 0.0) -> tuple[str, bool]:
    share = run.rps / healthz.rps if healthz.rps else 0.0
    met = (run.requests > 0 and run.p99_ms < P99_TARGET_MS and run.errors == 0
           and share >= 0.5)
    mark = "" if not page.target or connections != TARGET_CONNECTIONS else (
        "  met" if met else "  MISSED")
    cpu_ms = cpu_seconds * 1000 / run.requests if run.requests else 0.0
    text = (f"  {page.name:<31} {run.rps:8.1f} {run.p50_ms:8.1f} {run.p99_ms:8.1f} "
            f"{run.errors:7d} {share:7.0%} {cpu_ms:7.2f} {run.kib_per_answer:7.1f}{mark}")
    return text, met or not page.target or connections != TARGET_CONNECTIONS


def _drain(base: str, limit_s: float = 180) -> None:
    """Waits until the server is idle again: a slow page leaves its queued requests behind
    when wrk stops, and they would eat the next page's seconds."""
    browser = Browser(base)
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        started = time.monotonic()
        if browser.get("/healthz").status == 200 and time.monotonic() - started < 0.05:
            return
        time.sleep(0.5)


def _load(base: str, headers: dict[str | None, dict[str, str]], args) -> bool:
    meter = CpuMeter(urllib.parse.urlsplit(base).port or 0, args.database)
    ok = True
    for connections in args.connections:
        print(f"\nwrk, {connections} connections, {args.seconds} s per page "
              f"({args.threads} threads, timeout {args.timeout} s); load average before: "
              f"{os.getloadavg()[0]:.1f}")
        print(f"  {'page':<31} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
              f"{'/healthz':>7} {'CPU ms':>7} {'KiB':>7}")
        healthz = None
        for page in PAGES:
            _drain(base)
            before = meter.read()
            run = run_wrk(base + page.path, connections=connections, seconds=args.seconds,
                          headers=headers[page.role],
                          threads=args.threads, timeout_s=args.timeout)
            cpu = meter.since(before)
            healthz = healthz or run
            text, met = _line(page, run, healthz, connections, cpu)
            print(text, flush=True)
            ok &= met
    return ok


def _database_line(url: str) -> str:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        counts = {table.name: conn.execute(sa.select(sa.func.count()).select_from(table))
                  .scalar_one() for table in (StudentProfile.__table__, Placement.__table__,
                                              MatchProposal.__table__)}
        autovacuum = conn.execute(sa.text("SHOW autovacuum")).scalar_one()
        analyzed = conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_user_tables "
            "WHERE last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL")).scalar_one()
    engine.dispose()
    return (f"database: {counts['studentprofile']:,} students, {counts['placement']:,} "
            f"placements, {counts['matchproposal']:,} proposals; autovacuum {autovacuum}, "
            f"{analyzed} tables analyzed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE,
                        help="PostgreSQL URL of the benchmark's own database (made if missing)")
    parser.add_argument("--fresh", action="store_true", help="drop and make it again")
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--placements", type=int, default=4_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seconds", type=int, default=10, help="per page and concurrency")
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 50])
    parser.add_argument("--threads", type=int, default=1,
                        help="wrk threads (one drives 50 connections and leaves the cores to "
                             "the server)")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's timeout in seconds")
    args = parser.parse_args(argv)
    if not args.database.startswith("postgresql"):
        parser.error("--database must be a PostgreSQL URL")
    try:
        wrk = wrk_path()
    except WrkMissing as error:
        print(error)
        return 2
    from gunicorn import __version__ as gunicorn_version

    print_environment()
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True,  # noqa: S603
                             check=False)
    print(f"platform: {platform.platform()}")
    print(f"load generator: {(version.stdout + version.stderr).splitlines()[0]}")
    print(world.prepare(args.database, students=args.students, placements=args.placements,
                        fresh=args.fresh))
    print(_database_line(args.database))
    log = Path(tempfile.mkdtemp(prefix="load-test-")) / "gunicorn.log"
    with gunicorn(server_env(args.database), args.workers, log) as base:
        print(f"gunicorn {gunicorn_version}: {args.workers} sync workers on {base}, "
              f"TALENTMATCH_ENV=production, login limits in {REDIS_URI} ({redis_state()}), "
              f"no BROKER_URL; log {log}")
        headers = _login_all(base)
        sizes = _check_pages(base, headers)
        print("answer sizes: " + ", ".join(f"{n} {s / 1024:.0f} KiB" for n, s in sizes.items()))
        ok = _load(base, headers, args)
    print(f"\ntargets at {TARGET_CONNECTIONS} connections (p99 < {P99_TARGET_MS:.0f} ms, "
          "0 errors, at least half of /healthz's requests per second): "
          + ("met by every page" if ok else "NOT met (see MISSED above)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
