"""``Idempotency-Key`` on the API's POSTs (app/services/api_idempotency.py).

A view declares the header with ``header: IdempotencyHeader`` (so the description shows it)
and returns ``replayed_or(lambda: ...)``: with no key it simply answers; with a key seen
before for the same request it answers as the first time (``Idempotent-Replayed: true``);
with a key seen for another request it is a 409. Keep such answers to counts and ids: they
are stored for a day.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Response, g, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from app.db import get_session
from app.models.api_idempotency import IDEMPOTENCY_KEY_MAX
from app.services import api_idempotency
from app.web.api.problems import IDEMPOTENCY_REUSED, ApiProblem

HEADER = "Idempotency-Key"


class IdempotencyHeader(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    idempotency_key: str | None = Field(
        None, alias=HEADER, min_length=1, max_length=IDEMPOTENCY_KEY_MAX,
        description="Any text unique to this request (e.g. a UUID): sent again with the same "
                    "request within a day, the first answer comes back and nothing is done "
                    "twice.")


def _as_response(result: Any) -> Response:
    body, status = result if isinstance(result, tuple) else (result, 200)
    response = jsonify(body)
    response.status_code = status
    return response


def replayed_or(answer: Callable[[], Any]) -> Response:
    key = request.headers.get(HEADER)
    token = g.get("api_token")
    if not key or token is None:
        return _as_response(answer())
    session = get_session()
    digest = api_idempotency.request_hash(method=request.method, path=request.full_path,
                                          body=request.get_data())
    stored = api_idempotency.find(session=session, token=token, key=key, digest=digest)
    if stored is not None:
        if not stored.same_request:
            raise ApiProblem(409, _("This Idempotency-Key was used for another request. Use a "
                                    "new key for a new request."), type_=IDEMPOTENCY_REUSED)
        response = _as_response((json.loads(stored.body), stored.status))
        response.headers["Idempotent-Replayed"] = "true"
        return response
    response = _as_response(answer())
    if 200 <= response.status_code < 300:
        api_idempotency.store(session=session, token=token, key=key, digest=digest,
                              status=response.status_code,
                              body=response.get_data(as_text=True))
    return response
