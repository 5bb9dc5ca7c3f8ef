"""Sending the outbox by SMTP: each e-mail at most once, failures kept for a later run."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from sqlmodel import Session, col, func, select

from ..models import OutboxEmail
from ..models.base import utcnow
from .errors import ServiceError
from .rows import id_of

MAX_ATTEMPTS = 5
ERROR_LENGTH = 200

SETUP_HELP = (
    "Set SMTP_HOST to your mail server and MAIL_FROM to the sender address "
    "(e.g. 'Talentmatch <noreply@example.nl>'); SMTP_PORT (default 25), SMTP_USER and "
    "SMTP_PASSWORD when the server wants a login, SMTP_STARTTLS=true or SMTP_SSL=true "
    "for encryption."
)


class MailConfigError(ServiceError):
    """Mail cannot be sent with this configuration; the message says what to set."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False
    ssl: bool = False
    timeout: float = 30

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        host = str(config.get("SMTP_HOST") or "").strip()
        sender = str(config.get("MAIL_FROM") or "").strip()
        missing = [name for name, value in (("SMTP_HOST", host), ("MAIL_FROM", sender))
                   if not value]
        if missing:
            raise MailConfigError(f"{' and '.join(missing)} not set, so no e-mail can be "
                                  f"sent. {SETUP_HELP}")
        user = str(config.get("SMTP_USER") or "")
        password = str(config.get("SMTP_PASSWORD") or "")
        if user and not password:
            raise MailConfigError("SMTP_USER is set but SMTP_PASSWORD is not.")
        if config.get("SMTP_STARTTLS") and config.get("SMTP_SSL"):
            raise MailConfigError("Set SMTP_STARTTLS or SMTP_SSL, not both: SMTP_SSL is for a "
                                  "port that speaks TLS from the start (usually 465), "
                                  "SMTP_STARTTLS for one that upgrades (usually 587).")
        return cls(host=host, sender=sender, port=int(config.get("SMTP_PORT") or 25),
                   user=user, password=password, starttls=bool(config.get("SMTP_STARTTLS")),
                   ssl=bool(config.get("SMTP_SSL")),
                   timeout=float(config.get("SMTP_TIMEOUT") or 30))


@dataclass
class SendSummary:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def build_message(email: OutboxEmail, *, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=True)
    # Without a domain make_msgid asks DNS for this host's name, which can hang.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "talentmatch.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    # Keeps out-of-office replies from answering a machine.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.body, charset="utf-8")
    return message


class _Connection:
    """One SMTP connection for a run, opened when first needed and again after a failure."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._open()
        self.smtp.send_message(message)

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        if s.ssl:
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _short(error: Exception) -> str:
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text[:ERROR_LENGTH]


def send_pending(*, session: Session, settings: SmtpSettings,
                 limit: int | None = None) -> SendSummary:
    """Send unsent e-mails oldest first, each committed as sent right after it went out.

    A failure counts an attempt and the run goes on with the next e-mail; after
    ``MAX_ATTEMPTS`` an e-mail is given up on and only counted as skipped.
    """
    summary = SendSummary()
    connection = _Connection(settings)
    last_id = 0
    try:
        while limit is None or summary.sent + summary.failed < limit:
            # SKIP LOCKED lets two senders share the outbox without sending anything twice;
            # id > last_id keeps a failed e-mail from being retried within the same run.
            email = session.exec(
                select(OutboxEmail)
                .where(col(OutboxEmail.sent_at).is_(None), OutboxEmail.attempts < MAX_ATTEMPTS,
                       col(OutboxEmail.id) > last_id)
                .order_by(col(OutboxEmail.id)).limit(1)
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            ).first()
            if email is None:
                break
            last_id = email.id
            try:
                connection.send(build_message(email, sender=settings.sender))
            # Broad on purpose: an e-mail that cannot even be built must use up its
            # attempts, or it would be first in line again on every run.
            except Exception as error:
                connection.close()
                email.attempts += 1
                email.last_error = _short(error)
                summary.failed += 1
                summary.errors.append((id_of(email), email.last_error))
            else:
                email.sent_at = utcnow()
                summary.sent += 1
            session.add(email)
            session.commit()
    finally:
        connection.close()
    summary.skipped = session.exec(select(func.count()).select_from(OutboxEmail).where(
        col(OutboxEmail.sent_at).is_(None), OutboxEmail.attempts >= MAX_ATTEMPTS)).one()
    # No transaction left open while a worker sleeps between runs.
    session.commit()
    return summary
