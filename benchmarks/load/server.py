"""The servers the load test loads: this checkout's, and (with ``--baseline``) another
checkout's, each gunicorn on its own database, with the accounts logged in.

A baseline checkout is code from before a change (``git worktree add /tmp/before COMMIT``);
its database is made by that code (benchmarks/load/world.py loaded by file, with the
checkout's ``app`` and ``seeds`` first on the path), so it is as the code left it: a seed of
before issue 20 ran no ANALYZE.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.load import world
from benchmarks.load.cpu import CpuMeter
from benchmarks.probe.browser import Browser

ROOT = Path(__file__).resolve().parents[2]
_PREPARE = """
import importlib.util, sys
checkout, path, url, students, placements, fresh = sys.argv[1:]
sys.path.insert(0, checkout)
spec = importlib.util.spec_from_file_location("load_world", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(module.prepare(url, students=int(students), placements=int(placements),
                     fresh=fresh == "1"))
"""


@dataclass
class Server:
    name: str           # "now" or "before"
    checkout: Path
    database: str
    base: str = ""
    headers: dict[str | None, dict[str, str]] = field(default_factory=dict)
    meter: CpuMeter | None = None


def prepare(server: Server, *, students: int, placements: int, fresh: bool) -> str:
    """The server's database, made (or reused) by the server's own code."""
    if server.checkout == ROOT:
        return world.prepare(server.database, students=students, placements=placements,
                             fresh=fresh)
    done = subprocess.run(  # noqa: S603 - our own interpreter and files
        [sys.executable, "-c", _PREPARE, str(server.checkout), world.__file__,
         server.database, str(students), str(placements), "1" if fresh else "0"],
        cwd=server.checkout, capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode:
        raise SystemExit(f"the baseline's database could not be made:\n{done.stderr[-3000:]}")
    return done.stdout.strip()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(server: Server, env: dict[str, str], workers: int, log: Path,
            threads: int = 1) -> Iterator[Server]:
    """gunicorn on the server's checkout until the block ends: sync workers as the Dockerfile
    starts it, or with ``threads`` > 1 gthread workers of that many threads each. The server
    comes back with its address and its CPU meter."""
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b",
               f"127.0.0.1:{port}", "app:create_app()"]
    if threads > 1:
        command[-1:-1] = ["--worker-class", "gthread", "--threads", str(threads)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=server.checkout,  # noqa: S603
                                   env={**env, "DATABASE_URL": server.database},
                                   stdout=out, stderr=subprocess.STDOUT)
    server.base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while Browser(server.base).get("/healthz").status != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer /healthz:\n"
                                 + log.read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        server.meter = CpuMeter(port, server.database)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_in(server: Server) -> None:
    """The request headers of each role, logged in through the login form: its cookies, and
    the browser's User-Agent (session protection is "strong": a session used by another
    client is ended)."""
    agent = dict(urllib.request.build_opener().addheaders)["User-agent"]
    server.headers = {None: {"User-Agent": agent}}
    for role, email in world.ROLES.items():
        browser = Browser(server.base, email)
        if not browser.login(world.PASSWORD):
            raise SystemExit(f"{server.name}: {role} {email} could not log in through /login")
        server.headers[role] = {"User-Agent": agent, "Cookie": "; ".join(
            f"{c.name}={c.value}" for c in browser.jar)}


def answer_size(server: Server, role: str | None, path: str, times: int = 3) -> int:
    """GETs ``path`` a few times as ``role`` with the headers wrk will send (warming the
    workers); it must answer 200, as a 302 to /login would load the login page instead.
    Returns the answer's size in bytes."""
    browser = Browser(server.base)
    size = 0
    for _ in range(times):
        request = browser.prepare("GET", path)
        for name, value in server.headers[role].items():
            request.add_header(name, value)
        answer = browser.send(request)
        if answer.status != 200:
            raise SystemExit(f"{server.name}: {path} as {role} answered {answer.status} "
                             f"{answer.error}")
        size = len(answer.body.encode()) if answer.body else 0
    return size


def drain(server: Server, limit_s: float = 180) -> None:
    """Waits until the server is idle again: a slow page leaves its queued requests behind
    when wrk stops, and they would eat the next run's seconds."""
    browser = Browser(server.base)
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        started = time.monotonic()
        if browser.get("/healthz").status == 200 and time.monotonic() - started < 0.05:
            return
        time.sleep(0.5)


def port_of(server: Server) -> int:
    return urllib.parse.urlsplit(server.base).port or 0


def load_average() -> float:
    return os.getloadavg()[0]
