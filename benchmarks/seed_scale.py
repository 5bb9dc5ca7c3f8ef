"""How long the demo data generator takes at scale (100,000 students, 20,000 placements).

    python -m benchmarks.seed_scale                      # SQLite in a temporary folder
    DATABASE_URL=postgresql+psycopg://user@host/any python -m benchmarks.seed_scale

With ``DATABASE_URL`` it also runs on that PostgreSQL server, in a scratch database that it
creates and drops; the database named in the URL is only used to connect.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session
from werkzeug.security import generate_password_hash

from app.db import make_engine
from app.models import metadata
from seeds import generate


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'seed_scale.sqlite3'}"


@contextmanager
def postgres_scratch_database(server_url: str) -> Iterator[str]:
    server = make_url(server_url)
    name = f"seed_scale_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(url: str, *, students: int, placements: int, seed: int, password_hash: str) -> None:
    engine = make_engine(url)
    metadata.create_all(engine)
    try:
        started = time.perf_counter()
        with Session(engine) as session:
            summary = generate(session, students=students, placements=placements, seed=seed,
                               password_hash=password_hash)
        seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    counts = ", ".join(f"{name} {count:,}" for name, count in asdict(summary).items())
    print(f"{engine.dialect.name}: {seconds:.1f} s\n  {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--placements", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    options = {"students": args.students, "placements": args.placements, "seed": args.seed,
               "password_hash": generate_password_hash("benchmark")}  # once, like the CLI
    with sqlite_database() as url:
        run(url, **options)
    server_url = os.environ.get("DATABASE_URL")
    if server_url:
        with postgres_scratch_database(server_url) as url:
            run(url, **options)


if __name__ == "__main__":
    main()
