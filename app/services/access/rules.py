"""What every part of access shares: how long links and codes last, where they point, and the
error raised when one cannot be used."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, has_app_context

from ..errors import ServiceError

RESET_MAX_AGE = timedelta(hours=1)
INVITATION_DAYS = 14
INVITATION_MAX_AGE = timedelta(days=INVITATION_DAYS)
CODE_DAYS = 30
CODE_MAX_AGE = timedelta(days=CODE_DAYS)
# A second invitation within this time is not sent: a double click, or a class invited twice
# in a row, must not fill anyone's mailbox.
INVITE_AGAIN_AFTER = timedelta(hours=1)

# Where the e-mailed links land (app/web/invitations): the service writes the e-mail, so it
# spells the paths, as notifications spell theirs.
INVITATION_PATH = "/invitations/"
RESET_PATH = "/password/reset/"
CODE_PATH = "/code"
LOGIN_PATH = "/login"


class AccessError(ServiceError):
    """A link or code that cannot be used (any more), or an invitation that cannot be sent.

    ``reason`` says which: "invalid", "expired", "used", "replaced" or "unsent"; ``field``
    names the form field the message belongs to, as for every service error.
    """

    def __init__(self, message: str, field: str | None = None, *, reason: str = "invalid"):
        super().__init__(message, field)
        self.reason = reason


def site_address() -> str:
    """The address people open, for links in e-mails and on printed sheets; "" when unknown.

    ``BASE_URL`` first, else ``SERVER_NAME``; never the Host header of the request, which
    whoever asks for a password reset chooses and could point at their own site.
    """
    if not has_app_context():
        return ""
    config = current_app.config
    base = str(config.get("BASE_URL") or "").strip().rstrip("/")
    if base:
        return base
    server = str(config.get("SERVER_NAME") or "").strip()
    if server:
        scheme = str(config.get("PREFERRED_URL_SCHEME") or "http")
        return f"{scheme}://{server}"
    return ""
