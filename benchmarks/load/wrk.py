"""Debian's ``wrk`` against one page: requests per second, p50, p99 and every answer that was
not a 2xx (wrk itself counts only 4xx/5xx as errors; a 302 to the login page would pass)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# wrk's Lua hooks: each thread counts its non-2xx answers; ``done`` adds them up and prints one
# line with the totals and the latency percentiles (microseconds).
SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d max_us=%d non2xx=%d " ..
    "connect=%d read=%d write=%d timeout=%d\\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(99), latency.max, bad, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
"""
_RESULT = re.compile(r"RESULT (.*)")


class WrkMissing(RuntimeError):
    """wrk is not installed."""


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    bytes: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    socket_errors: int   # connect, read, write errors and timeouts

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors

    @property
    def kib_per_answer(self) -> float:
        return self.bytes / self.requests / 1024 if self.requests else 0.0


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissing("wrk is not installed: `apt-get install -y wrk`")
    return found


def run(url: str, *, connections: int, seconds: int, headers: dict[str, str] | None = None,
        threads: int = 2, timeout_s: int = 10) -> Run:
    """``wrk`` with ``connections`` open connections for ``seconds`` against ``url``."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "count.lua"
        script.write_text(SCRIPT)
        command = [wrk_path(), f"-t{min(threads, connections)}", f"-c{connections}",
                   f"-d{seconds}s", f"--timeout={timeout_s}s", "-s", str(script)]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        done = subprocess.run([*command, url], capture_output=True, text=True,  # noqa: S603
                              timeout=seconds + timeout_s + 60, check=False)
    found = _RESULT.search(done.stdout)
    if found is None:
        raise RuntimeError(f"wrk said nothing to count:\n{done.stdout}\n{done.stderr}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    return Run(requests=values["requests"], seconds=values["duration_us"] / 1e6,
               bytes=values["bytes"], p50_ms=values["p50_us"] / 1000,
               p99_ms=values["p99_us"] / 1000, max_ms=values["max_us"] / 1000,
               non2xx=values["non2xx"],
               socket_errors=sum(values[k] for k in ("connect", "read", "write", "timeout")))
