"""The issue 17 probe, small: one run of each race, a short fuzz, against 2 gunicorn workers.

On the database the suite runs on (SQLite, or PostgreSQL with TALENTMATCH_TEST_DATABASE_URL,
where the probe makes and drops its own scratch database beside the test one).
"""

from __future__ import annotations

import os

# No skip when gunicorn is missing: the test extra installs it, so its absence is an install
# error that must fail here, not a probe quietly left out.

FIGURES = ("race company-decline x10 then 2 yes: runs 1, overbookings 0, drift 0, "
           "double logs 0, unexpected 0",
           "race company accept+decline x5+x5: runs 1, overbookings 0, drift 0, double logs 0",
           "race student-yes 8x5 on 3 places: runs 1, overbookings 0, drift 0, double logs 0",
           "talentmatch check after the races: exit 0",
           "headers: 26 responses, 0 missing",
           "erasure: 0 traces in ",
           "fuzz: 60 requests, statuses ",
           "talentmatch check after the fuzz: exit 0",
           "result: every figure is what issue 17 asks for")


def test_the_probe_against_gunicorn_prints_every_figure_as_the_issue_asks(capsys):
    from benchmarks.security_probe import main

    server = os.environ.get("TALENTMATCH_TEST_DATABASE_URL")
    database = ["--database", "postgresql", "--postgres-url", server] if server else [
        "--database", "sqlite"]

    code = main([*database, "--runs", "1", "--workers", "2", "--fuzz-requests", "60",
                 "--crawl-pages", "25"])

    out = capsys.readouterr().out
    assert code == 0, out
    missing = [figure for figure in FIGURES if figure not in out]
    assert missing == [], out
    assert "500s 0 (no answer 0;" in out
