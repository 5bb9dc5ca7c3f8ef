"""Deterministic helpers for dividing counts and drawing dates."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

T = TypeVar("T")


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder, ties to the first)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def spread(total: int, weights: Sequence[float]) -> list[int]:
    """Like :func:`apportion`, but first one to every slot (heaviest first) while they last."""
    order = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
    floor = [0] * len(weights)
    for i in order[:total]:
        floor[i] = 1
    rest = apportion(total - sum(floor), weights)
    return [a + b for a, b in zip(floor, rest, strict=True)]


def weighted_sample(
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    """``k`` distinct items, each draw weighted among those not yet drawn."""
    pool, pool_weights = list(items), list(weights)
    chosen: list[T] = []
    for _ in range(min(k, len(pool))):
        i = rng.choices(range(len(pool)), weights=pool_weights)[0]
        chosen.append(pool.pop(i))
        pool_weights.pop(i)
    return chosen


def monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th given weekday (Monday=0) of a month, e.g. the second Thursday of April."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def school_day(rng: random.Random, start_year: int) -> date:
    """A weekday in school year ``start_year``/``start_year + 1`` outside the long holidays."""
    first, last = date(start_year, 9, 1), date(start_year + 1, 7, 10)
    christmas = (date(start_year, 12, 20), date(start_year + 1, 1, 5))
    while True:
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        if day.weekday() < 5 and not christmas[0] <= day <= christmas[1]:
            return day
