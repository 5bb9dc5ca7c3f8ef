#!/bin/sh
# Start one process of a deployment; the same image is every one of them (compose.yaml):
#
#   web        gunicorn serving app:create_app() on 0.0.0.0:$PORT (8000) with $WEB_CONCURRENCY
#              workers (2); first brings the schema up to date (`talentmatch init-db`) unless
#              MIGRATE_AT_START=false (compose runs `migrate` once instead, see compose.yaml)
#   worker     a Celery worker: matching rounds, re-scoring, e-mail, lapses; extra arguments go
#              to `celery worker`, e.g. --concurrency=2
#   scheduler  Celery beat: queues the periodic tasks (lapsing offers, sending mail); exactly
#              one per deployment; its schedule file is $BEAT_SCHEDULE_FILE (in the /data volume)
#   migrate    `talentmatch init-db` and stop
#
# No argument is `web`, as a plain `docker run` of the image has always done. Anything else
# runs as given, e.g. `talentmatch create-user ...`. Every process is exec'ed, so it gets
# the container's stop signal itself and shuts down cleanly (a worker finishes its task).
set -eu

role="${1:-web}"
if [ "$#" -gt 0 ]; then
    shift
fi

needs_broker() {
    if [ -z "${BROKER_URL:-}" ]; then
        echo "talentmatch $role: BROKER_URL is not set (e.g. redis://redis:6379/0); without" \
             "it every task runs in the web process and no $role is needed." >&2
        exit 64
    fi
}

remember_role() {
    # The image's HEALTHCHECK (talentmatch-healthcheck) reads which process this container is.
    echo "$role" > "${TALENTMATCH_ROLE_FILE:-/tmp/talentmatch-role}" 2>/dev/null || true
}

case "$role" in
    web)
        remember_role
        if [ "${MIGRATE_AT_START:-true}" != "false" ]; then
            talentmatch init-db
        fi
        exec gunicorn --config python:app.gunicorn_conf --bind "0.0.0.0:${PORT:-8000}" \
            --workers "${WEB_CONCURRENCY:-2}" --access-logfile - "$@" 'app:create_app()'
        ;;
    worker)
        needs_broker
        remember_role
        exec celery -A app.tasks.worker worker --loglevel="${LOG_LEVEL:-INFO}" "$@"
        ;;
    scheduler)
        needs_broker
        remember_role
        exec celery -A app.tasks.worker beat --loglevel="${LOG_LEVEL:-INFO}" \
            --schedule "${BEAT_SCHEDULE_FILE:-/data/celerybeat-schedule}" "$@"
        ;;
    migrate)
        exec talentmatch init-db
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
