"""The matching page: counsellors run a round for their school and steer it with pins (the
pin search: tests/web/matching/test_pin_search.py)."""

from __future__ import annotations

from sqlmodel import select

from app.models import (
    BackgroundJob,
    JobStatus,
    MatchProposal,
    MatchRound,
    StudentProfile,
)


def test_a_counsellor_confirms_the_scope_and_size_then_follows_the_round_to_its_proposals(
        world, client, login, session):
    home = world.home
    login(home.counsellor)
    page = client.get("/matching/")
    assert page.status_code == 200 and home.school.name in page.text
    scope = f"school:{home.school.id}"
    confirm = client.post("/matching/run", data={"scope": scope})
    # The first submit only asks: nothing runs before the scope and its size are confirmed.
    assert confirm.status_code == 200 and 'data-testid="confirm-round"' in confirm.text
    assert home.school.name in confirm.text
    students = len(session.exec(select(StudentProfile).where(
        StudentProfile.school_id == home.school.id)).all())
    assert f'data-testid="round-students">{students}<' in confirm.text
    assert session.exec(select(MatchRound)).first() is None
    started = client.post("/matching/run", data={"scope": scope, "confirmed": "yes"})
    job = session.exec(select(BackgroundJob)).one()
    assert started.status_code == 302 and started.location.endswith(f"/jobs/{job.id}")
    # Without a broker the round ran in this process: the job page shows its summary.
    response = client.get(started.location)
    assert 'data-testid="job-summary"' in response.text
    assert "students got a proposal" in response.text or "kregen een voorstel" in response.text
    round_ = session.exec(select(MatchRound)).one()
    assert job.round_id == round_.id and job.status is JobStatus.finished
    assert round_.scope == f"school:{home.school.code}" and round_.started_by_id == \
        home.counsellor.id
    proposals = session.exec(select(MatchProposal)).all()
    assert proposals and proposals[0].explanation in client.get(f"/matching/?scope={scope}").text
    status = client.get(f"/jobs/{job.id}/status").get_json()
    assert status["finished"] and status["percent"] == 100 and \
        status["result"]["students_proposed"] == len(proposals)


def test_a_counsellor_cannot_run_or_see_another_schools_matching(world, client, login, session):
    home, away = world.home, world.away
    login(home.counsellor)
    assert client.get(f"/matching/?scope=school:{away.school.id}").status_code == 404
    assert client.post("/matching/run",
                       data={"scope": f"school:{away.school.id}"}).status_code == 400
    assert session.exec(select(MatchRound)).first() is None


def test_students_and_companies_have_no_matching_page(world, client, login):
    login(world.home.student_user)
    assert client.get("/matching/").status_code == 403
    login(world.home.company_user)
    assert client.post("/matching/run", data={"scope": "all"}).status_code == 403


def test_a_coordinator_may_match_their_region_and_an_admin_everyone(world, client, login,
                                                                   session):
    login(world.home.coordinator)
    assert client.post("/matching/run", data={"scope": f"region:{world.home.region.id}",
                                              "confirmed": "yes"}).status_code == 302
    assert client.get(f"/matching/?scope=region:{world.away.region.id}").status_code == 404
    login(world.admin)
    assert client.post("/matching/run", data={"scope": f"region:{world.away.region.id}",
                                              "confirmed": "yes"}).status_code == 302
    assert client.post("/matching/run", data={"scope": "all"}).status_code == 400
    assert [r.scope for r in session.exec(select(MatchRound).order_by(MatchRound.id))] == \
        [f"region:{world.home.region.slug}", f"region:{world.away.region.slug}"]


def test_the_reason_is_shown_in_english_on_request(world, client, login, session):
    home = world.home
    login(home.counsellor)
    client.post("/matching/run", data={"scope": f"school:{home.school.id}", "confirmed": "yes"})
    client.get("/lang/en")
    page = client.get("/matching/")
    proposal = session.exec(select(MatchProposal)).first()
    assert proposal.explanation not in page.text
    assert "km from home" in page.text or "close to home" in page.text


def test_a_coordinator_sees_the_figures_of_a_round_but_no_students_and_cannot_pin(
        world, client, login, session):
    home = world.home
    login(home.counsellor)
    client.post("/matching/run", data={"scope": f"school:{home.school.id}", "confirmed": "yes"})
    login(home.coordinator)
    page = client.get(f"/matching/?scope=school:{home.school.id}")
    assert page.status_code == 200
    assert home.student.last_name not in page.text and home.student.student_number not in page.text
    assert client.post("/matching/pins", data={
        "student_id": home.student.id, "placement_id": home.placement.id,
        "kind": "exclude"}).status_code == 403
