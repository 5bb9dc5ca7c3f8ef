#!/bin/sh
# Start the service: bring the database schema up to date, then hand PID 1 to gunicorn
# (exec, so it gets the container's stop signal and shuts its workers down cleanly).
# With arguments, run those instead, e.g. `talentmatch create-user ...`.
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

talentmatch init-db
exec gunicorn --bind 0.0.0.0:8000 --workers "${WEB_CONCURRENCY:-2}" \
    --access-logfile - 'app:create_app()'
