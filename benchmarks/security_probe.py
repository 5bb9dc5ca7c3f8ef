"""The issue 17 probe, from scratch, against gunicorn: races, a fuzzer, erasure and headers.

    .venv/bin/python benchmarks/security_probe.py [--database sqlite|postgresql|both] [--runs 3]
        [--workers 4] [--fuzz-requests 1500] [--crawl-pages 120] [--seed 17]

For each database a fresh one is made (an SQLite file in a scratch folder, or a scratch
PostgreSQL database that is dropped afterwards), migrated as ``talentmatch init-db`` does and
filled with a small world (tests/factories.py, one known password hashed once). Then
``gunicorn -w N "app:create_app()"`` serves it in production mode (CSRF on, Redis as the
login throttle's storage) and everything below goes over HTTP, logged in as a browser is:

1. races, each ``--runs`` times on fresh proposals, all requests of a race released together:
   a company's decline of one candidate sent 10 times while both places of the placement are
   held, then two more students saying yes to it at once; a company's accept and decline of one
   candidate sent at once (5 of each); 8 students clicking "yes" 5 times each on a placement
   with 3 places. After each run the database is counted: students holding a place against
   capacity, ``places_taken`` against the holders, decision-log rows per proposal;
2. ``talentmatch check`` on the database;
3. the security headers of each role's personal pages and of the public ones;
4. erasure: a student with a dream job, a pin note, company feedback, notifications and
   e-mails naming her asks to be deleted, her counsellor carries it out on the website, and
   every text column of every table is searched for what identified her;
5. a fuzzer: each role crawls what it can reach and posts one or two odd values among
   sensible ones to every form found (the CSRF token kept valid), sends odd query values and
   odd ids; answers are counted by status. A fixed seed makes runs repeatable.

The figures issue 17 asks for: 0 overbookings, 0 drift and 0 double logs in every race, 0
answers of 500, 0 traces of the student after erasure and no missing header. The exit code is
1 when any figure is not that (2 when the probe could not run, e.g. gunicorn is missing).
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file, not with -m: the checkout's packages first
    sys.path.insert(0, str(ROOT))

from werkzeug.security import generate_password_hash  # noqa: E402

from benchmarks.environment import print_environment  # noqa: E402
from benchmarks.probe.phases import probe_database  # noqa: E402
from benchmarks.probe.server import POSTGRES_SERVER  # noqa: E402
from benchmarks.probe.world import PASSWORD  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, default=3, help="repeats of each race")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--fuzz-requests", type=int, default=1500, help="per database")
    parser.add_argument("--crawl-pages", type=int, default=120, help="per role")
    parser.add_argument("--seed", type=int, default=17, help="draws the fuzzer's values")
    parser.add_argument("--postgres-url", default=POSTGRES_SERVER,
                        help="a PostgreSQL server's maintenance database; the probe creates "
                             "and drops a scratch database beside it")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("gunicorn") is None:
        print(f"gunicorn is not installed in {sys.executable}: the probe needs a real "
              "multi-process server. Install it (`.venv/bin/pip install gunicorn`, or the "
              "`prod` extra) and run again.")
        return 2
    from gunicorn import __version__ as gunicorn_version

    print_environment()
    print(f"platform: {platform.platform()}")
    print(f"gunicorn {gunicorn_version}, {args.workers} workers; runs {args.runs}; "
          f"fuzz budget {args.fuzz_requests} per database, seed {args.seed}")
    password_hash = generate_password_hash(PASSWORD)  # once: hashing is slow by design
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    ok = True
    for kind in kinds:
        ok &= probe_database(kind, args, password_hash)
    print("\nresult: " + ("every figure is what issue 17 asks for" if ok
                          else "some figure is NOT what issue 17 asks for (see above)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
