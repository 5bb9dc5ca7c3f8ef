"""API tests: tokens made as the token page makes them, requests with only a bearer header."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import API_SCOPES, User
from app.models.base import local_today
from app.services.api_tokens import create_token

EVERY_SCOPE = list(API_SCOPES)


@pytest.fixture
def make_token(session, world):
    """``make_token(user, scopes)``: the raw token of a new token acting as ``user``."""

    def make(user: User, scopes=None, *, days: int = 30) -> str:
        _token, raw = create_token(session=session, creator=world.admin, acting_user_id=user.id,
                                   name=f"test {user.email}", scopes=scopes or EVERY_SCOPE,
                                   expires_on=local_today() + timedelta(days=days))
        return raw

    return make


@pytest.fixture
def api(client, make_token):
    """``api(user).get(path)``: a client whose every request carries a token of ``user``."""

    class Api:
        def __init__(self, raw: str):
            self.headers = {"Authorization": f"Bearer {raw}"}

        def open(self, method: str, path: str, headers=None, **kwargs):
            return client.open(path, method=method, headers={**self.headers, **(headers or {})},
                               **kwargs)

        def get(self, path: str, **kwargs):
            return self.open("GET", path, **kwargs)

        def post(self, path: str, **kwargs):
            return self.open("POST", path, **kwargs)

        def put(self, path: str, **kwargs):
            return self.open("PUT", path, **kwargs)

    def for_user(user: User, scopes=None) -> Api:
        return Api(make_token(user, scopes))

    return for_user


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with ``status``; its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status and body["detail"]
    return body
