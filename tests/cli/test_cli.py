"""The `talentmatch` command: init-db, create-user and their error messages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlmodel import Session, select

from app import create_app
from app.cli import main
from app.db import dispose_engine, make_engine
from app.models import Role, User


@pytest.fixture
def run(empty_database_url, monkeypatch):
    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", empty_database_url)

    def invoke(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def db(empty_database_url):
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def test_init_db_creates_the_schema_and_can_run_again(run, db):
    assert run("init-db").exit_code == 0
    assert "user" in sa.inspect(db).get_table_names()
    assert run("init-db").exit_code == 0


def test_create_user_stores_a_hashed_password(run, db):
    run("init-db")
    result = run("create-user", "--email", "Beheer@Example.org", "--role", "admin",
                 "--name", "Beheer", "--password", "a long password")
    assert result.exit_code == 0, result.output
    with Session(db) as session:
        user = session.exec(select(User).where(User.email == "beheer@example.org")).one()
    assert user.role is Role.admin
    assert "a long password" not in user.password_hash


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "counsellor"], "needs a school"),
    (["--role", "counsellor", "--school", "NOPE"], "no school with code 'NOPE'"),
    (["--role", "coordinator"], "needs a region"),
    (["--role", "company", "--company-kvk", "12345678"], "no company with KvK number"),
])
def test_create_user_explains_what_is_missing(run, db, args, message):
    run("init-db")
    result = run("create-user", "--email", "x@example.org", "--password", "a long password",
                 *args)
    assert result.exit_code == 1
    assert message in result.output
    with Session(db) as session:
        assert session.exec(select(User)).all() == []


def test_create_user_refuses_a_second_account_with_the_same_email(run):
    run("init-db")
    args = ("create-user", "--email", "a@example.org", "--role", "admin",
            "--password", "a long password")
    assert run(*args).exit_code == 0
    result = run(*args)
    assert result.exit_code == 1
    assert "already an account" in result.output


def test_create_user_refuses_a_short_password(run):
    run("init-db")
    result = run("create-user", "--email", "a@example.org", "--role", "admin",
                 "--password", "short")
    assert result.exit_code == 1
    assert "at least 10 characters" in result.output


def test_commands_explain_a_missing_secret_in_production(run, monkeypatch):
    monkeypatch.setenv("TALENTMATCH_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    result = run("init-db")
    assert result.exit_code == 1
    assert "SECRET_KEY is not set" in result.output


def test_seed_fills_an_empty_database_and_refuses_a_second_time(run, db):
    result = run("seed", "--students", "120", "--placements", "20", "--password", "demo-pass-1234")
    assert result.exit_code == 0, result.output
    with Session(db) as session:
        demo = session.exec(
            select(User).where(User.email == "counsellor@talentmatch.example")).one()
    assert demo.role is Role.counsellor
    again = run("seed", "--students", "120", "--placements", "20")
    assert again.exit_code == 1
    assert "already has data" in again.output


def test_seeded_demo_accounts_can_log_in_with_the_demo_password(run, empty_database_url):
    run("seed", "--students", "120", "--placements", "20", "--password", "demo-pass-1234")
    app = create_app({"TALENTMATCH_ENV": "testing", "DATABASE_URL": empty_database_url,
                      "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    response = client.post("/login", data={"email": "student@talentmatch.example",
                                           "password": "demo-pass-1234"})
    assert response.status_code == 302
    assert b'data-testid="student-home"' in client.get("/home").data
    dispose_engine(app)
