"""What every benchmark prints about the machine it ran on, and a way to keep a core busy."""

from __future__ import annotations

import multiprocessing
import os
import platform
import resource
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_info


def print_environment() -> None:
    print(f"python {sys.version.split()[0]} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', '(not set)')}")
    for pool in threadpool_info():
        print(f"threadpool: {pool.get('internal_api')} {pool.get('version')} "
              f"threads={pool.get('num_threads')} arch={pool.get('architecture')}")


def blas_threads() -> str:
    """The BLAS libraries' thread counts as threadpoolctl sees them now, e.g. "openblas=1"."""
    pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return ", ".join(f"{pool.get('internal_api')}={pool.get('num_threads')}"
                     for pool in pools) or "(no BLAS found)"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _spin(ready) -> None:
    ready.set()
    while True:  # pure Python: no library threads of its own
        pass


@contextmanager
def busy_core() -> Iterator[int]:
    """A child process that spins on one core for the duration (its pid is yielded).

    It is started fresh (spawn, not a fork of this process and its thread pools) and the
    context waits until it spins; it is ended when the context ends.
    """
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    child = context.Process(target=_spin, args=(ready,), daemon=True)
    child.start()
    try:
        if not ready.wait(timeout=60):
            raise RuntimeError("the busy-loop process did not start")
        assert child.pid is not None
        yield child.pid
    finally:
        child.terminate()
        child.join(timeout=10)
