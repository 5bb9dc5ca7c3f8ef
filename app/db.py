"""The database engine and the request-scoped session.

One engine per app, created lazily so that the factory never connects. Views and
services get the session from :func:`get_session`; it is closed when the request ends.
"""

from __future__ import annotations

import contextlib
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlmodel import Session

_ENGINE_KEY = "talentmatch.engine"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on and a busy timeout."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {})
        kwargs["connect_args"].setdefault("check_same_thread", False)
        kwargs["connect_args"].setdefault("timeout", 30)
        engine = sa.create_engine(url, **kwargs)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = sa.create_engine(url, **kwargs)
    _watch_writes(engine)
    return engine


# A request that only read ends its transaction with COMMIT instead of ROLLBACK on
# PostgreSQL. Both end a read-only transaction alike, but psycopg forgets every prepared
# statement of the connection at a ROLLBACK, so each request's queries were parsed and
# planned again: 2.5-3 ms of the server's CPU per page, most of its share (issue 20). A
# transaction counts as read-only while every statement sent in it began with SELECT; one
# that wrote, or a session with changes not yet sent, is rolled back as before.
_WROTE = "talentmatch.wrote"


def _watch_writes(engine: Engine) -> None:
    @sa.event.listens_for(engine, "begin")
    def _fresh(connection):
        connection.info[_WROTE] = False

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _note(connection, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip()[:6].upper() != "SELECT":
            connection.info[_WROTE] = True


def _end_read_only(session: Session) -> None:
    """Commit the session's connection when its transaction only read (see above)."""
    if session.new or session.dirty or session.deleted or not session.in_transaction():
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql" or connection.info.get(_WROTE, True):
        return
    # On the driver's connection, so the session's own commit hooks do not run: nothing was
    # committed that the application wrote. The session's rollback then finds no transaction;
    # if the commit fails (a lost connection), that rollback cleans up as it always did.
    with contextlib.suppress(connection.dialect.loaded_dbapi.Error):
        connection.connection.dbapi_connection.commit()  # type: ignore[union-attr]


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close_session)


def get_engine(app: Flask | None = None) -> Engine:
    app = app or current_app._get_current_object()
    engine = app.extensions.get(_ENGINE_KEY)
    if engine is None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions[_ENGINE_KEY] = engine
    return engine


def get_session() -> Session:
    """The session of the current request or app context."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def rollback_session() -> None:
    """Undo the request's failed or unfinished work, so the session can be used again.

    After a failed flush the session refuses every statement (``PendingRollbackError``),
    even loading the logged-in user for the error page; rolling back first lets that page
    render instead of a bare 500.
    """
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def _close_session(exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        try:
            if exc is None:
                _end_read_only(session)
        finally:
            session.close()


def dispose_engine(app: Flask) -> None:
    """Close the pool: commands end cleanly instead of leaving connections to the GC."""
    engine = app.extensions.pop(_ENGINE_KEY, None)
    if engine is not None:
        engine.dispose()
