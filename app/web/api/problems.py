"""Errors of the API as RFC 9457 problem details (``application/problem+json``).

Every error an API request can meet ends here: a refused token, a missing right, an object
that is not there or not yours, a request the library's pydantic models refuse, a row the
import validators refuse, a service's ``ServiceError``, a rate limit, an unknown path. The
body always has ``type``, ``title``, ``status`` and ``detail``; validation problems add
``errors``, one per field, with the same messages the CSV imports give.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from app.db import rollback_session

API_PREFIX = "/api/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
# Problems without a meaning beyond their status say so with "about:blank" (RFC 9457 4.2);
# these have one of their own.
VALIDATION = "urn:talentmatch:problem:validation"
IDEMPOTENCY_REUSED = "urn:talentmatch:problem:idempotency-key-reused"
REFUSED = "urn:talentmatch:problem:refused"
BLANK = "about:blank"


class FieldError(BaseModel):
    """One thing to fix in the request: where (a body field, a query or path parameter) and
    how."""

    field: str = Field(description="The body field or parameter; empty for the request as a "
                                   "whole.")
    message: str


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    model_config = ConfigDict(title="Problem", extra="allow")

    type: str = Field(BLANK, description="A URI naming the kind of problem.")
    title: str = Field(description="What kind of problem, the same for each of its kind.")
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="What went wrong this time, and what to do about it.")
    errors: list[FieldError] = Field(default_factory=list,
                                     description="Per field, for validation problems.")


class ApiProblem(Exception):
    """Raised by API code to answer with a problem (views stay free of response building)."""

    def __init__(self, status: int, detail: str, *, type_: str = BLANK,
                 errors: list[FieldError] | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type_
        self.errors = errors or []
        self.headers = headers or {}


def is_api_request() -> bool:
    """Whether this request is for the API, known path or not: its errors are JSON, and the
    browser's hooks (second-factor redirects, CSRF) leave it alone."""
    return request.path.startswith(API_PREFIX)


def problem_response(status: int, detail: str, *, type_: str = BLANK,
                     errors: list[FieldError] | None = None,
                     headers: dict[str, str] | None = None) -> Response:
    body = Problem(type=type_, title=HTTPStatus(status).phrase, status=status, detail=detail,
                   errors=errors or [])
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = status
    response.mimetype = PROBLEM_MEDIA_TYPE
    if status == HTTPStatus.UNAUTHORIZED:
        response.headers["WWW-Authenticate"] = 'Bearer realm="talentmatch"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_api_problem(error: ApiProblem) -> Response:
    return problem_response(error.status, error.detail, type_=error.type, errors=error.errors,
                            headers=error.headers)


# What an HTTP error means to an integration; the web's pages say it for people.
HTTP_DETAILS = {
    400: lambda: _("The request could not be understood."),
    401: lambda: _("Send a valid API token: Authorization: Bearer <token>."),
    403: lambda: _("This token or its account may not do this."),
    404: lambda: _("This does not exist, or it is not yours to see."),
    405: lambda: _("This method is not allowed here."),
    413: lambda: _("The request body is too large."),
    429: lambda: _("Too many requests with this token. Wait a minute and try again."),
    500: lambda: _("Something went wrong on our side. Try again later."),
}


def http_problem(code: int, error: Any = None) -> Response:
    """The problem for an HTTP error raised anywhere (``abort(404)`` in app.permissions, a
    routing 404 or 405, a 413), for app/web/errors.py to answer API requests with."""
    if code >= 500:
        rollback_session()
    detail = getattr(error, "user_message", None) or HTTP_DETAILS.get(
        code, HTTP_DETAILS[500])()
    headers = {}
    if code == 405 and error is not None and getattr(error, "valid_methods", None):
        if _not_found_by_any(error.valid_methods):
            return http_problem(404)
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return problem_response(code, detail, headers=headers)


def _not_found_by_any(methods) -> bool:
    """Whether the path names nothing for any of ``methods``. Werkzeug answers 405 when an id
    beyond the id columns' range (refused by the ``int`` converter) sits in a path that other
    methods share, though no method can reach it: that is a 404."""
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return False
    for method in methods:
        try:
            adapter.match(request.path, method=method)
        except HTTPException as found:
            if found.code != 404:
                return False
        except RoutingException:  # a redirect: the path does name something
            return False
        else:
            return False
    return True


def _field_of(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location)


def validation_problem(error: ValidationError) -> Response:
    """flask-openapi3's ``validation_error_callback``: a request its models refuse.

    A body that is not JSON at all is a 400 (nothing in it could be read); a JSON body,
    query or path that does not fit the description is a 422 with one error per field.
    """
    if request.method in ("POST", "PUT", "PATCH") and request.get_json(silent=True) is None:
        return problem_response(400, _("The request body must be a JSON object "
                                       "(Content-Type: application/json)."))
    errors = [FieldError(field=_field_of(item["loc"]), message=item["msg"])
              for item in error.errors(include_url=False)]
    return problem_response(422, _("The request does not fit the API description: see "
                                   "errors."), type_=VALIDATION, errors=errors)


def problem_content(description: str) -> dict:
    """An OpenAPI response object whose body is a Problem."""
    return {"description": description,
            "content": {PROBLEM_MEDIA_TYPE: {
                "schema": {"$ref": "#/components/schemas/Problem"}}}}


def problem_responses() -> dict[Any, Any]:
    """The problems every operation may answer with, for its OpenAPI description."""
    unauthorized = problem_content("No token, or one that is unknown, expired or revoked.")
    unauthorized["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"},
                                                    "description": "Bearer"}}
    return {
        400: problem_content("The request cannot be read (e.g. a body that is not JSON)."),
        401: unauthorized,
        403: problem_content("The token's scopes or its account's rights do not allow it."),
        404: problem_content("Not there, or not the token's account's to see."),
        422: problem_content("The request or its data is not valid; see errors."),
        429: problem_content("Too many requests with this token."),
    }


def log_unexpected(error: BaseException) -> None:
    current_app.logger.exception("API request failed", exc_info=error)
