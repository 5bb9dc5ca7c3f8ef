"""`talentmatch send-mail [--limit N] [--loop SECONDS]`: the outbox goes out by SMTP."""

from __future__ import annotations

import time

import click
from flask import current_app

from app.cli.support import app_context
from app.db import get_session
from app.services.mail import MAX_ATTEMPTS, MailConfigError, SendSummary, SmtpSettings, send_pending


def _report(summary: SendSummary) -> None:
    for email_id, error in summary.errors:
        click.echo(f"E-mail {email_id} not sent: {error}", err=True)
    click.echo(f"Sent: {summary.sent}, failed: {summary.failed}, "
               f"skipped: {summary.skipped} (gave up after {MAX_ATTEMPTS} attempts).")


@click.command("send-mail")
@click.option("--limit", type=click.IntRange(1), default=None,
              help="Try at most this many e-mails (default: all that wait).")
@click.option("--loop", "every", type=click.IntRange(1), default=None, metavar="SECONDS",
              help="Keep running: send what waits, then again every SECONDS (Ctrl+C stops).")
def send_mail_command(limit: int | None, every: int | None) -> None:
    """Send the e-mails waiting in the outbox (run from cron, or with --loop as a worker)."""
    with app_context():
        try:
            settings = SmtpSettings.from_config(current_app.config)
        except MailConfigError as error:
            raise click.ClickException(str(error)) from error
        session = get_session()
        while True:
            summary = send_pending(session=session, settings=settings, limit=limit)
            if every is None or summary.sent or summary.failed:
                _report(summary)
            if every is None:
                return
            try:
                time.sleep(every)
            except KeyboardInterrupt:
                click.echo("Stopped.")
                return
