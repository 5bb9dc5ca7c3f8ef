"""Until a user who has (or needs) a second factor gives a code, no other page opens.

The session is marked verified with a digest of the user's login cookie id, which holds their
session token: a new login starts from a cleared session, and a rotated token (logging out
everywhere, a new password) makes the mark stale, so either asks for the code again.
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, redirect, request, session, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask_login import current_user

from app.db import get_session
from app.extensions import limiter
from app.models import User
from app.permissions import current_actor
from app.services import two_factor
from app.web.auth.login import signed_in_now
from app.web.auth.throttle import LoginThrottle, parse_limit

SETTING = "TWO_FACTOR_REQUIRED"
_MARK = "two_factor_verified"
_THROTTLE_KEY = "talentmatch.two_factor_throttle"
# Pages open before the code: the code page itself, leaving, the language switch, and what a
# browser or load balancer fetches without a person (static files, the health check).
OPEN_ENDPOINTS = frozenset({"two_factor.check", "auth.logout", "auth.set_language", "static",
                            "main.healthz"})


def init_two_factor(state: BlueprintSetupState) -> None:
    """The setting, and a throttle for codes: the login's rules, its own counts."""
    app: Flask = state.app
    app.config.setdefault(SETTING, True)  # app/config.py sets it; an app built otherwise asks
    config = app.config
    if not config["RATELIMIT_ENABLED"]:
        app.extensions[_THROTTLE_KEY] = None
        return
    app.extensions[_THROTTLE_KEY] = LoginThrottle(
        limiter.storage,
        pair_limit=parse_limit("LOGIN_RATE_LIMIT", str(config["LOGIN_RATE_LIMIT"])),
        address_limit=parse_limit("LOGIN_RATE_LIMIT_PER_ADDRESS",
                                  str(config["LOGIN_RATE_LIMIT_PER_ADDRESS"])),
        failures_before_delay=int(config["LOGIN_FAILURES_BEFORE_DELAY"]),
        max_delay=int(config["LOGIN_MAX_DELAY"]),
        prefix=str(config.get("RATELIMIT_KEY_PREFIX") or "") + "two-factor:")


def code_throttle() -> LoginThrottle | None:
    return current_app.extensions.get(_THROTTLE_KEY)


def required_setting() -> bool:
    return bool(current_app.config[SETTING])


def _mark_of(user: User) -> str:
    return hashlib.sha256(user.get_id().encode("utf-8")).hexdigest()[:32]


def mark_verified(user: User) -> None:
    session[_MARK] = _mark_of(user)


def is_verified(user: User) -> bool:
    return session.get(_MARK) == _mark_of(user)


def require_second_factor():
    """Before every request: a user who still owes a code is sent to the code page."""
    if request.endpoint in OPEN_ENDPOINTS or not current_user.is_authenticated:
        return None
    user = current_actor()
    if is_verified(user):
        return None
    found = signed_in_now(user)
    if not two_factor.needs_code(session=get_session(), user=user, required=required_setting(),
                                 has_factor=found.has_second_factor if found else None):
        return None
    target = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
    return redirect(url_for("two_factor.check", next=target))
