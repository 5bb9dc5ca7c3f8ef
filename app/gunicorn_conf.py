"""gunicorn's hooks for the web process (``docker/entrypoint.sh`` starts gunicorn with
``--config python:app.gunicorn_conf``; the other settings stay on its command line).

The occupation normaliser (ESCO titles -> occupations, ``app.services.occupations``) is
fitted the first time a process needs it: 8 s on a quiet machine, 30-40 s on a busy one. In
a web worker that first time was a request (a placement saved, through the form or the API),
and past gunicorn's 30 s timeout the worker was killed and the request answered 500. So the
master fits it once before it forks the workers: each worker starts with it, shared
copy-on-write, and a worker gunicorn replaces later inherits it too.
"""

from __future__ import annotations

import os
import time


def on_starting(server) -> None:
    if os.environ.get("WARM_OCCUPATIONS", "true").lower() in ("0", "false", "no"):
        return
    from app.services.occupations import normaliser

    began = time.perf_counter()
    normaliser()
    server.log.info("occupation normaliser fitted in %.1f s, before the workers start",
                    time.perf_counter() - began)
