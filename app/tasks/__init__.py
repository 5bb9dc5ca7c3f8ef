"""Background work on Celery, set up as Flask's documentation describes.

Every task runs inside an app context of the app that made it, so tasks use the same
services, sessions and translations as the web. With ``BROKER_URL`` set (Redis in
production) tasks go to the workers and ``celery beat`` runs the periodic ones; without it,
``task_always_eager`` runs each task in the process that asks, so the embedded default
(one command, SQLite, no Redis) works alone.

Start the processes of a deployment with
    celery -A app.tasks.worker worker --loglevel=INFO
    celery -A app.tasks.worker beat --loglevel=INFO
"""

from __future__ import annotations

from datetime import timedelta

from celery import Celery, Task
from flask import Flask


def celery_config(config) -> dict:
    broker = str(config.get("BROKER_URL") or "")
    return {
        "broker_url": broker or "memory://",
        # Progress and results live in the job rows, not in a result backend.
        "task_ignore_result": True,
        "task_always_eager": not broker,
        # A task is acknowledged when it ends, not when it starts: a worker that dies
        # (killed, out of memory) gives its task back to the queue, and the task is written
        # so that running it twice does no harm.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # A round may take minutes; Redis would hand an unacknowledged task to another
        # worker after this long.
        "broker_transport_options": {"visibility_timeout": 3600},
        "broker_connection_retry_on_startup": True,
        "timezone": "Europe/Amsterdam",
        "beat_schedule": {
            "lapse-offers": {
                "task": "talentmatch.lapse_offers",
                "schedule": timedelta(seconds=int(config.get("LAPSE_EVERY_SECONDS") or 300)),
            },
            "send-mail": {
                "task": "talentmatch.send_mail",
                "schedule": timedelta(
                    seconds=int(config.get("SEND_MAIL_EVERY_SECONDS") or 60)),
            },
            "forget-jobs": {"task": "talentmatch.forget_jobs", "schedule": timedelta(days=1)},
        },
    }


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(celery_config(app.config))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    # Registers the tasks (shared_task binds them to every app, this one included).
    from . import jobs, upkeep  # noqa: F401
    return celery_app
