"""`talentmatch reset-2fa EMAIL`: someone lost their phone and their recovery codes."""

from __future__ import annotations

import click

from app.cli.support import app_context
from app.db import get_session
from app.services import two_factor


@click.command("reset-2fa")
@click.argument("email")
def reset_two_factor_command(email: str) -> None:
    """Remove an account's second factor: a role that needs one sets it up at the next login."""
    with app_context():
        try:
            user, removed = two_factor.reset_by_email(session=get_session(), email=email)
        except two_factor.NoSuchAccount as error:
            raise click.ClickException(str(error)) from error
    if removed:
        click.echo(f"The second factor of {user.email} is removed; "
                   "they set up a new one at their next login.")
    else:
        click.echo(f"{user.email} had no second factor; nothing changed.")
