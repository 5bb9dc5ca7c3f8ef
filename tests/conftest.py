"""Shared fixtures: a fresh database per test, one app, users per role.

``TALENTMATCH_TEST_DATABASE_URL`` chooses PostgreSQL (a scratch database is created for
the run and dropped after it); unset, every test gets its own SQLite file.
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
import sqlalchemy as sa
from flask_login.utils import _create_identifier
from sqlalchemy.engine import make_url
from sqlmodel import Session
from werkzeug.security import generate_password_hash

from app import create_app
from app.db import make_engine
from app.models import metadata

from . import factories

SERVER_URL = os.environ.get("TALENTMATCH_TEST_DATABASE_URL")
PASSWORD = "correct horse battery staple"
_ENGINE_KEY = "talentmatch.engine"


def _admin_engine(url: sa.URL) -> sa.Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@pytest.fixture(scope="session")
def scratch_database():
    """Creates (and at the end drops) databases on the PostgreSQL server, if one is used."""
    if not SERVER_URL:
        yield None
        return
    server = make_url(SERVER_URL)
    created: list[str] = []
    admin = _admin_engine(server)

    def create(suffix: str = "") -> str:
        name = f"tm_test_{os.getpid()}_{suffix or uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    def drop(url: str) -> None:
        name = make_url(url).database
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        created.remove(name)

    create.drop = drop
    yield create
    for name in list(created):
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def shared_postgres_url(scratch_database):
    """One PostgreSQL database with the schema for the run; tests empty it after use."""
    if scratch_database is None:
        return None
    url = scratch_database("main")
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def empty_database_url(tmp_path, scratch_database):
    """A database with nothing in it, for migration tests."""
    if scratch_database is None:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    url = scratch_database()
    yield url
    scratch_database.drop(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An SQLite file with the schema, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "schema.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture
def database_url(tmp_path, request, shared_postgres_url):
    if shared_postgres_url is None:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    yield shared_postgres_url
    # DELETE beats TRUNCATE by far on the few rows a test leaves behind.
    engine = make_engine(shared_postgres_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    """A session on a fresh database that already has the schema."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def app_config(database_url):
    return {
        "TALENTMATCH_ENV": "testing",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
        "TWO_FACTOR_REQUIRED": False,  # `login` gives no code; two-factor tests turn it on
        # Tasks run in the test's process; a BROKER_URL in the environment must not leak in.
        "BROKER_URL": "",
    }


@pytest.fixture
def app(app_config, engine):
    app = create_app(app_config)
    app.extensions[_ENGINE_KEY] = engine  # share the test's engine and pool
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash():
    """Hashed once for the whole run: hashing is slow by design."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def world(session, password_hash):
    """Two regions, each with schools, students, companies, placements and activities."""
    return factories.build_world(session, password_hash=password_hash)


@pytest.fixture
def student_user(world):
    return world.home.student_user


@pytest.fixture
def counsellor_user(world):
    return world.home.counsellor


@pytest.fixture
def company_user(world):
    return world.home.company_user


@pytest.fixture
def coordinator_user(world):
    return world.home.coordinator


@pytest.fixture
def admin_user(world):
    return world.admin


@pytest.fixture
def login(app, client):
    """Log a user in without the form (only the auth tests use the form)."""

    def login_as(user):
        with app.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
            sess["_id"] = identifier
        return client

    return login_as


@pytest.fixture
def cli(database_url, monkeypatch):
    """``cli("match", "--all")`` runs ``talentmatch match --all`` on the test's database."""
    from click.testing import CliRunner

    from app.cli import main

    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", database_url)

    def invoke(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def clock(monkeypatch):
    """Sets the service's clock: after ``clock(moment)`` (aware), ``utcnow`` and
    ``local_today`` read ``moment`` and run on from there, for a test whose dates must not
    run out as the real days pass. It keeps running so that what happens later in a test
    still has a later time."""
    from datetime import UTC, datetime

    from app.models import base

    def start_at(moment: datetime) -> None:
        started = datetime.now(UTC)

        class Clock(datetime):
            @classmethod
            def now(cls, tz=None):
                at = moment + (datetime.now(UTC) - started)
                return at.astimezone(tz) if tz else at.replace(tzinfo=None)

        monkeypatch.setattr(base, "datetime", Clock)

    return start_at
