"""Notification e-mails: queued by notify() in each person's language, sent by `send-mail`."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from flask_babel import gettext as _
from sqlmodel import select

from app.cli import main
from app.models import Notification, OutboxEmail
from app.services import mail
from app.services.notifications import notify

SMTP_SETTINGS = ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_STARTTLS",
                 "SMTP_SSL", "SMTP_TIMEOUT", "MAIL_FROM", "BASE_URL")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps what arrives, refuses addresses with 'bounce' in them."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "bounce" in address:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos,
                              message_from_bytes(envelope.content, policy=email_policy.default)))
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield app


def message(title: str = "Lasser"):
    return lambda: _("A new candidate for %(title)s: please answer by %(date)s.",
                     title=title, date="2026-12-01")


def outbox(session) -> list[OutboxEmail]:
    session.expire_all()
    return list(session.exec(select(OutboxEmail).order_by(OutboxEmail.id)))


def queue(session, *addresses: str) -> None:
    for address in addresses:
        session.add(OutboxEmail(to_address=address, subject="Talentmatch: nieuw",
                                body="Een nieuwe kandidaat voor Lasser. Één regel."))
    session.commit()


# --- notify() puts e-mails in the outbox ---------------------------------------------------

def test_notify_queues_an_email_in_each_users_own_language(world, session, ctx):
    dutch, english = world.home.company_user, world.home.counsellor
    english.locale = "en"
    ctx.config["BASE_URL"] = "https://talentmatch.example.nl/"
    notify(session=session, users=[dutch, english], kind="candidate", message=message(),
           link="/candidates/7")
    session.commit()
    by_address = {e.to_address: e for e in outbox(session)}
    assert set(by_address) == {dutch.email, english.email}

    nl = by_address[dutch.email]
    assert nl.subject.endswith("Een nieuwe kandidaat voor Lasser: reageer uiterlijk 2026-12-01.")
    assert nl.body.startswith(f"Hoi {dutch.display_name},")
    assert "https://talentmatch.example.nl/candidates/7" in nl.body
    assert "https://talentmatch.example.nl/notifications/" in nl.body  # where to switch off
    en = by_address[english.email]
    assert en.body.startswith(f"Hello {english.display_name},")
    assert "A new candidate for Lasser: please answer by 2026-12-01." in en.body
    assert "https://talentmatch.example.nl/candidates/7" in en.body
    assert nl.sent_at is None and nl.attempts == 0


def test_without_a_base_url_the_email_says_to_log_in_instead_of_linking(world, session, ctx):
    user = world.home.counsellor
    user.locale = "en"
    notify(session=session, users=[user], kind="candidate", message=message(),
           link="/candidates/7")
    session.commit()
    (email,) = outbox(session)
    assert "/candidates/7" not in email.body and "http" not in email.body
    assert "Log in to Talentmatch to see it." in email.body


def test_no_email_for_who_switched_it_off_has_no_address_or_is_inactive(world, session, ctx):
    off, no_address, inactive = (world.home.counsellor, world.home.company_user,
                                 world.home.coordinator)
    off.email_notifications = False
    no_address.email = ""
    inactive.is_active = False
    wants = world.home.student_user
    notify(session=session, users=[off, no_address, inactive, wants], kind="lapsed",
           message=message())
    session.commit()
    assert [e.to_address for e in outbox(session)] == [wants.email]
    # The in-app notification arrives for everyone all the same.
    assert len(session.exec(select(Notification)).all()) == 4


def test_notify_commits_nothing_so_a_rolled_back_change_sends_no_email(world, session, ctx):
    notify(session=session, users=[world.home.counsellor], kind="lapsed", message=message())
    session.rollback()
    assert outbox(session) == []


def test_a_line_break_in_the_message_does_not_reach_the_subject_and_long_ones_are_cut(
        world, session, ctx):
    notify(session=session, users=[world.home.counsellor], kind="x",
           message=lambda: "Eerste regel\nBcc: iemand@example.org " + "lang " * 100)
    session.commit()
    (email,) = outbox(session)
    assert "\n" not in email.subject and len(email.subject) == 200
    assert email.subject.endswith("…")
    mail.build_message(email, sender="noreply@example.nl")  # a valid header


# --- sending ----------------------------------------------------------------------------

def settings_for(controller, **changes) -> mail.SmtpSettings:
    values = {"host": controller.hostname, "port": controller.port,
              "sender": "Talentmatch <noreply@talentmatch.example.nl>", "timeout": 5}
    values.update(changes)
    return mail.SmtpSettings(**values)


def test_send_pending_delivers_utf8_mail_marks_it_sent_and_never_sends_it_again(
        session, smtp_server):
    controller, inbox = smtp_server
    queue(session, "sanne@example.org", "daan@example.org")
    summary = mail.send_pending(session=session, settings=settings_for(controller))
    assert (summary.sent, summary.failed, summary.skipped) == (2, 0, 0)
    assert [rcpt for rcpt, _m in inbox.messages] == [["sanne@example.org"],
                                                      ["daan@example.org"]]
    received = inbox.messages[0][1]
    assert received["Subject"] == "Talentmatch: nieuw"
    assert received["From"] == "Talentmatch <noreply@talentmatch.example.nl>"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received.get_content_charset() == "utf-8"
    assert "Één regel." in received.get_content()
    assert all(e.sent_at is not None for e in outbox(session))

    again = mail.send_pending(session=session, settings=settings_for(controller))
    assert (again.sent, again.failed) == (0, 0)
    assert len(inbox.messages) == 2


def test_a_refused_email_counts_an_attempt_and_the_run_goes_on(session, smtp_server):
    controller, inbox = smtp_server
    queue(session, "bounce@example.org", "sanne@example.org")
    summary = mail.send_pending(session=session, settings=settings_for(controller))
    assert (summary.sent, summary.failed) == (1, 1)
    bounced, delivered = outbox(session)
    assert bounced.sent_at is None and bounced.attempts == 1
    assert "SMTPRecipientsRefused" in bounced.last_error and "No such user" in bounced.last_error
    assert delivered.sent_at is not None
    assert [rcpt for rcpt, _m in inbox.messages] == [["sanne@example.org"]]


def test_nothing_listening_fails_every_email_and_after_five_attempts_they_are_skipped(session):
    queue(session, "sanne@example.org", "daan@example.org")
    settings = mail.SmtpSettings(host="127.0.0.1", port=free_port(), sender="n@example.nl",
                                 timeout=2)
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        summary = mail.send_pending(session=session, settings=settings)
        assert (summary.sent, summary.failed) == (0, 2)
        assert [e.attempts for e in outbox(session)] == [attempt, attempt]
    assert all(len(e.last_error) <= 200 and "Connection" in e.last_error
               for e in outbox(session))
    summary = mail.send_pending(session=session, settings=settings)
    assert (summary.sent, summary.failed, summary.skipped) == (0, 0, 2)
    assert [e.attempts for e in outbox(session)] == [5, 5]


def test_a_limit_sends_the_oldest_first(session, smtp_server):
    controller, inbox = smtp_server
    queue(session, "a@example.org", "b@example.org", "c@example.org")
    summary = mail.send_pending(session=session, settings=settings_for(controller), limit=2)
    assert summary.sent == 2
    assert [e.sent_at is not None for e in outbox(session)] == [True, True, False]


def test_login_is_used_when_a_user_is_given(session):
    logins = []

    def authenticator(server, session_, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        # handled=False: aiosmtpd answers the client itself (535 on a wrong password).
        return AuthResult(success=auth_data.password == b"geheim", handled=False)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        queue(session, "sanne@example.org")
        wrong = settings_for(controller, user="talentmatch", password="fout")
        assert mail.send_pending(session=session, settings=wrong).failed == 1
        assert "SMTPAuthenticationError" in outbox(session)[0].last_error
        right = settings_for(controller, user="talentmatch", password="geheim")
        assert mail.send_pending(session=session, settings=right).sent == 1
    finally:
        controller.stop()
    assert logins[-1] == (b"talentmatch", b"geheim")
    assert len(inbox.messages) == 1


@pytest.mark.parametrize(("config", "message"), [
    ({}, "SMTP_HOST and MAIL_FROM not set"),
    ({"SMTP_HOST": "smtp.example.nl"}, "MAIL_FROM not set"),
    ({"SMTP_HOST": "h", "MAIL_FROM": "f@x.nl", "SMTP_USER": "u"}, "SMTP_PASSWORD is not"),
    ({"SMTP_HOST": "h", "MAIL_FROM": "f@x.nl", "SMTP_SSL": True, "SMTP_STARTTLS": True},
     "not both"),
])
def test_settings_say_what_is_missing(config, message):
    with pytest.raises(mail.MailConfigError, match=message):
        mail.SmtpSettings.from_config(config)


def test_settings_hide_the_password():
    settings = mail.SmtpSettings.from_config({"SMTP_HOST": "h", "MAIL_FROM": "f@x.nl",
                                              "SMTP_USER": "u", "SMTP_PASSWORD": "geheim"})
    assert settings.port == 25 and "geheim" not in repr(settings)


# --- `talentmatch send-mail` ------------------------------------------------------------

@pytest.fixture
def run(database_url, monkeypatch):
    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in SMTP_SETTINGS:
        monkeypatch.delenv(name, raising=False)

    def invoke(*args, env=None):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def smtp_env(controller) -> dict[str, str]:
    return {"SMTP_HOST": controller.hostname, "SMTP_PORT": str(controller.port),
            "MAIL_FROM": "noreply@talentmatch.example.nl"}


def test_send_mail_without_smtp_host_says_what_to_set_and_leaves_the_outbox_alone(
        run, session):
    queue(session, "sanne@example.org")
    result = run("send-mail")
    assert result.exit_code == 1
    assert "SMTP_HOST" in result.output and "MAIL_FROM" in result.output
    (email,) = outbox(session)
    assert email.attempts == 0 and email.sent_at is None


def test_send_mail_sends_once_and_prints_a_summary(run, session, smtp_server):
    controller, inbox = smtp_server
    queue(session, "sanne@example.org", "bounce@example.org")
    first = run("send-mail", env=smtp_env(controller))
    assert first.exit_code == 0, first.output
    assert "Sent: 1, failed: 1, skipped: 0" in first.output
    assert "not sent: SMTPRecipientsRefused" in first.output
    second = run("send-mail", env=smtp_env(controller))
    assert "Sent: 0, failed: 1, skipped: 0" in second.output
    assert len(inbox.messages) == 1


def test_send_mail_loop_sends_each_round_until_stopped(run, session, smtp_server,
                                                       monkeypatch):
    controller, inbox = smtp_server
    queue(session, "sanne@example.org")
    naps = []

    def fake_sleep(seconds):
        naps.append(seconds)
        if len(naps) == 1:
            queue(session, "daan@example.org")  # arrives while the worker waits
            return
        raise KeyboardInterrupt

    monkeypatch.setattr("app.cli.mail.time.sleep", fake_sleep)
    result = run("send-mail", "--loop", "60", env=smtp_env(controller))
    assert result.exit_code == 0, result.output
    assert naps == [60, 60]
    assert result.output.count("Sent: 1, failed: 0") == 2 and "Stopped." in result.output
    assert [rcpt for rcpt, _m in inbox.messages] == [["sanne@example.org"],
                                                      ["daan@example.org"]]

