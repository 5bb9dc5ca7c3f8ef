"""The deployment of compose.yaml without Docker (CI cannot run Docker): the same entrypoint
starts the migration, the web (gunicorn, 2 workers, production settings), a Celery worker
and Celery beat against the local PostgreSQL (a database of their own) and Redis (a database
number of their own), the container health checks must pass, and then a coordinator runs a
round over HTTP only, which a worker carries out, and beat lapses an overdue offer with no
request at all.

Needs PostgreSQL and Redis at 127.0.0.1. Without them it is skipped locally; CI
(``.ci/run``, section "Deployment") sets TALENTMATCH_REQUIRE_DEPLOY=1, which turns that
skip into a failure, and runs this folder once. Every process's log is in the test's
tmp_path and is printed when a test fails.
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.cli import DEMO_PASSWORD
from app.models import (
    BackgroundJob,
    JobStatus,
    MatchProposal,
    MatchRound,
    Placement,
    ProposalStatus,
    RoundStatus,
    School,
    StudentProfile,
    User,
)
from app.models.base import local_today
from benchmarks.probe.browser import Browser, posted
from benchmarks.probe.server import server_env, talentmatch_check
from tests.deploy.processes import (
    Deployment,
    free_port,
    postgres_database,
    redis_database,
    services_reachable,
)

COORDINATOR = "coordinator@talentmatch.example"  # the demo coordinator, of the Liemers
WORKER_NODE = "celery@talentmatch-deploy-test"
START_TIMEOUT = 240  # seconds for every process to pass its health check
ROUND_TIMEOUT = 300  # seconds for the worker to finish a round of the demo's Liemers
LAPSE_TIMEOUT = 60   # beat runs the lapse every 2 seconds here


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    missing = services_reachable()
    if missing:
        reason = f"the deployment test needs PostgreSQL and Redis; {missing}: not reachable"
        if os.environ.get("TALENTMATCH_REQUIRE_DEPLOY") == "1":
            pytest.fail(f"TALENTMATCH_REQUIRE_DEPLOY=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("deploy")
    with postgres_database() as database_url, redis_database() as broker_url:
        env = server_env(database_url)  # production, a SECRET_KEY, throttle on Redis
        env.update(
            BROKER_URL=broker_url, LAPSE_EVERY_SECONDS="2", PORT=str(free_port()),
            WEB_CONCURRENCY="2", MIGRATE_AT_START="false",  # as compose: `migrate` did it
            BEAT_SCHEDULE_FILE=str(folder / "celerybeat-schedule"), CELERY_NODE=WORKER_NODE,
            TALENTMATCH_ROLE_FILE=str(folder / "role"),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        processes = Deployment(folder, env)
        try:
            processes.run("migrate", "migrate")
            processes.run("seed", "talentmatch", "seed")  # the demo data `serve` adds
            processes.start("web", "web")
            processes.start("worker", "worker", "--concurrency=2", "-n", WORKER_NODE)
            processes.start("scheduler", "scheduler")
            for role in ("web", "worker", "scheduler"):
                processes.wait_for(f"the {role}'s health check",
                                   lambda role=role: processes.healthy(role), START_TIMEOUT)
            yield processes
        finally:
            processes.stop()


@pytest.fixture(autouse=True)
def logs_on_failure(deployment):
    """pytest shows what a test printed only when it failed: then every process's log."""
    yield
    print(f"logs in {deployment.folder}:\n{deployment.logs(tail=20000)}")


def test_a_round_asked_for_over_the_web_is_run_by_the_worker_and_stored_with_its_audit(
        deployment):
    browser = Browser(deployment.base, COORDINATOR)
    assert browser.login(DEMO_PASSWORD), deployment.logs()
    with Session(deployment.engine) as session:
        coordinator = session.exec(select(User).where(User.email == COORDINATOR)).one()
    scope = f"region:{coordinator.region_id}"

    page = browser.get("/matching/")
    assert page.status == 200 and scope in page.body
    confirm = browser.post("/matching/run", posted(page, "/matching/", "/matching/run",
                                                   scope=scope))
    assert confirm.status == 200 and 'data-testid="confirm-round"' in confirm.body
    started = browser.post("/matching/run", posted(confirm, "/matching/run", "/matching/run"))
    assert started.status == 302, started.body[:2000]
    job_id = int(re.fullmatch(r"/jobs/(\d+)", started.location).group(1))

    status = _follow(deployment, browser, job_id)
    assert status["status"] == "finished" and not status["error"], status
    assert browser.get(f"/jobs/{job_id}").status == 200

    with Session(deployment.engine) as session:
        job = session.get(BackgroundJob, job_id)
        assert job is not None and job.status is JobStatus.finished and job.attempts == 1
        round_ = session.get(MatchRound, job.round_id)
        assert round_ is not None and round_.status is RoundStatus.finished
        assert round_.started_by_id == coordinator.id
        proposals = session.exec(select(MatchProposal).where(
            MatchProposal.round_id == round_.id)).all()
        summary, audit = dict(round_.summary), dict(round_.fairness_audit)
    assert summary == job.result == status["result"]
    assert len(proposals) == summary["students_proposed"] > 0
    assert {p.status for p in proposals} == {ProposalStatus.proposed}
    assert audit["format"].startswith("talentmatch-fairness/")
    assert sum(audit["students"].values()) == summary["students"]

    # The worker ran it (the web only queued it: with a broker it never runs a task itself).
    worker_log, web_log = deployment.log("worker"), deployment.log("web")
    assert len(re.findall(r"talentmatch\.run_round\[[^]]+\] received", worker_log)) == 1
    assert re.search(r"talentmatch\.run_round\[[^]]+\] succeeded", worker_log), worker_log
    assert "run_round" not in web_log
    # The master fitted the occupation normaliser before forking the workers, so no request
    # fits it (app/gunicorn_conf.py).
    assert "occupation normaliser fitted in" in web_log, web_log
    code, said = talentmatch_check(deployment.env)
    assert code == 0, said


def test_beat_lapses_an_offer_past_its_deadline_without_any_request(deployment):
    proposal_id, placement_id, taken = _overdue_offer(deployment.engine)

    def lapsed() -> bool:
        with Session(deployment.engine) as session:
            return session.get(MatchProposal, proposal_id).status is ProposalStatus.lapsed

    deployment.wait_for("beat to lapse the overdue offer", lapsed, LAPSE_TIMEOUT)
    with Session(deployment.engine) as session:
        assert session.get(MatchProposal, proposal_id).holds_place is False
        assert session.get(Placement, placement_id).places_taken == taken
    assert "Sending due task lapse-offers (talentmatch.lapse_offers)" in deployment.log(
        "scheduler")
    assert re.search(r"talentmatch\.lapse_offers\[[^]]+\] succeeded in \S+: 1\b",
                     deployment.log("worker")), deployment.log("worker")
    code, said = talentmatch_check(deployment.env)
    assert code == 0, said


def _follow(deployment: Deployment, browser: Browser, job_id: int) -> dict:
    """Poll the job's status as the progress page does, until it is finished."""
    last: dict = {}

    def finished() -> bool:
        # The probe's browser keeps only text bodies; this one is JSON.
        request = browser.prepare("GET", f"/jobs/{job_id}/status")
        with browser.opener.open(request, timeout=30) as response:
            assert response.status == 200
            last.update(json.loads(response.read()))
        return bool(last.get("finished"))

    deployment.wait_for(f"job {job_id} to finish (last status {last})", finished,
                        ROUND_TIMEOUT)
    return last


def _overdue_offer(engine: sa.Engine) -> tuple[int, int, int]:
    """An offer a company left unanswered past its deadline (yesterday), holding a place at a
    placement with room, for a student outside the coordinator's region (so the round of the
    other test leaves it alone). Returns the proposal, the placement and its places taken
    before."""
    with Session(engine) as session:
        liemers = session.exec(select(User.region_id).where(User.email == COORDINATOR)).one()
        student = session.exec(select(StudentProfile).join(
            School, col(School.id) == StudentProfile.school_id).where(
            School.region_id != liemers).order_by(col(StudentProfile.id))).first()
        placement = session.exec(select(Placement).where(
            col(Placement.places_taken) < col(Placement.capacity))
            .order_by(col(Placement.id))).first()
        assert student is not None and placement is not None
        taken = placement.places_taken
        proposal = MatchProposal(student_id=student.id, placement_id=placement.id,
                                 status=ProposalStatus.sent_to_company, holds_place=True,
                                 company_deadline=local_today() - timedelta(days=1))
        placement.places_taken = taken + 1
        session.add_all([proposal, placement])
        session.commit()
        return proposal.id, placement.id, taken
