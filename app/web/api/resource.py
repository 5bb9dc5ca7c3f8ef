"""What every resource module of the API starts from: ``bp = resource(...)``.

The blueprint it returns carries what each operation shares, so a resource module holds only
its models and its views:

- the URL prefix ``/api/v1``, the tag, the bearer security and the problem responses in the
  OpenAPI description;
- before each request: the token, its scope for the blueprint's area (read for GET, write for
  the rest), its rate limit, and its account as ``current_user``;
- after each request: the token's use logged;
- a ``ServiceError`` from a service answered as a 422 problem with its message (and its field,
  when the service names one).
"""

from __future__ import annotations

from functools import partial

from flask import request
from flask_babel import gettext as _
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag

from app.db import rollback_session
from app.models import ApiArea
from app.services.api_rows import KindRefused
from app.services.errors import ServiceError
from app.web.api.auth import READS, authenticate, record_use
from app.web.api.problems import (
    REFUSED,
    ApiProblem,
    FieldError,
    from_api_problem,
    problem_response,
    problem_responses,
)

API_V1 = "/api/v1"
SECURITY = [{"bearer": []}]


def operation_id(*, bp_name: str = "", name: str = "", path: str = "", method: str = "") -> str:
    """The view's function name: short and stable for generated clients (unique: a test
    checks)."""
    del bp_name, path, method
    return name


def service_problem(error: ServiceError):
    rollback_session()
    errors = [FieldError(field=error.field, message=str(error))] if error.field else []
    return problem_response(422, str(error), type_=REFUSED, errors=errors)


def kind_refused(error: KindRefused):
    """What the account may not write at all is a 403, as everything it may not do."""
    rollback_session()
    return problem_response(403, str(error))


def resource(name: str, import_name: str, *, area: ApiArea, tag: str,
             description: str) -> APIBlueprint:
    """The blueprint of one resource area; ``name`` is unique among API blueprints."""
    bp = APIBlueprint(f"api_{name}", import_name, url_prefix=API_V1,
                      abp_tags=[Tag(name=tag, description=description)],
                      abp_security=SECURITY, abp_responses=problem_responses(),
                      operation_id_callback=operation_id)
    bp.before_request(partial(authenticate, area))
    bp.after_request(record_use)
    bp.register_error_handler(ApiProblem, from_api_problem)
    bp.register_error_handler(KindRefused, kind_refused)  # the more specific handler wins
    bp.register_error_handler(ServiceError, service_problem)
    return bp


def not_yours() -> ApiProblem:
    """A 403 for what the account may not do with what it may know exists (never for what
    it may not see at all: that is a 404 from app.permissions). Its words follow the request,
    for every resource alike: a refused read says the account may not read this, a refused
    write that it may not change it."""
    if request.method in READS:
        return ApiProblem(403, _("The account of this token may not read this."))
    return ApiProblem(403, _("The account of this token may not change this."))
