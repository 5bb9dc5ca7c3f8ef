"""Companies: their profile, the contacts who act for them, and invitations for new contacts.

Every function takes keyword arguments, validates, commits, and raises a
:class:`CompanyError` (a ``ValueError``) whose message says what to fix; ``field`` names the
form field the message belongs to, if any. Who may call what is decided by the views with
:mod:`app.permissions`.

The parts: :mod:`.rules` (column limits, errors), :mod:`.profile` (add and change a company),
:mod:`.contacts` (who acts for it), :mod:`.invitations` (links to set a password) and
:mod:`.pages` (what the pages read).
"""

from .contacts import (
    ContactRow,
    Invitation,
    contacts,
    invite_contact,
    remove_contact,
    set_contact_rights,
)

# _now is the clock invitation links are checked against: invitations reads it through this
# package, so replacing it here (as tests do) moves it for them.
from .invitations import _now, accept_invitation, check_invitation, invitation_token
from .pages import CompanyPage, CompanyRow, list_companies
from .profile import create_company, update_company
from .rules import (
    ADDRESS_MAX,
    DISPLAY_NAME_MAX,
    EMAIL_MAX,
    INVITATION_DAYS,
    INVITATION_MAX_AGE,
    JOB_TITLE_MAX,
    NAME_MAX,
    NOTES_MAX,
    PAGE_SIZE,
    SECTOR_MAX,
    WEBSITE_MAX,
    CompanyError,
    ContactError,
    InvitationError,
)

__all__ = [
    "ADDRESS_MAX", "DISPLAY_NAME_MAX", "EMAIL_MAX", "INVITATION_DAYS", "INVITATION_MAX_AGE",
    "JOB_TITLE_MAX", "NAME_MAX", "NOTES_MAX", "PAGE_SIZE", "SECTOR_MAX", "WEBSITE_MAX",
    "CompanyError", "CompanyPage", "CompanyRow", "ContactError", "ContactRow", "Invitation",
    "InvitationError", "_now", "accept_invitation", "check_invitation", "contacts",
    "create_company", "invitation_token", "invite_contact", "list_companies",
    "remove_contact", "set_contact_rights", "update_company",
]
