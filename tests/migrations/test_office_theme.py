"""Migration 0010 adds the office theme to a database that holds the taxonomy."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from app import migrate
from app.db import make_engine
from app.models import StudentTheme
from matching.taxonomy import load_themes
from tests import factories

from .test_migrations import schema_differences

SLUG = "kantoor-administratie"
THEME = sa.table("theme", sa.column("id", sa.Integer()), sa.column("slug", sa.String()),
                 sa.column("label_nl", sa.String()), sa.column("label_en", sa.String()),
                 sa.column("synonyms", sa.JSON()), sa.column("esco_codes", sa.JSON()),
                 sa.column("technical", sa.Boolean()))


def at_0009_with_the_taxonomy(url: str) -> sa.Engine:
    """A database at 0009 whose theme table holds the taxonomy as it was before 0010."""
    engine = make_engine(url)
    migrate.upgrade(engine, "0009")
    with engine.begin() as connection:
        connection.execute(THEME.insert(), [
            {"slug": t.slug, "label_nl": t.label_nl, "label_en": t.label_en,
             "synonyms": list(t.synonyms), "esco_codes": list(t.esco_codes),
             "technical": t.technical} for t in load_themes() if t.slug != SLUG])
    return engine


def themes(engine) -> dict[str, dict]:
    with engine.connect() as connection:
        return {row.slug: row._asdict() for row in connection.execute(sa.select(THEME))}


def downgrade_to_0009(url: str, engine) -> None:
    config = migrate.alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")


def test_the_office_theme_is_added_once_not_technical_with_its_words_and_occupations(
        empty_database_url):
    engine = at_0009_with_the_taxonomy(empty_database_url)
    before = themes(engine)
    migrate.upgrade(engine)
    migrate.upgrade(engine)  # every start runs it
    after = themes(engine)
    assert set(after) - set(before) == {SLUG}
    office = after[SLUG]
    assert (office["label_nl"], office["label_en"], bool(office["technical"])) == (
        "Kantoor en administratie", "Office and administration", False)
    assert {"administratie", "secretariaat", "boekhouding", "receptie"} <= set(
        office["synonyms"])
    assert "4110.1" in office["esco_codes"]
    # As the taxonomy file has it, so a seeded and a migrated database agree.
    (taxonomy,) = [t for t in load_themes() if t.slug == SLUG]
    assert (office["synonyms"], office["esco_codes"], bool(office["technical"])) == (
        list(taxonomy.synonyms), list(taxonomy.esco_codes), taxonomy.technical)
    assert schema_differences(engine) == []
    engine.dispose()


def test_an_empty_theme_table_stays_empty_for_the_seed_to_fill(empty_database_url):
    """So it was until 0011, which fills it with the whole taxonomy."""
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0010")
    assert themes(engine) == {}
    engine.dispose()


def test_downgrade_removes_the_theme_when_nothing_names_it(empty_database_url):
    engine = at_0009_with_the_taxonomy(empty_database_url)
    migrate.upgrade(engine, "0010")  # 0011's downgrade removes every theme nothing names
    downgrade_to_0009(empty_database_url, engine)
    remaining = themes(engine)
    assert SLUG not in remaining and "robotica" in remaining
    engine.dispose()


def test_downgrade_keeps_the_theme_when_a_student_chose_it(empty_database_url, password_hash):
    engine = at_0009_with_the_taxonomy(empty_database_url)
    migrate.upgrade(engine)
    office_id = themes(engine)[SLUG]["id"]
    with Session(engine) as session:
        school = factories.make_school(session, factories.make_region(session, "Liemers"))
        student = factories.make_student(session, school, password_hash=password_hash)
        session.add(StudentTheme(student_id=student.id, theme_id=office_id))
        session.commit()
    downgrade_to_0009(empty_database_url, engine)
    assert themes(engine)[SLUG]["id"] == office_id
    with engine.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM studenttheme WHERE theme_id = :id"), {"id": office_id}
        ).scalar_one() == 1
    engine.dispose()
