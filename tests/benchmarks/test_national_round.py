"""The national round benchmark, run tiny: no place booked twice, and the same proposals with
one worker process as with two."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_tiny_national_round_books_no_place_twice_and_two_workers_propose_as_one():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.national_round", "--students", "3000",
         "--placements", "600", "--regions", "3", "--pool-students", "100",
         "--pool-placements", "60", "--workers", "1,2"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "plan: 3 regions" in out and "threadpool:" in out
    checks = re.findall(r"double bookings \((\d) workers;.*: (-?\d+)$", out, re.MULTILINE)
    assert checks == [("1", "0"), ("2", "0")]
    proposed = [int(n.replace(",", "")) for n in re.findall(r"students proposed: ([\d,]+)", out)]
    assert len(proposed) == 2 and proposed[0] == proposed[1] > 0
    digests = re.findall(r"proposals digest: (\w+)", out)
    assert len(digests) == 2 and digests[0] == digests[1]
    assert "same proposals with 1 and 2 workers: yes" in out
    assert len(re.findall(r"peak memory \(RSS\) of worker \d+: [\d,]+ MiB", out)) == 3
