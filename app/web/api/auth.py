"""Who is asking: the bearer token, its scopes, its rate limit, and the log of its use.

Only ``Authorization: Bearer <token>`` opens the API; a browser's login cookie is never read
(so the API has no CSRF surface). A token acts as its account: once it is accepted, flask-login's
``current_user`` is that account for the rest of the request, so ``app.permissions`` (every
``get_*_or_404`` and scope) decides exactly as it does for the web.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from limits import parse as parse_limit
from limits.strategies import MovingWindowRateLimiter

from app.db import get_session, rollback_session
from app.extensions import limiter
from app.models import ApiArea, ApiToken, User
from app.services.api_tokens import TokenRejected, authenticate_token, record_token_use
from app.web.api.problems import ApiProblem, is_api_request

RATE_LIMIT_SETTING = "API_RATE_LIMIT"
DEFAULT_RATE_LIMIT = "600 per minute"
_LIMITER_KEY = "talentmatch.api_rate_limit"
# The methods that read: they need a scope's read, the others its write.
READS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_rate_limit(app: Flask) -> None:
    """The per-token limit, counted in flask-limiter's storage (memory, or the Redis that
    ``RATELIMIT_STORAGE_URI`` names, shared by every worker); none while limits are off."""
    text = str(app.config.get(RATE_LIMIT_SETTING) or DEFAULT_RATE_LIMIT)
    item = parse_limit(text)  # a wrong setting fails at start, not at the first request
    if not app.config["RATELIMIT_ENABLED"]:
        app.extensions[_LIMITER_KEY] = None
        return
    app.extensions[_LIMITER_KEY] = (MovingWindowRateLimiter(limiter.storage), item)


def _set_user(user: User | AnonymousUserMixin) -> None:
    # What flask-login's login_user does for the request, without touching the session: the
    # token's account is current_user for this request only, and no cookie is written.
    g._login_user = user


def leave_cookie_unread() -> None:
    """Before every request: an API request starts as nobody, whatever cookie it carries;
    only a token (:func:`authenticate`) makes it someone."""
    if is_api_request():
        _set_user(current_app.login_manager.anonymous_user())  # type: ignore[attr-defined]


def _bearer() -> str | None:
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    raw = raw.strip()
    return raw if scheme.lower() == "bearer" and raw else None


def _check_rate(token: ApiToken) -> None:
    configured = current_app.extensions.get(_LIMITER_KEY)
    if not configured:
        return
    strategy, item = configured
    prefix = str(current_app.config.get("RATELIMIT_KEY_PREFIX") or "")
    key = (f"{prefix}api-token", str(token.id))
    try:
        allowed = strategy.hit(item, *key)
    except Exception:  # each storage raises its own errors; the login throttle fails open too
        current_app.logger.warning("rate limit storage unavailable; API token not counted",
                                   exc_info=True)
        return
    if not allowed:
        try:
            reset = strategy.get_window_stats(item, *key).reset_time
            wait = max(1, int(reset - datetime.now(UTC).timestamp()))
        except Exception:  # the same storage errors, after the hit went through
            wait = item.get_expiry()
        raise ApiProblem(429, _("Too many requests with this token: at most %(limit)s. Wait "
                                "%(seconds)s seconds and try again.", limit=str(item),
                                seconds=wait), headers={"Retry-After": str(wait)})


def authenticate(area: ApiArea) -> None:
    """Before every request of a resource of ``area``: the token, its scope, its limit."""
    raw = _bearer()
    if raw is None:
        raise ApiProblem(401, _("Send an API token: Authorization: Bearer <token>. A browser "
                                "login does not open the API."))
    session = get_session()
    try:
        token = authenticate_token(session=session, raw=raw)
    except TokenRejected as error:
        raise ApiProblem(401, str(error)) from error
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise ApiProblem(401, _("The account of this token is no longer active."))
    g.api_token = token
    _check_rate(token)
    write = request.method not in READS
    if not token.allows(area, write=write):
        needed = f"{area.value}:{'write' if write else 'read'}"
        raise ApiProblem(403, _("This token does not have the scope %(scope)s.",
                                scope=needed))
    _set_user(user)


def record_use(response: Response) -> Response:
    """After every request made with an accepted token: log it, with its status."""
    token = g.pop("api_token", None)
    if token is None:
        return response
    # Work a failed request left unfinished must not be committed with the log entry.
    rollback_session()
    record_token_use(session=get_session(), token=token, method=request.method,
                     path=request.path, status=response.status_code)
    return response
