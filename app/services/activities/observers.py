"""Observers: who may record observations at an activity, with a new talent scout account
when the e-mail address is unknown."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from ...models import Activity, ActivityObserver, Role, School, User
from ..accounts import MIN_PASSWORD_LENGTH, AccountError, create_user, normalise_email
from ..rows import id_of
from .rules import OBSERVER_ROLES, ObserverError


@dataclass(frozen=True)
class ObserverAssignment:
    user: User
    created: bool


def _valid_email(email: str) -> bool:
    local, at, domain = email.partition("@")
    return bool(at and local and "." in domain and not domain.startswith(".")
                and not domain.endswith(".") and " " not in email)


def assign_observer(*, session: Session, activity: Activity, email: str,
                    display_name: str = "", password: str = "") -> ObserverAssignment:
    """Let someone record observations at this activity.

    An existing account (talent scout, company contact, or a counsellor of the region) is
    linked as it is; its password is never touched. For an unknown e-mail address a new
    ``observer`` account is made with ``display_name`` and the initial ``password`` that
    the organiser hands over.
    """
    email = normalise_email(email or "")
    if not _valid_email(email):
        raise ObserverError(_("Enter an e-mail address, e.g. name@company.nl."), field="email")
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        display_name = (display_name or "").strip()
        if not display_name:
            raise ObserverError(
                _("There is no account for %(email)s yet. Fill in a name and an initial "
                  "password to make a talent scout account.", email=email),
                field="display_name")
        if len(password or "") < MIN_PASSWORD_LENGTH:
            raise ObserverError(
                _("The initial password needs at least %(n)s characters.",
                  n=MIN_PASSWORD_LENGTH), field="password")
        try:
            user = create_user(session=session, email=email, role=Role.observer,
                               display_name=display_name[:120], password=password)
        except AccountError as error:  # pragma: no cover - checked above
            raise ObserverError(str(error), field="email") from error
        created = True
    else:
        if not user.is_active:
            raise ObserverError(_("The account of %(email)s is switched off.", email=email),
                                field="email")
        if user.role not in OBSERVER_ROLES:
            raise ObserverError(
                _("%(email)s cannot be an observer: only talent scouts, company contacts and "
                  "counsellors can be.", email=email), field="email")
        if user.role is Role.counsellor:
            school = session.get(School, user.school_id) if user.school_id else None
            if school is None or school.region_id != activity.region_id:
                raise ObserverError(
                    _("%(email)s is a counsellor in another region.", email=email),
                    field="email")
        if is_assigned(session=session, activity=activity, user=user):
            raise ObserverError(
                _("%(name)s is already an observer at this activity.", name=user.display_name),
                field="email")
        created = False
    session.add(ActivityObserver(activity_id=id_of(activity), user_id=id_of(user)))
    session.commit()
    return ObserverAssignment(user, created)


def is_assigned(*, session: Session, activity: Activity, user: User) -> bool:
    return session.get(ActivityObserver, (activity.id, user.id)) is not None


def remove_observer(*, session: Session, activity: Activity, user: User) -> None:
    """End someone's observer role here; what they recorded stays."""
    link = session.get(ActivityObserver, (activity.id, user.id))
    if link is None:
        raise ObserverError(_("%(name)s is not an observer at this activity.",
                              name=user.display_name))
    session.delete(link)
    session.commit()
