"""The JSON API at /api/v1 (issue 22), described by OpenAPI 3.1 at /api/v1/openapi.json.

One module per resource area, each a blueprint made by ``resource.resource`` (token, scope,
rate limit, problem details, token log); add a module to ``RESOURCES`` to publish it.
docs/api.md says how to write one.
"""

from __future__ import annotations

from flask import Flask
from flask_openapi3.openapi import OpenAPI

from app.extensions import csrf
from app.web.api import (
    activities,
    docs,
    me,
    monitor,
    participations,  # noqa: F401  (its views join the activities blueprint)
    placements,
    proposals,
    regions,
    rounds,
    students,
)
from app.web.api.auth import init_rate_limit, leave_cookie_unread
from app.web.api.problems import ApiProblem, from_api_problem

RESOURCES = (regions, students, activities, placements, proposals, rounds, monitor, me)


def register(app: Flask) -> None:
    if not isinstance(app, OpenAPI):
        raise TypeError("create_app must build the app as flask_openapi3.OpenAPI")
    for module in RESOURCES:
        app.register_api(module.bp)
        # A token, never a cookie, opens the API: there is no form to forge.
        csrf.exempt(module.bp)
    app.register_blueprint(docs.bp)
    # First of all hooks, before any of them can read the login cookie (the second-factor
    # redirect, the lapse checks): on /api/ the browser's login counts for nothing.
    app.before_request_funcs.setdefault(None, []).insert(0, leave_cookie_unread)
    app.register_error_handler(ApiProblem, from_api_problem)
    init_rate_limit(app)
