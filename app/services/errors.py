"""The base of every service error: a message saying what to fix, and the field it is about."""

from __future__ import annotations


class ServiceError(ValueError):
    """Input that cannot be saved; the message says what to fix.

    ``field`` names the form field the message belongs to, if any, so a view can show it
    next to that field.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
