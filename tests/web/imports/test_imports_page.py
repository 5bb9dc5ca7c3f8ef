"""The upload page: who sees it, the problems table, the summary, examples and help."""

from __future__ import annotations

import io
import re

import pytest
from sqlmodel import select

from app.models import Participation, StudentProfile
from tests.services.imports.test_support import (
    STUDENT_HEADER,
    count,
    csv_bytes,
    student_row,
    students_file,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")


def upload(client, data: bytes, kind: str = "students", *, name: str = "leerlingen.csv",
           dry_run: bool = False):
    form = {"kind": kind, "file": (io.BytesIO(data), name)}
    if dry_run:
        form["dry_run"] = "y"
    return client.post("/imports/", data=form, content_type="multipart/form-data")


def english(client):
    client.get("/lang/en")
    return client


def test_a_counsellor_sees_the_form_with_all_four_kinds(world, login):
    page = login(world.home.counsellor).get("/imports/").get_data(as_text=True)
    assert 'data-testid="import-page"' in page
    assert 'enctype="multipart/form-data"' in page
    for kind in ("students", "activities", "participations", "observations"):
        assert f'value="{kind}"' in page
        assert f"/imports/examples/{kind}.csv" in page
    assert "/imports/help" in page


def test_a_coordinator_is_not_offered_students(world, login):
    page = login(world.home.coordinator).get("/imports/").get_data(as_text=True)
    assert 'value="students"' not in page
    assert 'value="activities"' in page
    assert "/imports/examples/students.csv" not in page


@pytest.mark.parametrize("who", ["student_user", "company_user"])
def test_students_and_companies_get_403(world, login, who):
    assert login(getattr(world.home, who)).get("/imports/").status_code == 403


def test_visitors_must_log_in(client):
    response = client.get("/imports/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_file_with_problems_shows_each_with_line_and_column_and_writes_nothing(
        world, login, session):
    client = english(login(world.home.counsellor))
    before = count(session, StudentProfile)
    data = csv_bytes([STUDENT_HEADER, student_row(world.home.school.code, "1"),
                      student_row(world.away.school.code, "2"),
                      student_row(world.home.school.code, "3", postcode="1000")])
    response = upload(client, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported: 2 problems to fix." in page
    rows = re.findall(r'<tr data-testid="problem" data-line="(\d+)">(.*?)</tr>', page, re.S)
    assert [line for line, _ in rows] == ["3", "4"]
    assert "school_code" in rows[0][1] and "your own school" in rows[0][1]
    assert "postcode" in rows[1][1] and "Postcode 1000 does not exist" in rows[1][1]
    assert 'data-label="What to fix"' in page  # stacks into cards on a phone
    assert count(session, StudentProfile) == before


def test_a_correct_file_is_imported_and_summarised(world, login, session):
    client = english(login(world.home.counsellor))
    response = upload(client, students_file(world.home.school.code, {"number": "1"},
                                            {"number": "2"}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The file is imported." in page
    assert '<dd data-testid="created">2</dd>' in page
    assert session.exec(select(StudentProfile).where(
        StudentProfile.student_number == "2")).one().school_id == world.home.school.id
    again = upload(client, students_file(world.home.school.code, {"number": "1"},
                                         {"number": "2"})).get_data(as_text=True)
    assert '<dd data-testid="unchanged">2</dd>' in again


def test_only_check_shows_what_would_change_and_writes_nothing(world, login, session):
    client = english(login(world.home.counsellor))
    before = count(session, StudentProfile)
    page = upload(client, students_file(world.home.school.code), dry_run=True).get_data(
        as_text=True)
    assert "Nothing is imported yet" in page
    assert '<dd data-testid="created">1</dd>' in page
    assert 'data-testid="change"' in page and f"{world.home.school.code} 900001" in page
    assert count(session, StudentProfile) == before


def test_participations_uploaded_by_a_counsellor_are_registered_by_them(world, login, session):
    counsellor = world.home.counsellor
    data = csv_bytes([["activiteitcode", "leerlingnummer"],
                      [world.home.activity.code, world.home.classmate.student_number]], ";")
    response = upload(login(counsellor), data, "participations")
    assert response.status_code == 200
    row = session.exec(select(Participation).where(
        Participation.student_id == world.home.classmate.id)).one()
    assert row.registered_by_id == counsellor.id


def test_a_kind_the_user_may_not_import_is_refused_by_the_form(world, login, session):
    before = count(session, StudentProfile)
    response = upload(login(world.home.coordinator), students_file(world.home.school.code))
    assert response.status_code == 200
    assert 'data-testid="import-summary"' not in response.get_data(as_text=True)
    assert count(session, StudentProfile) == before


@pytest.mark.parametrize(("name", "data"), [("leerlingen.xlsx", b"PK\x03\x04"),
                                            ("leerlingen.csv", b"")])
def test_the_form_wants_a_csv_file(world, login, name, data):
    client = english(login(world.home.counsellor))
    page = upload(client, data, name=name).get_data(as_text=True)
    assert "Upload a .csv file" in page or "Choose a file to upload" in page \
        or "The file is empty" in page


def test_no_file_at_all_asks_for_one(world, login):
    client = english(login(world.home.counsellor))
    page = client.post("/imports/", data={"kind": "students"},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Choose a file to upload." in page


def test_example_files_download_as_csv(world, login):
    client = login(world.home.counsellor)
    response = client.get("/imports/examples/students.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).startswith("leerlingnummer;voornaam")
    assert client.get("/imports/examples/secrets.csv").status_code == 404


def test_a_coordinator_cannot_download_the_students_example(world, login):
    assert login(world.home.coordinator).get(
        "/imports/examples/students.csv").status_code == 404


def test_the_help_page_lists_every_column_in_dutch_and_english(world, login):
    page = english(login(world.home.counsellor)).get("/imports/help").get_data(as_text=True)
    for name in ("leerlingnummer", "student_number", "thema", "observer_email",
                 "activiteitcode", "kvk", "host_company_kvk"):
        assert name in page
    assert "Week van de Techniek" in page


def test_the_page_speaks_english_on_request(world, login):
    client = english(login(world.home.counsellor))
    page = client.get("/imports/").get_data(as_text=True)
    assert "Import a CSV file" in page
    assert "Only check the file" in page


def test_a_too_large_upload_gets_a_clear_413_page_not_a_crash(app_config, engine, world):
    from io import BytesIO

    from flask_login.utils import _create_identifier

    from app import create_app

    app = create_app({**app_config, "MAX_CONTENT_LENGTH": 400 * 1024})
    app.extensions["talentmatch.engine"] = engine
    client = app.test_client()
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as sess:
        sess.update({"_user_id": world.home.counsellor.get_id(), "_fresh": True,
                     "_id": identifier})
    response = client.post("/imports/", data={
        "kind": "students", "file": (BytesIO(b"x" * 450 * 1024), "big.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Het bestand is te groot: hoogstens 0,4 MB" in response.get_data(as_text=True)
