"""Celery as the app sets it up: eager without a broker, workers and beat with one."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from app import create_app
from app.models import ProposalStatus
from app.services import candidates
from app.services.matching import REFRESH_PLACEMENT_TASK, REFRESH_STUDENT_TASK
from app.services.matching import refresh as refresh_module
from app.tasks import celery_config

from .. import factories


def test_without_a_broker_tasks_run_in_the_asking_process(app):
    celery = app.extensions["celery"]
    assert celery.conf.task_always_eager is True


def test_with_a_broker_tasks_go_to_the_workers_and_nothing_connects_at_start(app_config):
    # A port nobody listens on: building the app must not try to reach it.
    app = create_app({**app_config, "BROKER_URL": "redis://127.0.0.1:9/0"})
    conf = app.extensions["celery"].conf
    assert conf.task_always_eager is False and conf.broker_url == "redis://127.0.0.1:9/0"
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1


def test_the_broker_is_read_from_the_environment(app_config, monkeypatch):
    monkeypatch.setenv("BROKER_URL", "redis://127.0.0.1:6379/5")
    config = {key: value for key, value in app_config.items() if key != "BROKER_URL"}
    assert create_app(config).extensions["celery"].conf.broker_url == "redis://127.0.0.1:6379/5"


def test_beat_schedules_lapses_and_mail_with_registered_tasks(app):
    celery = app.extensions["celery"]
    schedule = celery.conf.beat_schedule
    assert {entry["task"] for entry in schedule.values()} == {
        "talentmatch.lapse_offers", "talentmatch.send_mail", "talentmatch.forget_jobs"}
    assert all(entry["task"] in celery.tasks for entry in schedule.values())
    assert schedule["lapse-offers"]["schedule"].total_seconds() == 300
    shorter = celery_config({"BROKER_URL": "redis://x", "LAPSE_EVERY_SECONDS": 2})
    assert shorter["beat_schedule"]["lapse-offers"]["schedule"].total_seconds() == 2


def test_the_lapse_task_lapses_an_overdue_offer_once(world, session, app):
    factories.give_consent(session, world.home.student)
    proposal = factories.make_proposal(session, world.home.student, world.home.placement)
    session.commit()
    with app.test_request_context():
        candidates.send_to_company(session=session, proposal=proposal, actor=None,
                                   today=date(2020, 1, 6))
    task = app.extensions["celery"].tasks["talentmatch.lapse_offers"]
    assert task.apply().get() == 1
    assert task.apply().get() == 0  # idempotent: nothing left to lapse
    session.expire_all()
    assert proposal.status is ProposalStatus.lapsed


def test_the_mail_task_sends_nothing_without_an_smtp_server(app):
    assert app.extensions["celery"].tasks["talentmatch.send_mail"].apply().get() == 0


def test_with_workers_a_saved_student_or_placement_is_rescored_by_a_task(app_config,
                                                                          monkeypatch):
    app = create_app({**app_config, "BROKER_URL": "redis://127.0.0.1:9/0"})
    sent: list[tuple[str, dict]] = []
    celery = app.extensions["celery"]
    for name in (REFRESH_STUDENT_TASK, REFRESH_PLACEMENT_TASK):
        monkeypatch.setattr(celery.tasks[name], "apply_async",
                            lambda kwargs, name=name: sent.append((name, kwargs)))

    def no_refit(**_kwargs):
        raise AssertionError("the request refitted the scorer")

    monkeypatch.setattr(refresh_module, "refresh_student", no_refit)
    monkeypatch.setattr(refresh_module, "refresh_placement", no_refit)
    with app.app_context():
        refresh_module.after_student_change(session=None, student_id=7)  # type: ignore[arg-type]
        refresh_module.after_placement_change(session=None, placement_id=9)  # type: ignore[arg-type]
    assert sent == [(REFRESH_STUDENT_TASK, {"student_id": 7}),
                    (REFRESH_PLACEMENT_TASK, {"placement_id": 9})]


def test_the_rescoring_tasks_refresh_pending_proposals(world, session, app):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=ProposalStatus.proposed)
    session.commit()
    before = (proposal.score, proposal.explanation)
    with app.test_request_context():
        app.extensions["celery"].tasks[REFRESH_STUDENT_TASK].apply(
            kwargs={"student_id": world.home.student.id}).get()
    session.expire_all()
    refreshed = session.exec(select(type(proposal)).where(
        type(proposal).student_id == world.home.student.id)).one()
    # Re-scored with the real scorer: the factory's placeholder score and reason are gone.
    assert (refreshed.score, refreshed.explanation) != before
