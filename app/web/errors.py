"""Error pages in the layout, in the user's language."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from app.db import rollback_session
from app.web.api.problems import http_problem, is_api_request

MESSAGES = {
    400: lambda: _("The request could not be understood. Go back and try again."),
    403: lambda: _("You do not have access to this page."),
    404: lambda: _("This page does not exist, or it is not yours to see."),
    405: lambda: _("This page cannot be used that way."),
    413: lambda: _("The file is too large: at most %(megabytes)s MB. Split it into smaller "
                   "files and send them one by one.", megabytes=_megabytes()),
    429: lambda: _("Too many attempts. Wait a minute and try again."),
    500: lambda: _("Something went wrong on our side. Try again later."),
}


def _megabytes() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return format_decimal(round(limit / 1024 / 1024, 1))


def register(app: Flask) -> None:
    def render(code: int, error=None):
        if is_api_request():  # an integration reads JSON problem details, not a page
            return http_problem(code, error)
        if code >= 500:
            rollback_session()
        # A refused query parameter says what was wrong with it (see app/query_params.py).
        message = getattr(error, "user_message", None) or MESSAGES[code]()
        return render_template("error.html", code=code, message=message), code

    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: render(code, e))

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        message = _("Your form expired or was sent twice. Reload the page and try again.")
        return render_template("error.html", code=400, message=message), 400
