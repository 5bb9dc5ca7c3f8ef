"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session

from app import migrate
from app.db import make_engine
from app.models import (
    Level,
    Placement,
    PlacementKind,
    PlacementStatus,
    School,
    SchoolKind,
    metadata,
)
from app.models.base import local_today
from tests import factories


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


def placement_title(n: int) -> str:
    return f"Snuffelstage elektrotechniek {n}"


def placement_before_0018(session: Session, company_id: int, n: int) -> int:
    """A placement as the table was before 0018 gave it hours (the model has them now): a
    Core insert of the model's table sends only the values given and the non-null defaults."""
    values = {"company_id": company_id, "code": f"P{n}", "title": placement_title(n),
              "kind": PlacementKind.snuffelstage, "levels": [Level.vmbo_kb.value],
              "status": PlacementStatus.open, "postcode": "6901", "place": "Zevenaar",
              "capacity": 2}
    return session.execute(sa.insert(Placement).values(**values)
                           .returning(Placement.__table__.c.id)).scalar_one()


def test_a_database_at_0007_keeps_every_chosen_occupation_when_the_flag_column_goes(
        empty_database_url, password_hash):
    """0007 as it landed had both occupation_chosen and occupation_chosen_for; 0008 drops the
    flag, and a row flagged without a title keeps its choice under its current title."""
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0007")
    with Session(engine) as session:
        company, _contact = factories.make_company(
            session, factories.make_region(session, "Liemers"), password_hash=password_hash)
        ids = tuple(placement_before_0018(session, company.id, n) for n in range(3))
        session.commit()
        flag_only_title = placement_title(1)
    table = sa.table("placement", sa.column("id"), sa.column("occupation_chosen"),
                     sa.column("occupation_chosen_for"))
    with engine.begin() as connection:
        connection.execute(table.update().where(table.c.id == ids[0]).values(
            occupation_chosen=True, occupation_chosen_for="Stage in ons team"))
        connection.execute(table.update().where(table.c.id == ids[1]).values(
            occupation_chosen=True))
    migrate.upgrade(engine)
    assert schema_differences(engine) == []
    with engine.connect() as connection:
        chosen_for = dict(connection.execute(sa.text(
            "SELECT id, occupation_chosen_for FROM placement")).all())
    assert [chosen_for[i] for i in ids] == ["Stage in ons team", flag_only_title, ""]
    config = migrate.alembic_config(empty_database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    with engine.connect() as connection:
        flags = dict(connection.execute(sa.text(
            "SELECT id, occupation_chosen FROM placement")).all())
    assert [bool(flags[i]) for i in ids] == [True, True, False]
    engine.dispose()


def test_a_database_at_0007_without_the_flag_column_upgrades_too(empty_database_url):
    """For a while 0007 was shipped without occupation_chosen; such a database is at 0007 too."""
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0007")
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE placement DROP COLUMN occupation_chosen"))
    migrate.upgrade(engine)
    assert schema_differences(engine) == []
    engine.dispose()


def school_before_0011(session: Session, region_id: int) -> School:
    """A school as the table was before 0011 gave it levels (the model has them now)."""
    table = sa.table("school", sa.column("code"), sa.column("name"), sa.column("kind"),
                     sa.column("postcode"), sa.column("place"), sa.column("region_id"))
    values = {"code": "01OLD", "name": "Oud College", "kind": SchoolKind.vmbo.value,
              "postcode": "6901", "place": "Zevenaar", "region_id": region_id}
    session.execute(table.insert().values(**values))
    school_id = session.execute(sa.text("SELECT id FROM school WHERE code = '01OLD'")).scalar_one()
    return School(id=school_id, **values)  # not added: only its id and region are read


def test_0009_counts_participations_of_begun_activities_as_attended_and_later_ones_registered(
        empty_database_url, password_hash):
    """Before 0009 a registration counted as taking part: what began by the migration day
    keeps counting (attended), what lies ahead is only registered; downgrade drops it all."""
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0008")
    today = local_today()
    with Session(engine) as session:
        region = factories.make_region(session, "Liemers")
        school = school_before_0011(session, region.id)
        student = factories.make_student(session, school, password_hash=password_hash)
        activities = [factories.make_activity(session, region) for _ in range(3)]
        for activity, day in zip(activities, (today - timedelta(days=30), today,
                                              today + timedelta(days=1)), strict=True):
            activity.starts_on = day
            session.add(activity)
        session.commit()
        ids = [a.id for a in activities]
        student_id = student.id
    # Written as 0008 knew the table: no attendance columns yet.
    table = sa.table("participation", sa.column("activity_id"), sa.column("student_id"),
                     sa.column("registered_at"))
    with engine.begin() as connection:
        connection.execute(table.insert(), [
            {"activity_id": i, "student_id": student_id, "registered_at": datetime.now(UTC)}
            for i in ids])
    migrate.upgrade(engine)
    assert schema_differences(engine) == []
    with engine.connect() as connection:
        found = dict(connection.execute(sa.text(
            "SELECT activity_id, attendance FROM participation")).all())
        unset = connection.execute(sa.text(
            "SELECT count(*) FROM participation WHERE attendance_set_by_id IS NOT NULL "
            "OR attendance_set_at IS NOT NULL")).scalar_one()
    assert [found[i] for i in ids] == ["attended", "attended", "registered"]
    assert unset == 0  # nobody marked it: the migration assumed it
    config = migrate.alembic_config(empty_database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("participation")}
    assert not columns & {"attendance", "attendance_set_by_id", "attendance_set_at"}
    with engine.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM participation")).scalar_one() == 3
    engine.dispose()
