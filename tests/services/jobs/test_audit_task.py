"""With workers, an audit that failed with its round is made again by a task."""

from __future__ import annotations

import pytest

from app.db import get_session
from app.models import MatchRound
from app.services import fairness, jobs
from app.services.fairness import has_audit
from app.services.matching import Scope


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BROKER_URL": "redis://127.0.0.1:9/0"}


def test_an_audit_that_failed_with_the_round_is_made_again_by_a_worker(world, app, session,
                                                                        monkeypatch):
    app.extensions["celery"].conf.task_always_eager = True
    real, calls = fairness.audit, []

    def fails_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("audit broke")
        return real(**kwargs)

    monkeypatch.setattr(fairness, "audit", fails_once)
    with app.test_request_context():
        job = jobs.start_round(session=get_session(), scope=Scope(school=world.home.school),
                               scope_key=f"school:{world.home.school.id}", actor=None, seed=2)
    session.expire_all()
    round_ = session.get(MatchRound, job.round_id)
    assert len(calls) == 2 and has_audit(round_.fairness_audit)
    assert round_.fairness_audit["computed"] == "afterwards"
    with app.test_request_context():  # a second delivery of the task changes nothing
        assert fairness.audit_if_missing(session=get_session(), round_id=round_.id) is False
