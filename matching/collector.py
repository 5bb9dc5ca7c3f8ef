"""The cyclic garbage collector paused while a round runs.

A round makes a great many small objects that live until it ends (profiles, candidate lists,
explanations), and every so often Python's cyclic collector walks the whole heap for cycles
among them: with a cohort of 100,000 students loaded, some three full walks, a tenth of the
round's time. Reference counting still frees everything that is not a cycle. Like the BLAS
limit (:mod:`matching.threads`), this is a setting of the whole process, held for the round
and put back after it: a collector that was paused before stays paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic cyclic collection inside the context; the collector's state comes back."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
