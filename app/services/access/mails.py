"""The e-mails that give someone access, written to the outbox in their own language.

``talentmatch send-mail`` sends them like every other e-mail. They are about the account
itself, so they go out whatever the notification switch says.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from ...models import OutboxEmail, Role, User
from .links import company_names
from .rules import INVITATION_DAYS, INVITATION_PATH, LOGIN_PATH, RESET_PATH


def _body(user: User, paragraphs: list[str]) -> str:
    greeting = _("Hello %(name)s", name=user.display_name) + ","
    footer = _("This e-mail was sent by Talentmatch. Replies to it are not read.")
    return "\n\n".join([greeting, *paragraphs]) + "\n\n-- \n" + footer + "\n"


def _what_for(session: Session, user: User) -> str:
    """One sentence on what this user does in Talentmatch."""
    if user.role is Role.student:
        return _("In Talentmatch you find taster days, internships and activities in "
                 "technology that suit you.")
    if user.role is Role.counsellor:
        return _("In Talentmatch you follow your school's students, record what they show "
                 "at activities and review the placements proposed to them.")
    if user.role is Role.company:
        companies = company_names(session, user.id) if user.id is not None else ""
        if companies:
            return _("In Talentmatch you act for %(company)s: placements, candidates and "
                     "activities.", company=companies)
        return _("In Talentmatch you act for your company: placements, candidates and "
                 "activities.")
    if user.role is Role.coordinator:
        return _("In Talentmatch you coordinate the companies, activities and matching of "
                 "your region.")
    return _("In Talentmatch schools, companies and students of your region meet around "
             "technology.")


def write_invitation(*, session: Session, user: User, token: str, site: str,
                     invited_by: User | None) -> OutboxEmail:
    """The invitation e-mail with its link; added to the session, not committed."""
    with force_locale(user.locale or "nl"):
        if invited_by is not None:
            opening = _("%(inviter)s has made an account in Talentmatch for you, %(email)s.",
                        inviter=invited_by.display_name, email=user.email)
        else:
            opening = _("An account in Talentmatch has been made for you, %(email)s.",
                        email=user.email)
        paragraphs = [
            opening + " " + _what_for(session, user),
            _("Choose your password with this link. It works once, for %(days)s days:",
              days=INVITATION_DAYS),
            site + INVITATION_PATH + token,
            _("After that you log in at %(url)s with your e-mail address and that password.",
              url=site + LOGIN_PATH),
            _("Not expecting this e-mail? Then you can ignore it; without a password nobody "
              "can use the account."),
        ]
        email = OutboxEmail(to_address=user.email,
                            subject=_("Talentmatch: your account is ready"),
                            body=_body(user, paragraphs))
    session.add(email)
    return email


def write_reset(*, session: Session, user: User, token: str, site: str) -> OutboxEmail:
    """The e-mail with a link to set a new password; added to the session, not committed."""
    with force_locale(user.locale or "nl"):
        paragraphs = [
            _("Someone, hopefully you, asked for a new password for your Talentmatch account "
              "%(email)s. Choose a new password with this link. It works once, for one hour:",
              email=user.email),
            site + RESET_PATH + token,
            _("Did you not ask for this? Then you can ignore this e-mail: your password stays "
              "as it is."),
        ]
        email = OutboxEmail(to_address=user.email,
                            subject=_("Talentmatch: choose a new password"),
                            body=_body(user, paragraphs))
    session.add(email)
    return email
