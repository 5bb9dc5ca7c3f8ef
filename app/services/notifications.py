"""In-app notifications, written in each person's own language."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import force_locale
from sqlmodel import Session

from ..models import Notification, User


def notify(*, session: Session, users: Iterable[User], kind: str,
           message: Callable[[], str], link: str = "") -> None:
    """Add a notification for each user; ``message`` is called in that user's locale.

    Does not commit: it belongs to the change that caused it.
    """
    for user in users:
        with force_locale(user.locale or "nl"):
            text = str(message())
        session.add(Notification(user_id=user.id, kind=kind, message=text[:500], link=link))
