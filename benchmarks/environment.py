"""What every benchmark prints about the machine it ran on."""

from __future__ import annotations

import os
import platform
import resource
import sys

from threadpoolctl import threadpool_info


def print_environment() -> None:
    print(f"python {sys.version.split()[0]} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', '(not set)')}")
    for pool in threadpool_info():
        print(f"threadpool: {pool.get('internal_api')} {pool.get('version')} "
              f"threads={pool.get('num_threads')} arch={pool.get('architecture')}")


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
