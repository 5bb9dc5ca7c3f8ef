"""What every part of companies shares: the lengths the columns allow, how long an
invitation lasts, and the errors raised."""

from __future__ import annotations

from datetime import timedelta

from ...models import Company, CompanyContact, User
from ..errors import ServiceError
from ..validation import column_length

PAGE_SIZE = 25
INVITATION_DAYS = 14
INVITATION_MAX_AGE = timedelta(days=INVITATION_DAYS)

NAME_MAX = column_length(Company, "name")
SECTOR_MAX = column_length(Company, "sector")
ADDRESS_MAX = column_length(Company, "address")
NOTES_MAX = column_length(Company, "accessibility_notes")
JOB_TITLE_MAX = column_length(CompanyContact, "job_title")
DISPLAY_NAME_MAX = column_length(User, "display_name")
EMAIL_MAX = column_length(User, "email")
WEBSITE_MAX = column_length(Company, "website")


class CompanyError(ServiceError):
    """Input that cannot be saved; the message says what to fix."""


class ContactError(CompanyError):
    """A contact who cannot be invited, changed or removed as asked."""


class InvitationError(CompanyError):
    """An invitation link that cannot be used (any more)."""

    def __init__(self, message: str, field: str | None = None, *, reason: str = "invalid"):
        super().__init__(message, field)
        self.reason = reason  # "invalid", "expired" or "used"
