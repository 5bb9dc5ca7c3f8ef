"""Orderings as single integer keys, for the allocation's sorts.

Several keys compared in turn become one int64 when their bounds allow; values become their
dense ranks; float32 values are sorted with their positions packed into one 64-bit key, which
numpy sorts much faster than it argsorts.
"""

from __future__ import annotations

import numpy as np

INT64_MAX = int(np.iinfo(np.int64).max)


def dense_rank(values: np.ndarray) -> tuple[np.ndarray, int]:
    """0-based rank of each value among the distinct values, and how many there are."""
    if values.size == 0:
        return np.empty(0, np.int64), 0
    order = argsort_float32(values) if values.dtype == np.float32 and values.size < 2**32 \
        else np.argsort(values)
    ordered = values[order]
    # -0.0 == 0.0, so both zeros share a rank.
    new = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    ranks = np.empty(values.size, np.int64)
    ranks[order] = np.cumsum(new) - 1
    return ranks, int(ranks[order[-1]]) + 1


def argsort_float32(values: np.ndarray) -> np.ndarray:
    """An argsort of float32 values (equal ones by position, -0.0 before 0.0): each value's
    bits, made to order as the numbers do, and its position share one 64-bit key, which sorts
    much faster than an argsort."""
    bits = values.view(np.uint32).astype(np.uint64)
    negative = bits >= np.uint64(0x80000000)
    ordered = np.where(negative, np.uint64(0xFFFFFFFF) - bits, bits | np.uint64(0x80000000))
    keys = (ordered << np.uint64(32)) | np.arange(values.size, dtype=np.uint64)
    keys.sort()
    return (keys & np.uint64(0xFFFFFFFF)).astype(np.int64)


def combine_keys(keys: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """One int64 ordering like the (key, bound) pairs compared in turn, and its bound."""
    total = 1
    for _, bound in keys:
        total *= max(bound, 1)
    if total - 1 > INT64_MAX:
        # Too many distinct combinations for one integer: rank them instead.
        order = np.lexsort(tuple(key for key, _ in reversed(keys)))
        combined = np.empty(order.size, np.int64)
        combined[order] = np.arange(order.size)
        return combined, max(order.size, 1)
    combined = np.zeros(keys[0][0].size, np.int64)
    for key, bound in keys:
        combined *= max(bound, 1)
        combined += key
    return combined, total


def argsort_keys(keys: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """Indices ordering by the first key, then the next, ...; one argsort when they fit."""
    combined, _ = combine_keys(keys)
    return np.argsort(combined)
