"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import migrate
from app.db import make_engine
from app.models import metadata


def schema_differences(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_upgrade_head_on_an_empty_database_matches_the_models(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    assert schema_differences(engine) == []
    engine.dispose()


def test_upgrade_is_repeatable_and_downgrade_removes_everything(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    migrate.upgrade(engine)  # every start runs it: the second time is a no-op
    config = migrate.alembic_config(empty_database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    engine.dispose()


def test_every_enum_value_of_the_models_is_allowed_by_the_migrated_database(empty_database_url):
    """Autogenerate misses new enum values; this catches a migration that forgot one."""
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    inspector = sa.inspect(engine)
    problems = []
    for table in metadata.sorted_tables:
        checks = [c["sqltext"] for c in inspector.get_check_constraints(table.name)]
        for column in table.columns:
            if not isinstance(column.type, sa.Enum):
                continue
            text = " ".join(str(c) for c in checks if column.name in str(c))
            missing = [v for v in column.type.enums if f"'{v}'" not in text]
            if missing:
                problems.append(f"{table.name}.{column.name}: {missing}")
    engine.dispose()
    assert problems == []
