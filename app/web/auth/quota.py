"""Quotas for the forms that send e-mail or check codes without a login: at most so many per
e-mail address or per network address in any window of the limit's period.

They count in flask-limiter's storage, as the login throttle does (memory in one process,
Redis when ``RATELIMIT_STORAGE_URI`` points there), with keys that hold a digest, never the
address itself. When the storage cannot be reached a quota fails open, like the throttle: the
form keeps working, and the miss is logged.

- ``reset-email``: password-reset e-mails asked for one address, so the form cannot be used to
  fill someone's mailbox (``PASSWORD_RESET_RATE_LIMIT``, default 3 per hour);
- ``reset-address``: reset requests from one network address, so one machine cannot send
  e-mails to a list of addresses (``PASSWORD_RESET_RATE_LIMIT_PER_ADDRESS``, 20 per hour);
- ``code-failures``: wrong one-time codes from one network address
  (``ACCESS_CODE_RATE_LIMIT``, 100 per hour: a class behind one school address mistypes
  codes too, and ten characters of 31 are far beyond guessing at that rate).
"""

from __future__ import annotations

import hashlib
import logging

from flask import Flask, current_app
from limits import RateLimitItem
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter

from app.extensions import limiter
from app.web.auth.throttle import parse_limit

log = logging.getLogger(__name__)

DEFAULT_LIMITS = {
    "reset-email": ("PASSWORD_RESET_RATE_LIMIT", "3 per hour"),
    "reset-address": ("PASSWORD_RESET_RATE_LIMIT_PER_ADDRESS", "20 per hour"),
    "code-failures": ("ACCESS_CODE_RATE_LIMIT", "100 per hour"),
}


class Quota:
    """At most ``limit`` hits per key in any window of the limit's period."""

    def __init__(self, storage: Storage, limit: RateLimitItem, *, name: str,
                 prefix: str = "") -> None:
        self.limit = limit
        self.namespace = f"{prefix}quota:{name}"
        self.strategy = MovingWindowRateLimiter(storage)

    def _key(self, key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def allows(self, key: str) -> bool:
        """Whether one more hit for ``key`` fits, without counting one."""
        try:
            return self.strategy.test(self.limit, self.namespace, self._key(key))
        except Exception:  # each storage raises its own errors
            log.warning("quota storage unavailable; %s not checked", self.namespace,
                        exc_info=True)
            return True

    def hit(self, key: str) -> bool:
        """Count one hit for ``key``; False when it did not fit (and was not counted)."""
        try:
            return self.strategy.hit(self.limit, self.namespace, self._key(key))
        except Exception:  # each storage raises its own errors
            log.warning("quota storage unavailable; %s not counted", self.namespace,
                        exc_info=True)
            return True


_KEY = "talentmatch.quotas"


def init_quotas(app: Flask) -> None:
    """The quotas of this app on the limiter's storage; none while rate limiting is off."""
    limits = {name: parse_limit(setting, str(app.config.get(setting) or default))
              for name, (setting, default) in DEFAULT_LIMITS.items()}
    if not app.config["RATELIMIT_ENABLED"]:
        app.extensions[_KEY] = {}
        return
    prefix = str(app.config.get("RATELIMIT_KEY_PREFIX") or "")
    app.extensions[_KEY] = {name: Quota(limiter.storage, limit, name=name, prefix=prefix)
                            for name, limit in limits.items()}


def quota(name: str) -> Quota | None:
    """The quota called ``name``; None while rate limiting is off."""
    return current_app.extensions.get(_KEY, {}).get(name)
