"""The web tier under load (issue 20): logged-in pages on PostgreSQL, measured with wrk.

    .venv/bin/python benchmarks/load_test.py [--database URL] [--fresh] [--seconds 10]
        [--rounds 1] [--connections 16 50] [--workers 2] [--students 20000]
        [--placements 4000] [--baseline CHECKOUT [--baseline-database URL]]

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
   seconds, ``--rounds`` times (the run with the median rate is shown), each run after two
   requests that warm the page (steady load: what a page keeps may have expired meanwhile).
   Printed per page: requests per second, p50, p99, errors (any answer that is not a 2xx,
   and socket errors and timeouts), the share of /healthz's requests per second, the server's
   CPU time per request (gunicorn's workers and their PostgreSQL backends, from /proc) and
   the size of an answer.

With ``--baseline CHECKOUT`` (code from before, e.g. ``git worktree add /tmp/before COMMIT``)
a second gunicorn serves that code on its own database (``talentmatch_load_base``, made by
that code), and every run alternates between the two servers (now, before; then before, now):
the machine's two cores are shared with whatever else runs, and only figures taken side by
side compare.

Targets (issue 20), on a 2-core machine at 16 connections: each page's p99 under 100 ms with
0 errors, and at least half the requests per second of ``/healthz`` in the same run. The admin's
review list (the lists page of the issue) and the student's notifications (the lightest
logged-in page, untouched: what any logged-in page costs at least) are measured beside them
but are not among the targets. The exit code is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file, not with -m: the checkout's packages first
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from app.models import MatchProposal, Placement, StudentProfile  # noqa: E402
from benchmarks.environment import print_environment  # noqa: E402
from benchmarks.load.server import (  # noqa: E402
    Server,
    answer_size,
    drain,
    load_average,
    log_in,
    prepare,
    serving,
)
from benchmarks.load.wrk import Run, WrkMissing, wrk_path  # noqa: E402
from benchmarks.load.wrk import run as run_wrk  # noqa: E402
from benchmarks.probe.server import REDIS_URI, redis_state, server_env  # noqa: E402

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/talentmatch_load"
BASELINE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/talentmatch_load_base"
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


def _line(page: Page, run: Run, healthz: Run, connections: int, cpu_seconds: float = 0.0,
          judged: bool = True) -> tuple[str, bool]:
    """The printed figures of one page, and whether it meets the targets (a page that is not
    judged here always does)."""
    share = run.rps / healthz.rps if healthz.rps else 0.0
    judged = judged and page.target and connections == TARGET_CONNECTIONS
    met = (run.requests > 0 and run.p99_ms < P99_TARGET_MS and run.errors == 0
           and share >= 0.5)
    mark = ("  met" if met else "  MISSED") if judged else ""
    cpu_ms = cpu_seconds * 1000 / run.requests if run.requests else 0.0
    text = (f"  {page.name:<31} {run.rps:8.1f} {run.p50_ms:8.1f} {run.p99_ms:8.1f} "
            f"{run.errors:7d} {share:7.0%} {cpu_ms:7.2f} {run.kib_per_answer:7.1f}{mark}")
    return text, met or not judged


def _measure(server: Server, page: Page, connections: int, args) -> tuple[Run, float]:
    """One wrk run against one server: its figures and the server's CPU seconds."""
    assert server.meter is not None
    drain(server)
    # Warm, as under steady load: what a page keeps (the monitor's figures, a minute) may
    # have expired while the other server or the other pages ran.
    answer_size(server, page.role, page.path, times=2)
    before = server.meter.read()
    run = run_wrk(server.base + page.path, connections=connections, seconds=args.seconds,
                  headers=server.headers[page.role], threads=args.threads,
                  timeout_s=args.timeout)
    return run, server.meter.since(before)


def _median(runs: list[tuple[Run, float]]) -> tuple[Run, float]:
    return sorted(runs, key=lambda found: found[0].rps)[len(runs) // 2]


def _load(servers: list[Server], args) -> bool:
    ok = True
    for connections in args.connections:
        print(f"\nwrk, {connections} connections, {args.seconds} s a run, {args.rounds} "
              f"round(s) (the median run shown), {args.threads} thread(s), timeout "
              f"{args.timeout} s; load average before: {load_average():.1f}")
        side = "" if len(servers) == 1 else " " * 7
        print(f"{side}  {'page':<31} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
              f"{'/healthz':>7} {'CPU ms':>7} {'KiB':>7}")
        healthz: dict[str, Run] = {}
        for page in PAGES:
            runs: dict[str, list[tuple[Run, float]]] = {s.name: [] for s in servers}
            for round_ in range(args.rounds):
                for server in servers if round_ % 2 == 0 else servers[::-1]:
                    runs[server.name].append(_measure(server, page, connections, args))
            for server in servers:
                run, cpu = _median(runs[server.name])
                healthz.setdefault(server.name, run)
                text, met = _line(page, run, healthz[server.name], connections, cpu,
                                  judged=server.name == "now")
                print((f"{server.name:<7}" if side else "") + text, flush=True)
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
    return (f"{counts['studentprofile']:,} students, {counts['placement']:,} placements, "
            f"{counts['matchproposal']:,} proposals; autovacuum {autovacuum}, {analyzed} "
            "tables analyzed")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE,
                        help="PostgreSQL URL of the benchmark's own database (made if missing)")
    parser.add_argument("--fresh", action="store_true", help="drop and make the databases")
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--placements", type=int, default=4_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-threads", type=int, default=1,
                        help="threads per gunicorn worker (more than 1: gthread workers, "
                             "which keep connections alive; default: sync, as the Dockerfile)")
    parser.add_argument("--seconds", type=int, default=10, help="per run")
    parser.add_argument("--rounds", type=int, default=1, help="runs per page and server")
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 50])
    parser.add_argument("--threads", type=int, default=1,
                        help="wrk threads (one drives 50 connections and leaves the cores to "
                             "the server)")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's timeout in seconds")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a checkout of the code to compare with, served beside this one")
    parser.add_argument("--baseline-database", default=BASELINE_DATABASE)
    args = parser.parse_args(argv)
    for url in (args.database, args.baseline_database):
        if not url.startswith("postgresql"):
            parser.error("the databases must be PostgreSQL URLs")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
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
    servers = [Server("now", ROOT, args.database)]
    if args.baseline is not None:
        servers.append(Server("before", args.baseline.resolve(), args.baseline_database))
    for server in servers:
        print(f"{server.name} ({server.checkout}): " + prepare(
            server, students=args.students, placements=args.placements, fresh=args.fresh))
        print(f"{server.name} database: {_database_line(server.database)}")
    folder = Path(tempfile.mkdtemp(prefix="load-test-"))
    with contextlib.ExitStack() as stack:
        for server in servers:
            log = folder / f"gunicorn-{server.name}.log"
            stack.enter_context(serving(server, server_env(server.database), args.workers, log,
                                        threads=args.worker_threads))
            log_in(server)
            kind = ("sync" if args.worker_threads == 1
                    else f"gthread ({args.worker_threads} threads each)")
            print(f"{server.name}: gunicorn {gunicorn_version}, {args.workers} {kind} workers on "
                  f"{server.base}, TALENTMATCH_ENV=production, login limits in {REDIS_URI} "
                  f"({redis_state()}), no BROKER_URL; log {log}")
            print("  answer sizes: " + ", ".join(
                f"{p.name} {answer_size(server, p.role, p.path) / 1024:.0f} KiB"
                for p in PAGES))
        ok = _load(servers, args)
    print(f"\ntargets at {TARGET_CONNECTIONS} connections (p99 < {P99_TARGET_MS:.0f} ms, "
          "0 errors, at least half of /healthz's requests per second): "
          + ("met by every page" if ok else "NOT met (see MISSED above)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
