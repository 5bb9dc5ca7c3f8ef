"""Talentmatch: spot technical talent in young people and match them with placements."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import build_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults, then the environment, then ``config``; no I/O here."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(build_config(config, app.instance_path))
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from . import db, i18n, views
    from .auth import init_auth
    from .extensions import babel, csrf, limiter
    from .query_params import RowIdConverter
    from .security import init_security_headers

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    init_auth(app)
    app.url_map.converters["int"] = RowIdConverter
    views.register(app)
    init_security_headers(app)
    return app
