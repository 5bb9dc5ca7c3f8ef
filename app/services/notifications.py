"""Notifications, in the app and by e-mail, written in each person's own language."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, col, func, select, update

from ..models import Notification, OutboxEmail, Role, User
from ..models.base import utcnow
from .rows import id_of

SUBJECT_LENGTH = 200
# Where the e-mail switch lives; the mail footer points there.
SETTINGS_PATH = "/notifications/"


def counsellors_of(*, session: Session, school_ids: Iterable[int]) -> list[User]:
    """The active counsellors of these schools: who is told about their students."""
    ids = list(school_ids)
    if not ids:
        return []
    return list(session.exec(select(User).where(
        User.role == Role.counsellor, col(User.school_id).in_(ids), User.is_active)
        .order_by(col(User.id))).all())


def notify(*, session: Session, users: Iterable[User], kind: str,
           message: Callable[[], str], link: str = "") -> None:
    """Add a notification for each user, and an e-mail for those who want one.

    ``message`` is called in that user's locale. Does not commit: it belongs to the change
    that caused it, so a rolled-back change sends no e-mail either.
    """
    base_url = _base_url()
    for user in users:
        with force_locale(user.locale or "nl"):
            text = str(message())
            if wants_email(user):
                session.add(_email(user, text, link, base_url))
        session.add(Notification(user_id=id_of(user), kind=kind, message=text[:500], link=link))


def tell_student_and_counsellors(*, session: Session, student_user_id: int | None,
                                 school_id: int, kind: str, to_student: Callable[[], str],
                                 to_counsellors: Callable[[], str], student_link: str,
                                 counsellor_link: str) -> None:
    """One event told twice: to the student as "you", and to their school's counsellors with
    the student's name, since a counsellor follows many students and reads it about one."""
    owner = session.get(User, student_user_id) if student_user_id else None
    if owner is not None and owner.is_active:
        notify(session=session, users=[owner], kind=kind, message=to_student, link=student_link)
    notify(session=session, users=counsellors_of(session=session, school_ids=[school_id]),
           kind=kind, message=to_counsellors, link=counsellor_link)


def wants_email(user: User) -> bool:
    return bool(user.is_active and user.email_notifications and "@" in (user.email or ""))


def _base_url() -> str:
    if not has_app_context():
        return ""
    return str(current_app.config.get("BASE_URL") or "").strip().rstrip("/")


def _email(user: User, text: str, link: str, base_url: str) -> OutboxEmail:
    """The e-mail for one notification; called inside ``force_locale`` of the user."""
    one_line = " ".join(text.split())  # a line break in a header would break the mail
    subject = _("Talentmatch: %(message)s", message=one_line)
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[:SUBJECT_LENGTH - 1] + "…"
    parts = [_("Hello %(name)s", name=user.display_name) + ",", text]
    if base_url:
        parts.append(_("Open it here: %(url)s", url=base_url + (link or SETTINGS_PATH)))
        footer = _("You get this e-mail because e-mail notifications are on. You can switch "
                   "them off here: %(url)s", url=base_url + SETTINGS_PATH)
    else:
        parts.append(_("Log in to Talentmatch to see it."))
        footer = _("You get this e-mail because e-mail notifications are on. You can switch "
                   "them off in Talentmatch under Notifications.")
    body = "\n\n".join(parts) + "\n\n-- \n" + footer + "\n"
    return OutboxEmail(to_address=user.email, subject=subject, body=body)


# --- the notifications page ---------------------------------------------------------------

def notifications_of(*, session: Session, user: User, limit: int = 100) -> list[Notification]:
    """Newest first."""
    return list(session.exec(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc()).limit(limit)))


def unread_count(*, session: Session, user: User) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, col(Notification.read_at).is_(None))).one()


def own_notification(*, session: Session, user: User, notification_id: int
                     ) -> Notification | None:
    """The notification if it is this user's; someone else's is as good as missing."""
    return session.exec(select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user.id)).first()


def mark_read(*, session: Session, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.add(notification)
        session.commit()


def mark_all_read(*, session: Session, user: User) -> int:
    result = session.exec(update(Notification).where(
        col(Notification.user_id) == user.id, col(Notification.read_at).is_(None))
        .values(read_at=utcnow()))
    session.commit()
    return result.rowcount


def set_email_notifications(*, session: Session, user: User, enabled: bool) -> None:
    user.email_notifications = enabled
    session.add(user)
    session.commit()
