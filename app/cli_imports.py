"""`talentmatch import KIND FILE [--dry-run]`."""

from __future__ import annotations

import click


@click.command("import")
def import_command() -> None:
    """Import a CSV file."""
    raise click.ClickException("Importing is being built.")
