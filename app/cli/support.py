"""What every `talentmatch` command needs: the app, its context, and a clean end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask

from app import create_app
from app.config import ConfigError
from app.db import dispose_engine


def make_app() -> Flask:
    """The app from the environment; a configuration problem becomes a clear CLI error."""
    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from error


@contextmanager
def app_context() -> Iterator[Flask]:
    """The app with its context pushed; the database pool is closed when the command ends."""
    app = make_app()
    try:
        with app.app_context():
            yield app
    finally:
        dispose_engine(app)
