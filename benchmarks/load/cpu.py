"""The server's CPU time per request: gunicorn's workers and their PostgreSQL backends.

Requests per second and latencies depend on what else the machine's two cores are doing (other
benchmarks, test runs); the CPU time the server spends per request hardly does. It is read
from /proc before and after each run: the workers are the gunicorn master's children, the
backends the database's connections other than the one asking.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User and system time of ``pid`` so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _parent(pid: str) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def gunicorn_pids(port: int) -> list[int]:
    """The gunicorn master bound to ``port`` on 127.0.0.1, and its workers."""
    bind = f"127.0.0.1:{port}"
    masters = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"gunicorn" in b" ".join(command) and bind.encode() in command:
            masters.append(int(entry.name))
    workers = [int(entry.name) for entry in Path("/proc").iterdir()
               if entry.name.isdigit() and _parent(entry.name) in masters]
    return masters + workers


def backend_pids(url: str) -> list[int]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        pids = conn.execute(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")).scalars().all()
    engine.dispose()
    return list(pids)


@dataclass
class CpuMeter:
    """CPU seconds of the server's processes, read again at each :meth:`since`."""

    port: int
    url: str

    def read(self) -> dict[int, float]:
        pids = gunicorn_pids(self.port) + backend_pids(self.url)
        return {pid: _cpu_seconds(pid) for pid in pids}

    def since(self, before: dict[int, float]) -> float:
        """CPU seconds the server spent since ``before`` (a backend opened meanwhile counts
        whole)."""
        now = self.read()
        return sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in now.items())
