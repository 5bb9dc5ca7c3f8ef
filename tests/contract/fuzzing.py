"""Schemathesis (4.x, its command line) against the live description, once per token, and the
figures of its JSON report.

Each run generates requests for every operation in ``/api/v1/openapi.json`` (the examples,
coverage, fuzzing and stateful phases, a fixed seed) and checks every response. The checks
that must find nothing are ``GATING``; ``positive_data_acceptance`` runs too but only counts:
it expects every schema-valid request to succeed, and the API rightly refuses some that no
schema can rule out (a cursor it never gave out is a 400, a region filter naming no region a
422, see docs/api.md), so its failures are printed for reading, not counted against the API.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

GATING = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance",
          "negative_data_rejection", "ignored_auth")
INFORMATIONAL = ("positive_data_acceptance",)
# Schemathesis's failure codes (`st explain CODE`) and the check that finds each.
CHECK_OF_CODE = {
    "ST101": "not_a_server_error", "ST102": "not_a_server_error",
    "ST103": "status_code_conformance",
    "ST104": "content_type_conformance", "ST105": "content_type_conformance",
    "ST106": "content_type_conformance",
    "ST107": "response_headers_conformance",
    "ST108": "response_schema_conformance", "ST109": "response_schema_conformance",
    "ST110": "response_schema_conformance",
    "ST201": "negative_data_rejection", "ST202": "positive_data_acceptance",
    "ST401": "ignored_auth",
}
SEED = 22
# Per operation and phase: with the 35 operations of issue 22 about a minute a token (three
# tokens a database) on a 2-core machine. TALENTMATCH_CONTRACT_EXAMPLES changes it.
MAX_EXAMPLES = int(os.environ.get("TALENTMATCH_CONTRACT_EXAMPLES", "10"))
TIMEOUT = 900  # seconds for one token's run, whatever happens
TOOL_FAULT = "AST constructor recursion depth mismatch"
# What gunicorn itself answers (limit_request_line 4094, limit_request_field_size 8190).
GUNICORN_REFUSALS = ("Request Line is too large", "Request Header Field is too large",
                     "Request Header Fields Too Large")


@dataclass
class FuzzFigures:
    token: str
    operations_total: int = 0
    operations_tested: int = 0
    test_cases: int = 0
    seconds: float = 0.0
    failures: Counter = field(default_factory=Counter)     # check -> unique failures
    where: dict[str, list[str]] = field(default_factory=dict)  # check -> operations
    errors: list[str] = field(default_factory=list)        # schemathesis could not test
    tool_faults: list[str] = field(default_factory=list)   # its own bug, see run_schemathesis
    by_gunicorn: Counter = field(default_factory=Counter)  # check -> gunicorn's own refusals
    output: str = ""                                        # its own report, for a failure

    @property
    def gating_failures(self) -> int:
        return sum(count for check, count in self.failures.items() if check not in INFORMATIONAL)

    @property
    def ok(self) -> bool:
        return (self.gating_failures == 0 and not self.errors
                and self.operations_tested == self.operations_total > 0)

    def lines(self) -> list[str]:
        checks = ", ".join(f"{check} {self.failures.get(check, 0)}" for check in GATING)
        extra = ", ".join(f"{check} {self.failures.get(check, 0)} (counted, not gating)"
                          for check in INFORMATIONAL)
        lines = [f"schemathesis as {self.token}: {self.operations_tested} of "
                 f"{self.operations_total} operations tested, {self.test_cases} test cases "
                 f"generated in {self.seconds:.0f} s (seed {SEED}, at most {MAX_EXAMPLES} "
                 f"examples per operation and phase)",
                 f"    failures per check: {checks}; {extra}; errors {len(self.errors)}"
                 + (f" (and {len(self.tool_faults)} of schemathesis's own)"
                    if self.tool_faults else "")]
        lines += [f"    {check} failed on: {', '.join(self.where[check])}"
                  for check in self.where]
        if sum(self.by_gunicorn.values()):
            lines.append("    refused by gunicorn itself before the app (not counted): "
                         + ", ".join(f"{check} {count}"
                                     for check, count in self.by_gunicorn.items() if count))
        lines += [f"    error: {error}" for error in self.errors]
        lines += [f"    schemathesis's own fault, not the API's: {fault}"
                  for fault in self.tool_faults]
        return lines


def refused_by_gunicorn(report: str) -> Counter:
    """Failure codes (per test case) whose answer was gunicorn's own HTML refusal of a request
    line or headers beyond its limits (e.g. a 5 KB query string: 414), which the app never
    saw. The security probe counts those apart too (benchmarks/probe/fuzz.py)."""
    found: Counter = Counter()
    for case in re.split(r"\n\d+\. Test Case ID: ", report)[1:]:
        case = case.split("\n____", 1)[0]
        if any(mark in case for mark in GUNICORN_REFUSALS):
            found.update(set(re.findall(r"^- (ST\d+) ", case, flags=re.MULTILINE)))
    return found


def run_schemathesis(base: str, token_name: str, raw_token: str, folder: Path,
                     path_regex: str | None = None) -> FuzzFigures:
    """Schemathesis against the live description with one token; ``path_regex`` keeps the
    operations whose path matches it (a student's token opens only ``/api/v1/me/``: every
    other operation would be the same 403, which the staff runs already cover)."""
    report = folder / f"schemathesis-{token_name}.json"
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run",
        f"{base}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {raw_token}",
        "--checks", ",".join(GATING + INFORMATIONAL),
        "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
        "--generation-database", "none", "--workers", "2", "--request-timeout", "30",
        "--report", "json", "--report-json-path", str(report),
        "--no-color", "--output-truncate", "true",
        *(["--include-path-regex", path_regex] if path_regex else []),
    ]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)
    # Its own report (every failure with a curl command to reproduce it) beside the JSON.
    (folder / f"schemathesis-{token_name}.txt").write_text(done.stdout + done.stderr)
    figures = FuzzFigures(token=token_name, output=done.stdout[-20000:] + done.stderr[-5000:])
    if not report.exists():
        figures.errors.append(f"no report (exit {done.returncode}): {done.stderr[-2000:]}")
        return figures
    data = json.loads(report.read_text())
    figures.operations_total = data["operations"]["selected"]
    figures.operations_tested = data["operations"]["tested"]
    figures.test_cases = data["test_cases"]["generated"]
    figures.seconds = data["running_time"]
    front_door = refused_by_gunicorn(done.stdout)
    for failure in data["failures"]:
        check = CHECK_OF_CODE.get(failure["code"], f"{failure['code']} {failure['title']}")
        by_gunicorn = min(front_door[failure["code"]], failure["count"])
        figures.by_gunicorn[check] += by_gunicorn
        if failure["count"] > by_gunicorn:
            figures.failures[check] += failure["count"] - by_gunicorn
            figures.where.setdefault(check, []).extend(failure["operations"])
    for error in data["errors"]:
        # Schemathesis 4.32's coverage phase sometimes trips over Hypothesis describing one of
        # its own lambdas ("AST constructor recursion depth mismatch"): a fault of the tool
        # on that one operation and phase, which says nothing of the API. Any other error (a
        # connection refused, a timeout, a description it cannot read) fails the run.
        if error.get("title") == "Runtime Error" and TOOL_FAULT in done.stdout:
            figures.tool_faults.append(json.dumps(error)[:500])
        else:
            figures.errors.append(json.dumps(error)[:500])
    return figures
