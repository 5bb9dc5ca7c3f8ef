"""Talentmatch: spot technical talent in young people and match them with placements."""

from __future__ import annotations

from flask import Flask
from flask_openapi3.openapi import OpenAPI
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import build_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults, then the environment, then ``config``; no I/O here."""
    from app.web.api.docs import openapi_options  # see below: imported here, not at the top

    # flask-openapi3's Flask subclass: it builds the API's OpenAPI description from the
    # pydantic models of app/web/api; to the rest of the app it is a plain Flask app.
    app = OpenAPI(__name__, instance_relative_config=True, **openapi_options())
    app.config.from_mapping(build_config(config, app.instance_path))
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    # Imported here, not at the top: importing the package (as migrations and the CLI do)
    # must not load every blueprint and extension.
    from app import db, i18n, web
    from app.extensions import babel, csrf, limiter
    from app.tasks import celery_init_app
    from app.web.auth.login import init_auth
    from app.web.security import init_security_headers
    from app.web.ui.query_params import RowIdConverter

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    init_auth(app)
    app.url_map.converters["int"] = RowIdConverter
    web.register(app)
    init_security_headers(app)
    celery_init_app(app)
    return app
