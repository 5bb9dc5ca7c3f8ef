"""Import messages speak Dutch by default and English on request.

These need the Dutch entries of /tmp/i18n/nl_imports.py in the catalogue.
"""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from flask_babel import force_locale

from app.cli import main
from app.services.imports import ImportScope, run_import
from tests.services.imports.test_support import (
    STUDENT_HEADER,
    csv_bytes,
    student_row,
    students_file,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")


def bad_file(world) -> bytes:
    return csv_bytes([STUDENT_HEADER, student_row(world.home.school.code, "1"),
                      student_row("XX99", "2", themes="roobtcia")])


def upload(client, data: bytes):
    return client.post("/imports/", data={"kind": "students", "file": (io.BytesIO(data), "a.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", ["Onbekende schoolcode 'XX99'. Gebruik de code van je school",
            "Onbekend thema 'roobtcia'. Bedoel je Robotica?"]),
    ("en", ["Unknown school code 'XX99'. Use the code of your school",
            "Unknown theme 'roobtcia'. Did you mean Robotics?"]),
])
def test_service_messages_follow_the_language(app, session, world, language, expected):
    with app.test_request_context(), force_locale(language):
        report = run_import(session=session, kind="students", data=bad_file(world),
                            scope=ImportScope.for_user(session=session,
                                                       user=world.home.counsellor),
                            dry_run=False)
    found = [p.message for p in report.problems]
    for text in expected:
        assert any(text in message for message in found), found


def test_the_upload_page_speaks_dutch_by_default(world, login):
    page = upload(login(world.home.counsellor), bad_file(world))
    assert "Er is niets geïmporteerd: 2 problemen om op te lossen." in page
    assert "Wat moet anders" in page
    assert "Regel 3" in page
    assert "Onbekende schoolcode" in page


def test_the_upload_page_speaks_english_on_request(world, login):
    client = login(world.home.counsellor)
    client.get("/lang/en")
    page = upload(client, bad_file(world))
    assert "Nothing was imported: 2 problems to fix." in page
    assert "What to fix" in page and "Line 3" in page


def test_a_correct_file_is_summarised_in_dutch(world, login):
    page = upload(login(world.home.counsellor), students_file(world.home.school.code))
    assert "Het bestand is geïmporteerd." in page
    assert "Toegevoegd" in page


@pytest.mark.parametrize(("options", "expected"), [
    ((), "regel 3, kolom school_code: Onbekende schoolcode 'XX99'"),
    (("--lang", "nl"), "Er is niets geïmporteerd: 1 probleem om op te lossen."),
    (("--lang", "en"), "line 3, column school_code: Unknown school code 'XX99'"),
])
def test_the_command_line_speaks_dutch_unless_asked_for_english(
        world, database_url, monkeypatch, tmp_path, options, expected):
    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", database_url)
    path = tmp_path / "leerlingen.csv"
    path.write_bytes(csv_bytes([STUDENT_HEADER, student_row(world.home.school.code, "1"),
                                student_row("XX99", "2")]))
    result = CliRunner().invoke(main, ["import", "students", str(path), *options])
    assert result.exit_code == 1
    assert expected in result.output
