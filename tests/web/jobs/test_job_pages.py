"""The progress page of a background job and the JSON it polls: only for who may follow it."""

from __future__ import annotations

from app.models import BackgroundJob, JobKind, JobStatus


def _job(session, side, **fields) -> BackgroundJob:
    values = {"kind": JobKind.round, "scope_key": f"school:{side.school.id}",
              "scope_label": f"school:{side.school.code}", "created_by_id": side.counsellor.id}
    job = BackgroundJob(**{**values, **fields})
    session.add(job)
    session.commit()
    return job


def test_a_waiting_round_shows_how_many_rounds_of_its_scope_go_first(world, client, login,
                                                                     session):
    _job(session, world.home, status=JobStatus.running, stage="scoring", done=30, total=120)
    mine = _job(session, world.home)
    login(world.home.counsellor)
    page = client.get(f"/jobs/{mine.id}")
    assert page.status_code == 200 and 'data-testid="job-progress"' in page.text
    assert 'data-job-ahead-count>1<' in page.text
    status = client.get(f"/jobs/{mine.id}/status")
    assert status.headers["Cache-Control"] == "no-store"
    assert status.get_json()["waiting_ahead"] == 1
    assert status.get_json()["status"] == "queued" and not status.get_json()["finished"]


def test_a_running_round_shows_its_stage_and_percentage(world, client, login, session):
    job = _job(session, world.home, status=JobStatus.running, stage="scoring", done=30,
               total=120)
    login(world.home.counsellor)
    page = client.get(f"/jobs/{job.id}")
    assert 'value="25"' in page.text and "25%" in page.text
    assert client.get(f"/jobs/{job.id}/status").get_json()["percent"] == 25


def test_a_failed_round_shows_its_reason(world, client, login, session):
    job = _job(session, world.home, status=JobStatus.failed, error="Er ging iets mis.")
    login(world.home.counsellor)
    page = client.get(f"/jobs/{job.id}")
    assert 'data-testid="job-error"' in page.text and "Er ging iets mis." in page.text


def test_another_schools_counsellor_a_student_and_a_company_cannot_follow_a_round(
        world, client, login, session):
    job = _job(session, world.home)
    login(world.away.counsellor)
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/jobs/{job.id}/status").status_code == 404
    login(world.home.student_user)
    assert client.get(f"/jobs/{job.id}").status_code == 403
    login(world.home.company_user)
    assert client.get(f"/jobs/{job.id}/status").status_code == 403


def test_the_coordinator_and_an_admin_follow_a_round_of_a_school_in_their_reach(
        world, client, login, session):
    job = _job(session, world.home)
    login(world.home.coordinator)
    assert client.get(f"/jobs/{job.id}").status_code == 200
    login(world.away.coordinator)
    assert client.get(f"/jobs/{job.id}").status_code == 404
    login(world.admin)
    assert client.get(f"/jobs/{job.id}/status").status_code == 200
    assert client.get("/jobs/999999").status_code == 404


def test_the_matching_page_links_to_the_rounds_of_its_group_under_way(world, client, login,
                                                                      session):
    waiting = _job(session, world.home)
    done = _job(session, world.home, status=JobStatus.finished)
    login(world.home.counsellor)
    page = client.get(f"/matching/?scope=school:{world.home.school.id}").text
    assert f"/jobs/{waiting.id}" in page and f"/jobs/{done.id}" not in page


def test_the_finished_round_offers_the_review_queue_only_to_who_reviews(world, client, login,
                                                                         session):
    job = _job(session, world.home, status=JobStatus.finished,
               result={"students_proposed": 1, "students": 2, "mean_score": 0.5,
                       "insufficient": 0, "no_admissible": 1, "unassigned": 0})
    login(world.home.counsellor)
    assert 'href="/review/"' in client.get(f"/jobs/{job.id}").text
    login(world.home.coordinator)
    page = client.get(f"/jobs/{job.id}").text
    assert 'data-testid="job-summary"' in page and 'href="/review/"' not in page
