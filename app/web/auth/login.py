"""flask-login wiring: the login cookie carries the user's id and session token."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import lazy_gettext as _l

from app.db import get_session
from app.extensions import login_manager
from app.models import User
from app.services.signed_in import SignedIn, signed_in
from app.web.auth.quota import init_quotas
from app.web.auth.throttle import init_throttle


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    init_throttle(app)  # after limiter.init_app: the throttle counts in the limiter's storage
    init_quotas(app)


def load_user(cookie_id: str) -> User | None:
    """A user only while the token in the cookie is still theirs: logout rotates it."""
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    found = signed_in(session=get_session(), user_id=int(user_id), token=token)
    if found is None:
        return None
    g.signed_in = found  # the menu's count and the second-factor guard read it
    return found.user


def signed_in_now(user: User) -> SignedIn | None:
    """What the login cookie's query found about ``user`` in this request, if it was them."""
    found: SignedIn | None = g.get("signed_in")
    return found if found is not None and found.user is user else None
