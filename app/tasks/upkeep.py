"""Periodic and follow-up tasks: lapsing offers, sending the outbox, re-scoring after a change.

``celery beat`` runs the first two on the schedule of :func:`app.tasks.celery_config`; the
services queue the re-scoring after a student or placement was saved, so the refit of the
scorer (seconds at 20,000 placements) happens in a worker and not in the request.
"""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app
from sqlalchemy.exc import DBAPIError

from app.db import get_session
from app.services import candidates, fairness, job_states, matching, offer_deadlines
from app.services.mail import MailConfigError, SmtpSettings, send_pending

log = logging.getLogger(__name__)
RETRY = {"autoretry_for": (DBAPIError,), "retry_backoff": True, "retry_backoff_max": 300,
         "max_retries": 5, "acks_late": True}


@shared_task(name="talentmatch.lapse_offers", **RETRY)
def lapse_offers() -> int:
    """Offers a company or a student left unanswered past their deadline lapse, and students
    whose deadline is near are reminded once. Idempotent: an offer already lapsed (or answered
    meanwhile), or a student already reminded, is left alone."""
    session = get_session()
    offer_deadlines.remind_students(session=session)
    return (candidates.lapse_overdue(session=session)
            + offer_deadlines.lapse_unanswered(session=session))


@shared_task(name="talentmatch.send_mail", **RETRY)
def send_mail() -> int:
    """Send what waits in the outbox; nothing when no SMTP server is configured. Each
    e-mail is marked sent right after it went out, so a rerun never sends it twice."""
    try:
        settings = SmtpSettings.from_config(current_app.config)
    except MailConfigError:
        return 0
    summary = send_pending(session=get_session(), settings=settings)
    for email_id, error in summary.errors:
        log.warning("e-mail %s not sent: %s", email_id, error)
    return summary.sent


@shared_task(name="talentmatch.forget_jobs", **RETRY)
def forget_jobs() -> int:
    """Once a day: jobs that ended more than KEEP_JOBS_DAYS ago go (their work stays)."""
    return job_states.forget_finished(session=get_session(),
                                      keep_days=int(current_app.config["KEEP_JOBS_DAYS"]))


@shared_task(name=matching.REFRESH_STUDENT_TASK, **RETRY)
def refresh_student(student_id: int) -> None:
    matching.refresh_student(session=get_session(), student_id=student_id)


@shared_task(name=matching.REFRESH_PLACEMENT_TASK, **RETRY)
def refresh_placement(placement_id: int) -> None:
    matching.refresh_placement(session=get_session(), placement_id=placement_id)


@shared_task(name=fairness.AUDIT_TASK, **RETRY)
def audit_round(round_id: int) -> bool:
    return fairness.audit_if_missing(session=get_session(), round_id=round_id)
