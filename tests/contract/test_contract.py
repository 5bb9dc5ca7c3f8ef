"""Issue 22's checks of the JSON API, from outside, on both databases: the integration story
over HTTP only, the web's IDOR probes, and Schemathesis against the live description, each
against gunicorn in production mode on a fresh, seeded database (tests/contract/live.py).

Needs PostgreSQL and Redis at 127.0.0.1, like tests/deploy: without them it is skipped
locally; CI (``.ci/run``, section "API contract") sets TALENTMATCH_REQUIRE_CONTRACT=1, which
turns that skip into a failure. TALENTMATCH_CONTRACT_DATABASES=sqlite (or postgresql) runs
one database only. The figures are printed whether the tests pass or not.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contract.fuzzing import run_schemathesis
from tests.contract.live import ACCOUNTS, live_api
from tests.contract.probes import ProbeFigures, call, probe
from tests.deploy.processes import services_reachable

STORY = Path(__file__).parent / "story" / "test_integration_story.py"
DATABASES = [kind for kind in ("sqlite", "postgresql")
             if kind in os.environ.get("TALENTMATCH_CONTRACT_DATABASES", "sqlite,postgresql")]


@pytest.fixture(scope="module", params=DATABASES)
def live(request, tmp_path_factory):
    missing = services_reachable()
    if missing:
        reason = f"the API contract tests need PostgreSQL and Redis; {missing}: not reachable"
        if os.environ.get("TALENTMATCH_REQUIRE_CONTRACT") == "1":
            pytest.fail(f"TALENTMATCH_REQUIRE_CONTRACT=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp(f"contract-{request.param}")
    with live_api(request.param, folder) as api:
        _say(request, f"\n== API contract on {request.param}: {api.base}, setup: "
             + "; ".join(api.notes))
        yield api


def _say(request, *lines: str) -> None:
    """Straight to the terminal, whatever pytest captures: CI's log quotes these figures."""
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        for line in lines:
            if reporter is None:
                print(line)
            else:
                reporter.write_line(line)


def test_the_integration_story_works_with_a_token_and_the_description_alone(live, request):
    env = {**os.environ, **live.story_env()}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--noconftest", "-p", "no:cacheprovider", "-q",
         "-rA", "--tb=short", str(STORY)],
        cwd=STORY.parents[3], env=env, capture_output=True, text=True, timeout=900,
        check=False)
    summary = [line for line in done.stdout.splitlines()
               if line.startswith(("PASSED", "FAILED", "ERROR"))]
    _say(request, f"integration story ({live.kind}): exit {done.returncode}", *(
        f"    {line}" for line in summary))
    assert done.returncode == 0, done.stdout[-15000:] + done.stderr[-3000:]


def test_no_token_opens_another_schools_or_companys_objects(live, request):
    description = json.loads(call(live.base, live.tokens["counsellor"], "get",
                                  "/api/v1/openapi.json").body)
    failed = []
    for role in [*ACCOUNTS, *(["student"] if "student" in live.tokens else [])]:
        figures = ProbeFigures()
        probe(live.base, description, live.tokens[role], live.foreign[role], live.own[role],
              figures, student=role == "student")
        _say(request, *figures.lines(f"{live.kind}, {role}'s token"))
        if not figures.ok:
            failed.append(role)
    assert not failed, f"IDOR probes failed for {failed}: see the lines above"


@pytest.mark.parametrize("role", [*ACCOUNTS, "student"])
def test_schemathesis_finds_no_server_error_or_schema_violation(live, role, tmp_path, request):
    # The demo student's own token (made as on /me/apps) fuzzes the operations it opens.
    assert role in live.tokens, "no demo student could make her own token: " + "; ".join(
        live.notes)
    figures = run_schemathesis(live.base, role, live.tokens[role], tmp_path,
                               path_regex="^/api/v1/me/" if role == "student" else None)
    _say(request, *(line.replace("schemathesis as", f"schemathesis ({live.kind}) as", 1)
           for line in figures.lines()))
    assert figures.ok, figures.output + "\n" + live.deployment.logs(tail=8000)
