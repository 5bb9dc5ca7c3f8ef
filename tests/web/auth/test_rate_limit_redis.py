"""The documented production setting, RATELIMIT_STORAGE_URI=redis://..., starts and counts
logins in Redis, so all gunicorn workers share one count."""

from __future__ import annotations

import uuid

import pytest
import redis

from app import create_app
from app.extensions import limiter
from tests.web.auth.test_login import submit_login

REDIS_URL = "redis://127.0.0.1:6379"


@pytest.fixture
def redis_prefix(monkeypatch):
    """A key prefix of this test's own; its keys are removed afterwards."""
    prefix = f"talentmatch-test-{uuid.uuid4().hex}"
    # The limiter is one object for every app and keeps the first prefix it is given:
    # restore it so later apps in this process do not inherit ours.
    monkeypatch.setattr(limiter, "_key_prefix", limiter._key_prefix)
    client = redis.Redis.from_url(REDIS_URL)
    yield prefix, client
    keys = list(client.scan_iter(match=f"*{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_logins_are_counted_in_redis_when_the_storage_uri_points_there(
        monkeypatch, redis_prefix, app_config, engine, student_user):
    prefix, store = redis_prefix
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", REDIS_URL)
    app = create_app({**app_config, "RATELIMIT_ENABLED": True,
                      "LOGIN_RATE_LIMIT": "3 per minute",
                      "LOGIN_RATE_LIMIT_PER_ADDRESS": "50 per minute",
                      "RATELIMIT_KEY_PREFIX": prefix})
    app.extensions["talentmatch.engine"] = engine
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    client = app.test_client()
    codes = [submit_login(client, student_user.email, "wrong").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert list(store.scan_iter(match=f"*{prefix}*"))
    # A second app (another worker) shares the count: it refuses the account straight away.
    other = create_app({**app_config, "RATELIMIT_ENABLED": True,
                        "LOGIN_RATE_LIMIT": "3 per minute",
                        "LOGIN_RATE_LIMIT_PER_ADDRESS": "50 per minute",
                        "RATELIMIT_KEY_PREFIX": prefix})
    other.extensions["talentmatch.engine"] = engine
    assert submit_login(other.test_client(), student_user.email).status_code == 429


def test_logins_go_on_unthrottled_when_redis_cannot_be_reached(
        monkeypatch, redis_prefix, app_config, engine, student_user, caplog):
    prefix, _store = redis_prefix
    # Port 1 on this machine: nothing listens, every storage call fails at once.
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1")
    app = create_app({**app_config, "RATELIMIT_ENABLED": True,
                      "LOGIN_RATE_LIMIT": "3 per minute", "RATELIMIT_KEY_PREFIX": prefix})
    app.extensions["talentmatch.engine"] = engine
    client = app.test_client()
    wrong = [submit_login(client, student_user.email, "wrong").status_code for _ in range(5)]
    assert wrong == [401] * 5
    response = submit_login(client, student_user.email)
    assert response.status_code == 302
    assert "login throttle storage unavailable" in caplog.text
