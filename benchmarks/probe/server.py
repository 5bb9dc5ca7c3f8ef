"""The database the probe fills (a fresh SQLite file or a scratch PostgreSQL database) and the
gunicorn that serves it in production mode; ``talentmatch check`` on it and its log."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.probe import ProbeError
from benchmarks.probe.browser import Browser

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS_URI = "redis://127.0.0.1:6379"


@contextlib.contextmanager
def fresh_database(kind: str, folder: Path, server: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'probe.sqlite3'}"
        return
    name = f"talentmatch_probe_{secrets.token_hex(4)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def redis_state() -> str:
    with socket.socket() as probe:
        probe.settimeout(2)
        try:
            probe.connect(("127.0.0.1", 6379))
        except OSError:
            return "NOT reachable: the login throttle fails open"
    return "reachable"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TALENTMATCH_ENV="production", SECRET_KEY=secrets.token_hex(32), DATABASE_URL=url,
               SESSION_COOKIE_SECURE="false", REMEMBER_COOKIE_SECURE="false",
               RATELIMIT_STORAGE_URI=REDIS_URI,
               # The probe logs staff in as a browser without a phone; the second factor has
               # tests of its own (tests/web/two_factor, tests/browser/test_two_factor.py).
               TWO_FACTOR_REQUIRED="false")
    # RATELIMIT_KEY_PREFIX is not read from the environment (app/config.py ENV_VARS); the
    # probe's accounts get e-mail addresses of their own per run instead, so throttle counts
    # of an earlier run never meet them.
    return env


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b",
               f"127.0.0.1:{port}", "app:create_app()"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,  # noqa: S603
                                   stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while Browser(base).get("/healthz").status != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise ProbeError("gunicorn did not answer /healthz:\n"
                                 + log.read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def talentmatch_check(env: dict[str, str]) -> tuple[int, str]:
    entry = Path(sys.executable).with_name("talentmatch")
    command = [str(entry)] if entry.exists() else [
        sys.executable, "-c", "from app.cli import main; main()"]
    done = subprocess.run([*command, "check"], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=300, check=False)
    said = " | ".join(line for line in (done.stdout + done.stderr).splitlines() if line.strip())
    return done.returncode, said


def tracebacks(log: Path, limit: int = 3) -> list[str]:
    """The first few distinct tracebacks (and worker timeouts) in gunicorn's log."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    blocks: list[list[str]] = []
    inside = False
    for line in lines:
        if any(mark in line for mark in ("Exception on ", "WORKER TIMEOUT",
                                         "Error handling request")):
            blocks.append([line])
            inside = True
        elif inside and line.startswith("["):  # the next log record
            inside = False
        elif inside:
            blocks[-1].append(line)
    distinct: dict[str, str] = {}
    for block in blocks:
        last = next((line for line in reversed(block) if line.strip()), block[0])
        distinct.setdefault(last, "\n".join(block))
    return list(distinct.values())[:limit]
