"""Migration 0011: the theme taxonomy comes with the schema, and schools know their levels."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from app import migrate
from app.db import make_engine
from app.models import StudentTheme
from matching.taxonomy import load_themes
from tests import factories

from .test_office_theme import THEME, themes


def downgrade_to(url: str, engine, revision: str) -> None:
    config = migrate.alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def slug_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return dict(connection.execute(
            sa.select(THEME.c.slug, sa.func.count()).group_by(THEME.c.slug)).all())


def test_an_empty_database_gets_every_theme_of_the_taxonomy_as_the_file_has_it(
        empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    found = themes(engine)
    taxonomy = load_themes()
    assert set(found) == {t.slug for t in taxonomy}
    for theme in taxonomy:
        row = found[theme.slug]
        assert (row["label_nl"], row["label_en"], list(row["synonyms"]),
                list(row["esco_codes"]), bool(row["technical"])) == (
            theme.label_nl, theme.label_en, list(theme.synonyms), list(theme.esco_codes),
            theme.technical), theme.slug
    engine.dispose()


def test_running_it_again_adds_no_theme_twice(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    migrate.upgrade(engine)  # every start runs it
    downgrade_to(empty_database_url, engine, "0010")
    migrate.upgrade(engine)
    counts = slug_counts(engine)
    assert len(counts) == len(load_themes()) and set(counts.values()) == {1}
    engine.dispose()


def test_a_database_with_part_of_the_taxonomy_gets_the_rest_and_keeps_its_own(
        empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0010")
    with engine.begin() as connection:
        connection.execute(THEME.insert(), [
            {"slug": "robotica", "label_nl": "Robots (eigen)", "label_en": "Robots",
             "synonyms": [], "esco_codes": [], "technical": True},
            {"slug": "eigen-thema", "label_nl": "Eigen thema", "label_en": "Own theme",
             "synonyms": [], "esco_codes": [], "technical": False},
        ])
    migrate.upgrade(engine)
    found = themes(engine)
    assert set(found) == {t.slug for t in load_themes()} | {"eigen-thema"}
    assert found["robotica"]["label_nl"] == "Robots (eigen)"  # never replaced
    assert set(slug_counts(engine).values()) == {1}
    engine.dispose()


def test_downgrade_keeps_the_themes_something_names_and_removes_the_rest(
        empty_database_url, password_hash):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine)
    robotics_id = themes(engine)["robotica"]["id"]
    with Session(engine) as session:
        school = factories.make_school(session, factories.make_region(session, "Liemers"))
        student = factories.make_student(session, school, password_hash=password_hash)
        session.add(StudentTheme(student_id=student.id, theme_id=robotics_id))
        session.commit()
    downgrade_to(empty_database_url, engine, "0010")
    assert set(themes(engine)) == {"robotica"}
    columns = {c["name"] for c in sa.inspect(engine).get_columns("school")}
    assert "levels" not in columns
    migrate.upgrade(engine)
    assert themes(engine)["robotica"]["id"] == robotics_id
    assert set(slug_counts(engine).values()) == {1}
    engine.dispose()


def test_schools_made_before_get_the_levels_of_their_kind(empty_database_url):
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0010")
    region = sa.table("region", sa.column("id"), sa.column("slug"), sa.column("name"))
    school = sa.table("school", sa.column("code"), sa.column("name"), sa.column("kind"),
                      sa.column("postcode"), sa.column("place"), sa.column("region_id"))
    with engine.begin() as connection:
        connection.execute(region.insert().values(id=1, slug="liemers", name="Liemers"))
        connection.execute(school.insert(), [
            {"code": f"0{n}AA", "name": kind, "kind": kind, "postcode": "6901",
             "place": "Zevenaar", "region_id": 1}
            for n, kind in enumerate(("primary", "vmbo", "havo_vwo", "mbo", "hbo"))])
    migrate.upgrade(engine)
    with engine.connect() as connection:
        levels = dict(connection.execute(sa.select(
            sa.column("kind"), sa.column("levels", sa.JSON())).select_from(
                sa.table("school"))).all())
    assert levels == {
        "primary": ["basisonderwijs"],
        "vmbo": ["vmbo_bb", "vmbo_kb", "vmbo_gl", "vmbo_tl"],
        "havo_vwo": ["havo", "vwo"],
        "mbo": ["mbo_1", "mbo_2", "mbo_3", "mbo_4"],
        "hbo": ["hbo"],
    }
    engine.dispose()
