"""BLAS on one thread for the many small products of scoring.

Scoring a cohort multiplies many small blocks (one postcode and level at a time). OpenBLAS
splits each such product over its threads, and those threads spin while they wait: on a machine
whose other core is busy (a web worker, a second task) that costs several times the CPU and the
time of one thread. The library therefore limits BLAS to one thread itself, as a context around
the scoring, so that no caller (a command, a web request, a queue worker) has to remember to;
the setting before it is restored afterwards.
"""

from __future__ import annotations

from threadpoolctl import threadpool_limits


def one_blas_thread() -> threadpool_limits:
    """A context in which BLAS runs on one thread; the previous limits come back on exit."""
    return threadpool_limits(limits=1, user_api="blas")
