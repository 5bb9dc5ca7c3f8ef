"""How a request's transaction ends (app/db.py): what it wrote and did not commit is undone;
on PostgreSQL a request that only read commits, so the connection keeps its prepared
statements."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.db import get_session
from app.models import User


def _name_of(app, user_id: int) -> str:
    with app.app_context():
        return get_session().exec(select(User.display_name).where(User.id == user_id)).one()


def test_a_statement_that_wrote_without_a_commit_is_undone_when_the_request_ends(app, world):
    user_id = world.home.student_user.id
    with app.app_context():
        get_session().execute(sa.update(User).where(User.id == user_id)  # type: ignore[arg-type]
                              .values(display_name="Niet bewaard"))
    assert _name_of(app, user_id) != "Niet bewaard"


def test_a_flushed_change_without_a_commit_is_undone_when_the_request_ends(app, world):
    user_id = world.home.student_user.id
    with app.app_context():
        session = get_session()
        session.get(User, user_id).display_name = "Niet bewaard"  # type: ignore[union-attr]
        session.flush()
        session.execute(sa.select(sa.literal(1)))  # reads after the write do not hide it
    assert _name_of(app, user_id) != "Niet bewaard"


def test_a_change_not_yet_sent_is_not_committed_when_the_request_ends(app, world):
    user_id = world.home.student_user.id
    with app.app_context():
        get_session().get(User, user_id).display_name = "Niet bewaard"  # type: ignore[union-attr]
    assert _name_of(app, user_id) != "Niet bewaard"


def test_a_request_that_fails_rolls_back_what_it_read_and_wrote(app, world):
    user_id = world.home.student_user.id
    with pytest.raises(RuntimeError), app.app_context():
        session = get_session()
        session.get(User, user_id).display_name = "Niet bewaard"  # type: ignore[union-attr]
        session.flush()
        raise RuntimeError("the view failed")
    assert _name_of(app, user_id) != "Niet bewaard"


def test_requests_that_only_read_answer_alike_and_keep_postgresqls_prepared_statements(
        app, world, engine):
    user_id = world.home.student_user.id
    engine.dispose()  # one fresh connection, reused by every request below
    names = {_name_of(app, user_id) for _ in range(8)}
    assert names == {world.home.student_user.display_name}
    if engine.dialect.name == "postgresql":  # SQLite prepares nothing to keep
        with app.app_context():
            prepared = get_session().execute(
                sa.text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
        # psycopg prepares a query it sees five times on a connection; a ROLLBACK at the
        # end of each request made it drop them all (DEALLOCATE ALL).
        assert prepared >= 1
