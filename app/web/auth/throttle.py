"""Login throttling by account and address: growing delays that cannot be used as a weapon.

Failed logins are counted per (account, address) pair, in flask-limiter's storage (memory in
one process, Redis when ``RATELIMIT_STORAGE_URI`` points there, so all workers share it). After
a few failures a pair waits 1, 2, 4, ... seconds (capped) before its next attempt is even
checked, and no pair gets more than ``LOGIN_RATE_LIMIT`` failures checked in any window of
that limit's period. Every count carries the address, so failures from one address never
refuse a correct password from another one.

Many failures from one address (a sweep over accounts) take away the failures every account
there gets before waiting: from then on each account that fails there waits from its first
failure. An account that has not failed there is still checked at once, so a class behind one
school address keeps logging in whatever one of them types.

When the storage cannot be reached (Redis down) the throttle fails open: logins go on unthrottled
and each miss is logged. Refusing every login of the region because a counter is away would be
a worse outage than an hour without delays; passwords are still checked.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import time
from collections.abc import Callable

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import Storage

from app.config import ConfigError
from app.extensions import limiter

# How long a pair's failures are remembered, counted from its first failure: a student's typos
# of last week do not make today's login wait. Longer than the longest delay, so a delay runs out.
FAILURES_KEPT = 3600

log = logging.getLogger(__name__)


def _fail_open(fallback):
    """A storage error is logged and the attempt goes on as if nothing had been counted."""
    def wrap(method):
        @functools.wraps(method)
        def guarded(self, **kwargs):
            try:
                return method(self, **kwargs)
            except Exception:  # redis, memcached, ...: each storage raises its own errors
                log.warning("login throttle storage unavailable; %s not counted",
                            method.__name__, exc_info=True)
                return fallback
        return guarded
    return wrap


def _digest(*parts: str) -> str:
    # E-mail addresses and IP addresses stay out of the shared storage.
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def parse_limit(name: str, text: str) -> RateLimitItem:
    """``"10 per minute"`` as a limit; a clear error naming the setting otherwise."""
    try:
        return parse(text)
    except ValueError:
        raise ConfigError(
            f"{name} must read like '10 per minute', not {text!r}") from None


class LoginThrottle:
    """Counts failed logins per (account, address) and says how long an attempt must wait."""

    def __init__(self, storage: Storage, *, pair_limit: RateLimitItem,
                 address_limit: RateLimitItem, failures_before_delay: int, max_delay: int,
                 prefix: str = "", clock: Callable[[], float] = time.time) -> None:
        self.storage = storage
        self.pair_limit = pair_limit
        self.address_limit = address_limit
        self.failures_before_delay = max(1, failures_before_delay)
        self.max_delay = max(1, max_delay)
        self.prefix = prefix + "login-throttle:"
        self.clock = clock  # tests move time on without sleeping

    @_fail_open(0)
    def wait(self, *, account: str, address: str) -> int:
        """Whole seconds this attempt must wait before it is checked; 0: check it now."""
        now = self.clock()
        pair = self._pair(account, address)
        failures = self.storage.get(pair + ":failures")
        waits = [0.0, self._window_wait(pair, self.pair_limit, now)]
        if failures:
            # Each failure has its own lock key: two failures at once cannot mix their times.
            until_ms = self.storage.get(f"{pair}:until:{failures}")
            if until_ms:
                waits.append(until_ms / 1000 - now)
        return math.ceil(max(waits))

    @_fail_open(None)
    def failed(self, *, account: str, address: str) -> None:
        """Counts a wrong password and sets the delay before this pair's next attempt."""
        now = self.clock()
        pair = self._pair(account, address)
        place = self.prefix + "address:" + _digest(address)
        swept = self._window_count(place, self.address_limit, now) >= self.address_limit.amount
        self._window_hit(place, self.address_limit, now)
        self._window_hit(pair, self.pair_limit, now)
        failures = self.storage.incr(pair + ":failures", FAILURES_KEPT)
        before_delay = 1 if swept else self.failures_before_delay
        if failures < before_delay:
            return
        delay = min(2 ** min(failures - before_delay, 30), self.max_delay)
        self.storage.incr(f"{pair}:until:{failures}", delay + 1,
                          amount=int((now + delay) * 1000))

    @_fail_open(None)
    def succeeded(self, *, account: str, address: str) -> None:
        """The right password: this pair starts again without failures."""
        now = self.clock()
        pair = self._pair(account, address)
        self.storage.clear(pair + ":failures")
        for key in self._window_keys(pair, self.pair_limit, now):
            self.storage.clear(key)

    def _pair(self, account: str, address: str) -> str:
        return self.prefix + "pair:" + _digest(account, address)

    # Failures in a window of the limit's period are counted in two fixed buckets, this one and
    # the one before: every window of that length lies inside the two, so the limit holds for
    # any window, not only for whole minutes on the clock.
    @staticmethod
    def _window_keys(name: str, limit: RateLimitItem, now: float) -> tuple[str, str]:
        bucket = int(now // limit.get_expiry())
        return f"{name}:window:{bucket}", f"{name}:window:{bucket - 1}"

    def _window_count(self, name: str, limit: RateLimitItem, now: float) -> int:
        return sum(self.storage.get(key) for key in self._window_keys(name, limit, now))

    def _window_hit(self, name: str, limit: RateLimitItem, now: float) -> None:
        current, _ = self._window_keys(name, limit, now)
        self.storage.incr(current, 2 * limit.get_expiry() + 1)

    def _window_wait(self, name: str, limit: RateLimitItem, now: float) -> float:
        current, previous = self._window_keys(name, limit, now)
        in_current = self.storage.get(current)
        if in_current + self.storage.get(previous) < limit.amount:
            return 0.0
        period = limit.get_expiry()
        # Until the previous bucket drops out, or this one too when it alone is full.
        buckets_to_wait = 2 if in_current >= limit.amount else 1
        return (int(now // period) + buckets_to_wait) * period - now


_KEY = "talentmatch.login_throttle"


def init_throttle(app: Flask) -> None:
    """One throttle per app on the limiter's storage; none while rate limiting is off."""
    config = app.config
    pair_limit = parse_limit("LOGIN_RATE_LIMIT", str(config["LOGIN_RATE_LIMIT"]))
    address_limit = parse_limit("LOGIN_RATE_LIMIT_PER_ADDRESS",
                                str(config["LOGIN_RATE_LIMIT_PER_ADDRESS"]))
    if not config["RATELIMIT_ENABLED"]:
        app.extensions[_KEY] = None
        return
    app.extensions[_KEY] = LoginThrottle(
        limiter.storage, pair_limit=pair_limit, address_limit=address_limit,
        failures_before_delay=int(config["LOGIN_FAILURES_BEFORE_DELAY"]),
        max_delay=int(config["LOGIN_MAX_DELAY"]),
        prefix=str(config.get("RATELIMIT_KEY_PREFIX") or ""))


def login_throttle() -> LoginThrottle | None:
    return current_app.extensions.get(_KEY)
