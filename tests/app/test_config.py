"""Configuration: defaults, then environment, then the caller's dict; no unsafe defaults."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigError, build_config


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TALENTMATCH_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_development_gets_a_throwaway_key_and_plain_http_cookies():
    config = build_config({}, "/srv/instance", environ={"TALENTMATCH_ENV": "development"})
    assert config["SECRET_KEY"]
    assert config["SESSION_COOKIE_SECURE"] is False


def test_the_environment_overrides_defaults_and_the_dict_overrides_the_environment():
    environ = {"TALENTMATCH_ENV": "production", "SECRET_KEY": "from-env",
               "DATABASE_URL": "postgresql+psycopg://db/env"}
    config = build_config({"DATABASE_URL": "sqlite:///dict.sqlite3"}, "/i", environ=environ)
    assert config["SECRET_KEY"] == "from-env"
    assert config["DATABASE_URL"] == "sqlite:///dict.sqlite3"
    assert config["SESSION_COOKIE_SECURE"] is True


def test_the_database_defaults_to_sqlite_in_the_instance_folder():
    config = build_config({}, "/srv/instance", environ={"TALENTMATCH_ENV": "development"})
    assert config["DATABASE_URL"] == "sqlite:////srv/instance/talentmatch.sqlite3"


def test_a_malformed_boolean_in_the_environment_says_what_to_fix():
    environ = {"TALENTMATCH_ENV": "development", "RATELIMIT_ENABLED": "maybe"}
    with pytest.raises(ConfigError, match="RATELIMIT_ENABLED must be true or false"):
        build_config({}, "/i", environ=environ)


def test_the_factory_does_not_touch_the_database():
    app = create_app({"TALENTMATCH_ENV": "testing",
                      "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    assert "talentmatch.engine" not in app.extensions


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(app_config):
    app = create_app({**app_config, "TRUSTED_PROXIES": 1})

    @app.route("/_addr")
    def _addr():
        from flask import request

        return request.remote_addr

    response = app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.get_data(as_text=True) == "203.0.113.7"


def test_without_trusted_proxies_x_forwarded_for_is_ignored(app_config):
    app = create_app(app_config)

    @app.route("/_addr")
    def _addr():
        from flask import request

        return request.remote_addr

    response = app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.get_data(as_text=True) == "127.0.0.1"


def test_the_largest_request_body_can_be_set_from_the_environment():
    environ = {"TALENTMATCH_ENV": "testing", "MAX_CONTENT_LENGTH": "52428800"}
    assert build_config(None, "/i", environ=environ)["MAX_CONTENT_LENGTH"] == 50 * 1024 * 1024
    with pytest.raises(ConfigError, match="MAX_CONTENT_LENGTH must be a whole number"):
        build_config(None, "/i", environ={**environ, "MAX_CONTENT_LENGTH": "50MB"})
