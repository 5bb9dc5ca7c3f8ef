"""ANALYZE after bulk writes: a seed and a large import leave the planner statistics fresh."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.services import maintenance
from seeds import generate

from .imports.test_support import csv_bytes, do_import

REGIONS = ["name", "slug", "answer_days"]


class Statements:
    """Every SQL statement the engine sends, in order."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine, self.sent = engine, []
        sa.event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, *_args) -> None:
        self.sent.append(statement.strip().split()[0].upper())

    def close(self) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._record)


@pytest.fixture
def statements(engine):
    recorder = Statements(engine)
    yield recorder
    recorder.close()


def _analyzed_tables(session: Session) -> dict[str, int]:
    """Per table, how often its statistics were gathered (PostgreSQL) or whether SQLite holds
    any (1 or 0)."""
    session.commit()  # a new transaction: PostgreSQL's statistics views are read per transaction
    if session.get_bind().dialect.name == "postgresql":
        return dict(session.execute(sa.text(
            "SELECT relname, analyze_count FROM pg_stat_user_tables")).all())
    names = session.execute(sa.text(
        "SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")).all()
    if not names:
        return {}
    return {name: 1 for (name,) in session.execute(sa.text("SELECT tbl FROM sqlite_stat1"))}


def test_seeding_ends_with_analyze_and_the_tables_have_statistics(session, engine, statements,
                                                                   password_hash):
    before = _analyzed_tables(session)
    generate(session, students=100, placements=10, password_hash=password_hash)
    after = _analyzed_tables(session)
    assert "ANALYZE" in statements.sent
    assert "INSERT" not in statements.sent[statements.sent.index("ANALYZE"):]
    for table in ("studentprofile", "participation", "placement"):
        assert after.get(table, 0) > before.get(table, 0), table


def _regions_file(count: int) -> bytes:
    return csv_bytes([REGIONS, *([f"Regio {i}", f"regio-{i}", "10"] for i in range(count))])


def test_a_large_import_runs_analyze_after_its_commit(session, statements, monkeypatch):
    monkeypatch.setattr(maintenance, "LARGE_WRITE_ROWS", 5)
    before = _analyzed_tables(session)
    report = do_import(session, "regions", _regions_file(5))
    assert report.ok and report.created == 5
    assert "ANALYZE" in statements.sent
    assert _analyzed_tables(session).get("region", 0) > before.get("region", 0)


def test_a_small_import_and_a_dry_run_leave_the_statistics_to_autovacuum(session, statements,
                                                                         monkeypatch):
    monkeypatch.setattr(maintenance, "LARGE_WRITE_ROWS", 5)
    assert do_import(session, "regions", _regions_file(4)).created == 4
    assert do_import(session, "regions", _regions_file(9), dry_run=True).created == 5
    assert "ANALYZE" not in statements.sent


def test_analyze_commits_what_is_pending_first(session):
    session.execute(sa.text("CREATE TABLE pending_probe (id integer)"))
    session.execute(sa.text("INSERT INTO pending_probe VALUES (1)"))
    assert maintenance.analyze(session=session) is True
    session.rollback()  # nothing left to undo: the row was committed before ANALYZE
    assert session.execute(sa.text("SELECT count(*) FROM pending_probe")).scalar_one() == 1
    session.execute(sa.text("DROP TABLE pending_probe"))
    session.commit()
