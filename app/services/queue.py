"""Handing work to the background: Celery workers when a broker is configured, otherwise
the process that asks (``task_always_eager``), so callers never need to know which."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context


def in_background() -> bool:
    """True when workers run the tasks (``BROKER_URL`` is set) and a scheduler runs beat.
    Outside an app (a script using the services directly) work is done in place."""
    return has_app_context() and bool(current_app.config.get("BROKER_URL"))


def enqueue(name: str, **kwargs: Any) -> None:
    """Run the task ``name`` with ``kwargs``: sent to the workers, or run here and now.

    Called after the caller's commit, so the worker sees what the task is about.
    """
    celery = current_app.extensions["celery"]
    celery.tasks[name].apply_async(kwargs=kwargs)
