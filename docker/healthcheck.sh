#!/bin/sh
# Is this process healthy? Exit 0 when it is. The role is the first argument (compose.yaml
# names it) or, for the image's own HEALTHCHECK, what the entrypoint wrote at start.
#
#   web        /healthz answers 200 (it answers 503 when the database does not answer)
#   worker     the worker answers a Celery ping over the broker within 10 s (a worker whose
#              broker connection is gone, or that hangs, does not)
#   scheduler  beat has written its schedule file within 10 minutes (it writes it at least
#              every 3 minutes while it runs)
#   anything else (migrate, one-off commands): nothing to check
set -eu

role="${1:-$(cat "${TALENTMATCH_ROLE_FILE:-/tmp/talentmatch-role}" 2>/dev/null || echo none)}"

case "$role" in
    web)
        exec python -c "import sys, urllib.request as u; \
sys.exit(0 if u.urlopen('http://127.0.0.1:${PORT:-8000}/healthz', timeout=4).status == 200 else 1)"
        ;;
    worker)
        # Only the broker is needed for a ping, not the app: no Flask app is built here.
        # The worker's name is celery@<hostname> unless it was started with -n.
        node="${CELERY_NODE:-celery@${HOSTNAME:-$(hostname)}}"
        exec celery --broker "$BROKER_URL" inspect ping --destination "$node" --timeout 10
        ;;
    scheduler)
        schedule="${BEAT_SCHEDULE_FILE:-/data/celerybeat-schedule}"
        fresh="$(find "$(dirname "$schedule")" -maxdepth 1 -name "$(basename "$schedule")*" \
                 -mmin -10 2>/dev/null | head -n 1)"
        if [ -z "$fresh" ]; then
            echo "no schedule file ${schedule}* written in the last 10 minutes" >&2
            exit 1
        fi
        ;;
    *)
        exit 0
        ;;
esac
