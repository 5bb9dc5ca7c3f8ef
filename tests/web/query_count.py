"""Counting what one request sends to the database (no tests here).

A page's query count must not grow with its rows: the tests load a page at two sizes of data
and compare the counts of one warm request (after a first one that does what a process does
once, like the lapse check of the candidates page)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa


@dataclass
class Sent:
    statements: list[str] = field(default_factory=list)
    commits: int = 0

    @property
    def queries(self) -> int:
        return len(self.statements)

    @property
    def writes(self) -> list[str]:
        return [s for s in self.statements
                if s.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]


class Recorder:
    """Records every statement and commit on ``engine`` while it is open."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.sent = Sent()

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        self.sent.statements.append(statement)

    def _commit(self, _conn) -> None:
        self.sent.commits += 1

    def __enter__(self) -> Sent:
        sa.event.listen(self.engine, "before_cursor_execute", self._statement)
        sa.event.listen(self.engine, "commit", self._commit)
        return self.sent

    def __exit__(self, *_exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._statement)
        sa.event.remove(self.engine, "commit", self._commit)


def get_counted(client, engine: sa.Engine, path: str, *, warm: bool = True):
    """GETs ``path`` (once before, unless ``warm`` is False) and returns the answer and what
    the counted request sent."""
    if warm:
        assert client.get(path).status_code == 200
    with Recorder(engine) as sent:
        answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer, sent
