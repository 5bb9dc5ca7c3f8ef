"""A student's personal tokens ("Koppelingen" on her own pages): an app of her choice reads her
proposals and, with ``me:write``, says yes or no for her, through the API's ``/api/v1/me``.

These are ordinary API tokens (app/services/api_tokens.py: hashed, found by prefix, logged,
rate limited, expiring, revocable), under three rules of their own: the student makes them
herself, they have only the scopes of the ``me`` area, and they live at most
:data:`MAX_DAYS` days. Whether she may have one at all (an active account; for a student who
may be under the consent age, a consent on file) is :func:`api_tokens.student_refusal`,
which the API asks again at every use.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from ..models import STUDENT_SCOPES, ApiToken, Role, User
from ..models.api_tokens import TOKEN_NAME_MAX
from ..models.base import local_today
from .api_tokens import ApiTokenError, check_expiry, issue_token, status_of, student_refusal
from .validation import FieldError, check_text, reraise_as

# Shorter than an integration's year: the app is the student's own choice, often one to try
# out, and she is mostly a minor; a token that is still wanted is easily made again.
MAX_DAYS = 90
DEFAULT_DAYS = 30


def refusal_for(*, session: Session, user: User, today: date | None = None) -> str | None:
    """Why ``user`` may not make a personal token now (shown on her page), or None."""
    if user.role is not Role.student:
        return _("Only a student makes a personal token, for her own proposals.")
    found = student_refusal(session=session, user=user, today=today)
    return found[0] if found else None


def _clean_scopes(scopes) -> list[str]:
    chosen = set(scopes or ())
    if not chosen:
        raise FieldError(_("Choose what the app may do."), "scopes")
    if not chosen <= set(STUDENT_SCOPES):
        raise FieldError(_("Choose from the list."), "scopes")
    return [scope for scope in STUDENT_SCOPES if scope in chosen]


def create_personal_token(*, session: Session, student: User, name: str, scopes,
                          expires_on: date | None,
                          today: date | None = None) -> tuple[ApiToken, str]:
    """A new token acting as ``student``, made by herself, and the token to show her once."""
    today = today or local_today()
    if (refusal := refusal_for(session=session, user=student, today=today)) is not None:
        raise ApiTokenError(refusal)
    with reraise_as(ApiTokenError):
        clean_name = check_text(name, field="name", maximum=TOKEN_NAME_MAX,
                                missing=_l("Give the link a name: which app it is for."),
                                too_long=_l("A name has at most %(max)s characters.",
                                            max=TOKEN_NAME_MAX))
        clean_scopes = _clean_scopes(scopes)
        expiry = check_expiry(expires_on, today=today, max_days=MAX_DAYS)
    return issue_token(session=session, user=student, creator=student, name=clean_name,
                       scopes=clean_scopes, expires_on=expiry)


def token_states(*, session: Session, student: User) -> list[tuple[ApiToken, str]]:
    """Her tokens for her page, each with its state: ``active``, ``expired``, ``revoked``, or
    ``stopped`` when it would be refused although neither (the consent it was made under was
    withdrawn, which a later consent does not undo): the page must not call that active."""
    rows = []
    for token in personal_tokens_of(session=session, student=student):
        state = status_of(token)
        if state == "active" and student_refusal(session=session, user=student,
                                                 made_at=token.created_at):
            state = "stopped"
        rows.append((token, state))
    return rows


def personal_tokens_of(*, session: Session, student: User) -> list[ApiToken]:
    """The student's own tokens, newest first (revoked and expired ones too)."""
    return list(session.exec(select(ApiToken).where(
        col(ApiToken.user_id) == student.id, col(ApiToken.created_by_id) == student.id)
        .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())).all())
