"""The OpenAPI description and its interactive documentation page, served by the app.

flask-openapi3 builds the description from the pydantic models of the resource modules. Its
own documentation pages are turned off: they put scripts and styles inline, which the app's
Content-Security-Policy refuses. This page loads Swagger UI's files from the
flask-openapi3-swagger package, through the app, and starts it from app/static: no CDN.
"""

from __future__ import annotations

from pathlib import Path

import flask_openapi3_swagger
from flask import Blueprint, current_app, jsonify, render_template
from flask_openapi3.models.info import Info

from app.web.api.problems import Problem, validation_problem

SWAGGER_ASSETS = Path(flask_openapi3_swagger.__file__).parent / "templates" / "swagger"
DESCRIPTION = (
    "The JSON API of Talentmatch for the systems schools, regions and companies already use. "
    "Authenticate with `Authorization: Bearer <token>`; a token acts as its account, with "
    "exactly that account's rights, narrowed by its scopes. Errors are RFC 9457 problem "
    "details. Lists page with `cursor` and `limit`; creating and updating are idempotent "
    "(natural keys, or an `Idempotency-Key` header)."
)

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1", static_folder=str(SWAGGER_ASSETS),
               static_url_path="/docs/assets")


def openapi_options() -> dict:
    """How create_app builds the app as flask-openapi3's ``OpenAPI`` (a Flask subclass)."""
    return {
        "info": Info(title="Talentmatch API", version="1.0.0", description=DESCRIPTION),
        "security_schemes": {"bearer": {"type": "http", "scheme": "bearer",
                                        "description": "An API token made on the token page."}},
        "doc_ui": False,  # its pages are inline-scripted; ours is below
        "validation_error_status": 422,
        # The model of the 422 it documents for operations that name none: our Problem, so
        # the description's components hold it for every problem response.
        "validation_error_model": Problem,
        "validation_error_callback": validation_problem,
    }


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(current_app.api_doc)  # type: ignore[attr-defined]


@bp.get("/docs")
def docs():
    return render_template("api/docs.html")
