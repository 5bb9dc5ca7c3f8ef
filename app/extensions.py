"""Flask extensions, created unbound and initialised in the factory."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from app.i18n import RequestBabel

login_manager = LoginManager()
csrf = CSRFProtect()
babel = RequestBabel()
limiter = Limiter(key_func=get_remote_address)
