"""The Celery application for ``celery -A app.tasks.worker worker`` and ``... beat``.

Building the Flask app here is what the worker process is for; the web never imports this.
"""

from app import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
