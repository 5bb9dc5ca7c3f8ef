"""Configuration: defaults, then the environment, then the caller's dict.

Secrets are never defaulted outside development and tests: a production start
without ``SECRET_KEY`` fails loudly instead of signing sessions with a known key.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEVELOPMENT_ENVS = {"development", "testing"}

DEFAULTS: dict[str, object] = {
    "TALENTMATCH_ENV": "production",
    "DATABASE_URL": None,  # None: SQLite in the instance folder
    "SECRET_KEY": None,
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "LANGUAGES": ("nl", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_DURATION": timedelta(days=14),
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    # Staff (admins, coordinators, counsellors) give a code after their password; a local demo
    # (TALENTMATCH_ENV=development) leaves it to each user unless this is set.
    "TWO_FACTOR_REQUIRED": True,
    # A limiter storage that is away (Redis down) must not turn every request into a 500.
    "RATELIMIT_SWALLOW_ERRORS": True,
    # Failed logins, counted per account and address (app/throttle.py): one address guessing
    # one account gets this many checked at most; past the second, every account failing
    # there waits from its first failure. A correct password elsewhere is never refused.
    "LOGIN_RATE_LIMIT": "10 per minute",
    "LOGIN_RATE_LIMIT_PER_ADDRESS": "60 per minute",
    # After this many failures of one account from one address it waits 1, 2, 4, ... seconds
    # before its next attempt is checked, at most LOGIN_MAX_DELAY seconds.
    "LOGIN_FAILURES_BEFORE_DELAY": 5,
    # Requests one API token may make (app/web/api/auth.py), counted where logins are.
    "API_RATE_LIMIT": "600 per minute",
    "LOGIN_MAX_DELAY": 300,
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted. 0 trusts
    # none; behind one proxy set 1, or every user shares the proxy's address (and its
    # login throttle).
    "TRUSTED_PROXIES": 0,
    # Score weights fitted from counsellors' decisions (`talentmatch fit-weights`); empty uses
    # the defaults of matching.scoring.
    "MATCH_WEIGHTS_FILE": "",
    # Where the site is reached, e.g. https://talentmatch.example.nl: e-mails link to it.
    # Empty: e-mails say to log in instead of giving a link.
    "BASE_URL": "",
    # Outgoing mail for `talentmatch send-mail`; nothing is sent without SMTP_HOST.
    "SMTP_HOST": "",
    "SMTP_PORT": 25,
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_STARTTLS": False,
    "SMTP_SSL": False,
    "SMTP_TIMEOUT": 30,
    "MAIL_FROM": "",
    # Background work (rounds, imports, re-scoring, mail, lapses) goes to Celery workers over
    # this broker, e.g. redis://127.0.0.1:6379/0. Empty: every task runs in the process that
    # asks for it, so the embedded default needs no Redis and no worker.
    "BROKER_URL": "",
    # How often the scheduler (celery beat) lapses unanswered offers and sends the outbox.
    "LAPSE_EVERY_SECONDS": 300,
    "SEND_MAIL_EVERY_SECONDS": 60,
    # Finished and failed background jobs (rounds, imports) are deleted after this many days,
    # once a day by the scheduler (or `talentmatch forget-jobs`); their work stays.
    "KEEP_JOBS_DAYS": 30,
    # How many processes (or, where a process may not fork, threads) a matching round prepares
    # and scores its students in; 0: one per core this process may use.
    "MATCHING_JOBS": 0,
}

# Environment variables read, and how to turn their text into a value.
_BOOL = {"1": True, "true": True, "yes": True, "on": True,
         "0": False, "false": False, "no": False, "off": False}
ENV_VARS: dict[str, type] = {
    "TALENTMATCH_ENV": str,
    "DATABASE_URL": str,
    "SECRET_KEY": str,
    "SESSION_COOKIE_SECURE": bool,
    "REMEMBER_COOKIE_SECURE": bool,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_ENABLED": bool,
    "LOGIN_RATE_LIMIT": str,
    "PASSWORD_RESET_RATE_LIMIT": str,
    "PASSWORD_RESET_RATE_LIMIT_PER_ADDRESS": str,
    "ACCESS_CODE_RATE_LIMIT": str,
    "LOGIN_RATE_LIMIT_PER_ADDRESS": str,
    "LOGIN_FAILURES_BEFORE_DELAY": int,
    "API_RATE_LIMIT": str,
    "LOGIN_MAX_DELAY": int,
    "TRUSTED_PROXIES": int,
    "MAX_CONTENT_LENGTH": int,
    "TWO_FACTOR_REQUIRED": bool,
    "MATCH_WEIGHTS_FILE": str,
    "BASE_URL": str,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_USER": str,
    "SMTP_PASSWORD": str,
    "SMTP_STARTTLS": bool,
    "SMTP_SSL": bool,
    "SMTP_TIMEOUT": int,
    "MAIL_FROM": str,
    "BROKER_URL": str,
    "LAPSE_EVERY_SECONDS": int,
    "SEND_MAIL_EVERY_SECONDS": int,
    "KEEP_JOBS_DAYS": int,
    "MATCHING_JOBS": int,
}


class ConfigError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def _from_env(environ: dict[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for name, kind in ENV_VARS.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            continue
        if kind is bool:
            if raw.strip().lower() not in _BOOL:
                raise ConfigError(f"{name} must be true or false, not {raw!r}")
            values[name] = _BOOL[raw.strip().lower()]
        elif kind is int:
            if not raw.strip().isdigit():
                raise ConfigError(f"{name} must be a whole number, not {raw!r}")
            values[name] = int(raw)
        else:
            values[name] = raw
    return values


def build_config(
    overrides: dict[str, object] | None, instance_path: str, environ: dict[str, str] | None = None
) -> dict[str, object]:
    """Merge defaults, environment and overrides, then fill in and check what depends on them."""
    from_env = _from_env(dict(os.environ) if environ is None else environ)
    config = dict(DEFAULTS)
    config.update(from_env)
    config.update(overrides or {})

    env = str(config["TALENTMATCH_ENV"])
    development = env in DEVELOPMENT_ENVS
    if not config.get("SECRET_KEY"):
        if not development:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value, e.g. "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`, "
                "or set TALENTMATCH_ENV=development for a local demo."
            )
        config["SECRET_KEY"] = "development-only-not-secret"  # noqa: S105
    if development:
        # Plain http on 127.0.0.1 would otherwise never receive its session cookie.
        for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
            if key not in (overrides or {}) and key not in from_env:
                config[key] = False
    if env == "development" and "TWO_FACTOR_REQUIRED" not in {**from_env, **(overrides or {})}:
        # The demo's staff logins work without an authenticator app on the visitor's phone.
        config["TWO_FACTOR_REQUIRED"] = False
    if not config.get("DATABASE_URL"):
        path = Path(instance_path) / "talentmatch.sqlite3"
        config["DATABASE_URL"] = f"sqlite:///{path}"
    config["TESTING"] = bool(config.get("TESTING", env == "testing"))
    return config
