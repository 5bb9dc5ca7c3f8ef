"""The load test's own logic: what wrk's report line says, and when a page meets the targets.

(The load test itself needs wrk and a 20,000-student PostgreSQL database; it is a benchmark,
run by hand: `.venv/bin/python benchmarks/load_test.py`.)"""

from __future__ import annotations

import pytest

from benchmarks.load import wrk
from benchmarks.load_test import P99_TARGET_MS, TARGET_CONNECTIONS, Page, _line

HEALTHZ = wrk.Run(requests=10_000, seconds=10.0, bytes=600_000, p50_ms=10.0, p99_ms=20.0,
                  max_ms=30.0, non2xx=0, socket_errors=0)
PAGE = Page("student /home", "student", "/home")


def page_run(*, requests=6_000, p99_ms=P99_TARGET_MS - 1, non2xx=0, socket_errors=0):
    return wrk.Run(requests=requests, seconds=10.0, bytes=requests * 4096, p50_ms=10.0,
                   p99_ms=p99_ms, max_ms=p99_ms + 1, non2xx=non2xx, socket_errors=socket_errors)


def test_a_page_meets_the_targets_with_a_fast_p99_no_errors_and_half_the_healthz_rate():
    text, met = _line(PAGE, page_run(requests=5_000), HEALTHZ, TARGET_CONNECTIONS)
    assert met and text.endswith("met") and " 50%" in text


@pytest.mark.parametrize("run", [
    page_run(p99_ms=P99_TARGET_MS),        # p99 not under 100 ms
    page_run(non2xx=1),                    # a redirect to the login page is an error too
    page_run(socket_errors=1),             # a timeout or a reset
    page_run(requests=4_999),              # less than half of /healthz
    page_run(requests=0),                  # nothing answered at all
])
def test_a_page_misses_the_targets_on_any_of_them(run):
    text, met = _line(PAGE, run, HEALTHZ, TARGET_CONNECTIONS)
    assert not met and text.endswith("MISSED")


def test_other_connection_counts_and_reference_pages_are_measured_not_judged():
    slow = page_run(p99_ms=5_000, requests=10)
    assert _line(PAGE, slow, HEALTHZ, 50)[1]
    reference = Page("admin /review/ (list)", "admin", "/review/", target=False)
    text, met = _line(reference, slow, HEALTHZ, TARGET_CONNECTIONS)
    assert met and not text.endswith(("met", "MISSED"))


def test_the_lua_report_line_is_read_into_figures(monkeypatch):
    line = ("RESULT requests=1200 duration_us=10000000 bytes=2457600 p50_us=8100 p99_us=45200 "
            "max_us=61000 non2xx=3 connect=0 read=1 write=0 timeout=2\n")

    class Done:
        stdout, stderr = "Running 10s test @ http://x/\n" + line, ""

    monkeypatch.setattr(wrk, "wrk_path", lambda: "/usr/bin/wrk")
    monkeypatch.setattr(wrk.subprocess, "run", lambda *args, **kwargs: Done())
    run = wrk.run("http://x/", connections=16, seconds=10, headers={"Cookie": "session=abc"})
    assert (run.requests, run.rps, run.p50_ms, run.p99_ms) == (1200, 120.0, 8.1, 45.2)
    assert (run.non2xx, run.socket_errors, run.errors) == (3, 3, 6)
    assert run.kib_per_answer == 2.0
