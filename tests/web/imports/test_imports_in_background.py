"""With workers, a large file is imported by a worker and followed on the job's page."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from app.models import BackgroundJob, JobStatus, StudentProfile
from app.services import import_jobs
from tests.services.imports.test_support import (
    count,
    students_file,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")


@pytest.fixture
def app_config(app_config):
    # Workers are configured; the test runs their tasks in this process instead of Redis.
    return {**app_config, "BROKER_URL": "redis://127.0.0.1:9/0"}


@pytest.fixture(autouse=True)
def worker_here(app, monkeypatch):
    app.extensions["celery"].conf.task_always_eager = True
    monkeypatch.setattr(import_jobs, "INLINE_LINES", 3)


def upload(client, data: bytes, dry_run: bool = False):
    form = {"kind": "students", "file": (io.BytesIO(data), "leerlingen.csv")}
    if dry_run:
        form["dry_run"] = "y"
    return client.post("/imports/", data=form, content_type="multipart/form-data")


def rows(n: int, **overrides) -> list[dict]:
    return [{"number": f"{910000 + i}", **overrides} for i in range(n)]


def test_a_large_file_goes_to_a_worker_and_its_page_shows_what_was_imported(
        world, login, session):
    client = login(world.home.counsellor)
    before = count(session, StudentProfile)
    response = upload(client, students_file(world.home.school.code, *rows(6)))
    job = session.exec(select(BackgroundJob)).one()
    assert response.status_code == 302 and response.location.endswith(f"/jobs/{job.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert 'data-testid="import-summary"' in page and 'data-testid="created">6<' in page
    assert count(session, StudentProfile) == before + 6
    session.refresh(job)
    # The file is not kept once it was read.
    assert job.status is JobStatus.finished and job.payload is None
    assert job.result["created"] == 6


def test_a_large_file_with_problems_imports_nothing_and_lists_them(world, login, session):
    client = login(world.home.counsellor)
    before = count(session, StudentProfile)
    bad = students_file(world.home.school.code, *rows(5), *rows(1, birth_year="ooit"))
    page = client.get(upload(client, bad).location).get_data(as_text=True)
    assert 'data-testid="import-problems"' in page and 'data-line="7"' in page
    assert count(session, StudentProfile) == before


def test_a_small_file_is_still_imported_in_the_request(world, login, session):
    client = login(world.home.counsellor)
    response = upload(client, students_file(world.home.school.code, *rows(2)))
    assert response.status_code == 200 and 'data-testid="created">2<' in response.text
    assert session.exec(select(BackgroundJob)).first() is None


def test_only_the_uploader_follows_an_import(world, login, session):
    client = login(world.home.counsellor)
    location = upload(client, students_file(world.home.school.code, *rows(6),),
                      dry_run=True).location
    assert client.get(location).status_code == 200
    login(world.away.counsellor)
    assert client.get(location).status_code == 404
    login(world.home.coordinator)
    assert client.get(location).status_code == 404
