"""Getting into an account: password resets, invitations and printed one-time codes.

The parts: :mod:`.rules` (how long each lasts, the error), :mod:`.links` (signed links for an
invitation or a reset), :mod:`.mails` (the e-mails carrying them), :mod:`.reset` (asking for a
new password), :mod:`.invites` (inviting one account, a class or a school, and where each
student stands) and :mod:`.codes` (the printed sheet of one-time codes).

Who may invite whom is decided by the views with :mod:`app.permissions`.
"""

from .codes import CodeSheet, SheetPage, check_code, issue_codes, redeem_code
from .invites import (
    CAN_LOG_IN,
    INVITABLE,
    NEEDS_CODE,
    NO_ACCOUNT,
    ClassRow,
    InviteOutcome,
    StaffAccess,
    StudentAccess,
    class_rows,
    invite,
    invite_students,
    send_invitation,
    staff_of,
    student_access,
    students_access,
)
from .links import INVITATION, RESET, Link, check_link, invitation_token, reset_token, use_link
from .reset import request_password_reset
from .rules import (
    CODE_DAYS,
    INVITATION_DAYS,
    AccessError,
    site_address,
)

__all__ = [
    "CAN_LOG_IN", "CODE_DAYS", "INVITABLE", "INVITATION", "INVITATION_DAYS", "NEEDS_CODE",
    "NO_ACCOUNT", "RESET", "AccessError", "ClassRow", "CodeSheet", "InviteOutcome", "Link",
    "SheetPage", "StaffAccess", "StudentAccess", "check_code", "check_link", "class_rows",
    "invitation_token", "invite", "invite_students", "issue_codes", "redeem_code",
    "request_password_reset", "reset_token", "send_invitation", "site_address", "staff_of",
    "student_access", "students_access", "use_link",
]
