"""flask-login wiring: the login cookie carries the user's id and session token."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.db import get_session
from app.extensions import login_manager
from app.models import User
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
    user = get_session().get(User, int(user_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user
