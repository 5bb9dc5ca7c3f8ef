"""The processes of a deployment, started as compose.yaml starts them (``docker/entrypoint.sh``
with a role) but on this machine: a scratch PostgreSQL database and a Redis database number
of their own, one log file per process, and every process stopped at the end."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.probe.server import POSTGRES_SERVER

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
HEALTHCHECK = ROOT / "docker" / "healthcheck.sh"
REDIS_SERVER = "redis://127.0.0.1:6379"
CLAIM_KEY = "talentmatch-deploy-test"


class DeploymentError(AssertionError):
    """A process did not start, stopped, or never did what was waited for; with the logs."""


def services_reachable() -> str:
    """Empty when PostgreSQL and Redis answer at 127.0.0.1; otherwise which does not."""
    missing = []
    for name, port in (("PostgreSQL", 5432), ("Redis", 6379)):
        with socket.socket() as probe:
            probe.settimeout(2)
            try:
                probe.connect(("127.0.0.1", port))
            except OSError:
                missing.append(f"{name} at 127.0.0.1:{port}")
    return " and ".join(missing)


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A new database ``talentmatch_deploy_<random>`` on the local server, dropped afterwards
    (benchmarks.probe.server.fresh_database makes ``talentmatch_probe_*`` ones)."""
    name = f"talentmatch_deploy_{secrets.token_hex(4)}"
    admin = sa.create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_SERVER).set(database=name).render_as_string(
            hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _claim_redis_database(token: str) -> int:
    for number in range(15, 1, -1):
        client = redis.Redis.from_url(f"{REDIS_SERVER}/{number}")
        try:
            if client.set(CLAIM_KEY, token, nx=True, ex=3600):
                if client.dbsize() == 1:  # nothing but our claim: nobody else uses it
                    return number
                client.delete(CLAIM_KEY)
        except redis.ResponseError:  # a server configured with fewer databases
            continue
        finally:
            client.close()
    raise DeploymentError("no empty Redis database between 2 and 15 for the broker")


@contextlib.contextmanager
def redis_database() -> Iterator[str]:
    """The URL of a Redis database number nobody else uses (a broker shared with another
    run would hand our tasks to its workers), emptied afterwards."""
    number = _claim_redis_database(secrets.token_hex(8))
    url = f"{REDIS_SERVER}/{number}"
    try:
        yield url
    finally:
        client = redis.Redis.from_url(url)
        client.flushdb()
        client.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Deployment:
    """Processes started through the image's entrypoint, each logging to ``folder/<name>.log``."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder, self.env = folder, env
        self.processes: dict[str, subprocess.Popen] = {}
        self.base = f"http://127.0.0.1:{env['PORT']}"  # the web, once started
        # The test reads the database beside the processes, as an operator would.
        self.engine = sa.create_engine(env["DATABASE_URL"], poolclass=sa.pool.NullPool)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self, tail: int = 6000) -> str:
        return "\n".join(f"----- {path.name} (last {tail} characters) -----\n"
                         + path.read_text(errors="replace")[-tail:]
                         for path in sorted(self.folder.glob("*.log")))

    def run(self, name: str, *args: str, timeout: float = 600) -> None:
        """A one-off command (``migrate``, ``talentmatch seed``), which must succeed."""
        with (self.folder / f"{name}.log").open("wb") as out:
            done = subprocess.run(["sh", str(ENTRYPOINT), *args], cwd=self.folder,  # noqa: S603,S607
                                  env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=timeout, check=False)
        if done.returncode != 0:
            raise DeploymentError(f"{' '.join(args)} exited {done.returncode}\n{self.logs()}")

    def start(self, name: str, *args: str) -> None:
        """A long-running process, in a process group of its own so that stopping it also
        stops its children (gunicorn's workers, Celery's pool)."""
        with (self.folder / f"{name}.log").open("wb") as out:
            self.processes[name] = subprocess.Popen(  # noqa: S603,S607
                ["sh", str(ENTRYPOINT), *args], cwd=self.folder, env=self.env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)

    def healthy(self, role: str) -> bool:
        """What the container's health check says (docker/healthcheck.sh)."""
        done = subprocess.run(["sh", str(HEALTHCHECK), role], cwd=self.folder,  # noqa: S603,S607
                              env=self.env, capture_output=True, timeout=60, check=False)
        return done.returncode == 0

    def wait_for(self, what: str, ready: Callable[[], bool], timeout: float) -> None:
        """Wait until ``ready()``; fail with every log when a process stopped or time ran out."""
        deadline = time.monotonic() + timeout
        while not ready():
            stopped = [name for name, process in self.processes.items()
                       if process.poll() is not None]
            if stopped or time.monotonic() > deadline:
                reason = (f"{', '.join(stopped)} stopped" if stopped
                          else f"not within {timeout:.0f} s")
                raise DeploymentError(f"waiting for {what}: {reason}\n{self.logs()}")
            time.sleep(0.5)

    def stop(self) -> None:
        """SIGTERM to every process group (a Celery worker finishes its task, gunicorn its
        requests), SIGKILL to what is left after 30 s."""
        self.engine.dispose()
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:  # its children go with it: the same group
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)
