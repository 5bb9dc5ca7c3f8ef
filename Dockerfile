# Talentmatch production image: every process of a deployment, chosen by the first argument
# (docker/entrypoint.sh): web (the default: migrate, then gunicorn serving app:create_app() on
# port 8000), worker (a Celery worker), scheduler (Celery beat) or migrate. compose.yaml runs
# them all beside PostgreSQL and Redis.
#   docker build -t talentmatch .
#   docker run -e SECRET_KEY=... -e DATABASE_URL=postgresql+psycopg://... -p 8000:8000 talentmatch
# One-off commands skip the start, e.g.
#   docker run --rm -it -e SECRET_KEY=... -e DATABASE_URL=... talentmatch talentmatch create-user ...
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Dependencies first, in their own layer, so a code change does not re-download them.
COPY pyproject.toml /tmp/pyproject.toml
RUN python -c 'import tomllib; p = tomllib.load(open("/tmp/pyproject.toml", "rb"))["project"]; \
print("\n".join(p["dependencies"] + p["optional-dependencies"]["prod"]))' > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/pyproject.toml /tmp/requirements.txt

# The package itself, as a regular (non-editable) install; the sources are removed after.
# The Dutch catalogue is compiled here so the image is Dutch even if no .mo is committed.
COPY . /src
RUN cd /src \
 && if [ -f app/translations/nl/LC_MESSAGES/messages.po ]; then \
        pybabel compile -d app/translations --statistics; fi \
 && pip install '.[prod]' \
 && cd / && rm -rf /src

# Without DATABASE_URL the app would use SQLite in Flask's instance folder, which for an
# installed package is /usr/local/var/app-instance: root-owned and inside the image. Point
# the SQLite default at a volume the service user owns instead; production sets
# DATABASE_URL to PostgreSQL and this default is then unused. SECRET_KEY has no default:
# the app refuses to start without it in production.
ENV TALENTMATCH_ENV=production \
    DATABASE_URL=sqlite:////data/talentmatch.sqlite3

RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin \
        talentmatch \
 && install -d -o talentmatch -g talentmatch -m 0750 /data
VOLUME ["/data"]
WORKDIR /data

COPY docker/entrypoint.sh /usr/local/bin/talentmatch-entrypoint
COPY docker/healthcheck.sh /usr/local/bin/talentmatch-healthcheck
RUN chmod 0755 /usr/local/bin/talentmatch-entrypoint /usr/local/bin/talentmatch-healthcheck

USER talentmatch
EXPOSE 8000

# Checks the process this container runs (the entrypoint notes which): the web's /healthz
# (503 without a database), a Celery ping of the worker, the scheduler's fresh schedule file.
HEALTHCHECK --interval=30s --timeout=20s --start-period=30s --retries=3 \
    CMD ["talentmatch-healthcheck"]

ENTRYPOINT ["/usr/local/bin/talentmatch-entrypoint"]
