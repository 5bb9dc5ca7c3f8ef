"""The `talentmatch` command."""

from __future__ import annotations

import os
import sys

import click

from app.cli.check import check_command
from app.cli.demo import seed_demo
from app.cli.fairness import audit_group
from app.cli.imports import import_command
from app.cli.mail import send_mail_command
from app.cli.matching import export_group, fit_weights_command, match_command
from app.cli.reference import region_group, school_group
from app.cli.support import app_context, make_app
from app.cli.two_factor import reset_two_factor_command
from app.db import get_engine, get_session
from app.models import Role
from app.services import accounts, bootstrap, candidates, job_states

DEMO_PASSWORD = "talentmatch-demo"  # noqa: S105 - demo data only; `serve` is development-only


@click.group(help="Talentmatch: match technical talent with placements.")
def main() -> None:
    pass


@main.command("init-db")
def init_db() -> None:
    """Create or migrate the database to the newest schema."""
    with app_context():
        bootstrap.init_db(engine=get_engine())
    click.echo("Database is up to date.")


@main.command()
@click.option("--students", default=600, show_default=True, type=click.IntRange(1))
@click.option("--placements", default=300, show_default=True, type=click.IntRange(1))
@click.option("--seed", "seed_value", default=2026, show_default=True, type=int,
              help="Random seed: the same seed gives the same data.")
@click.option("--password", default=DEMO_PASSWORD, show_default=True,
              help="Password for every demo account.")
def seed(students: int, placements: int, seed_value: int, password: str) -> None:
    """Fill an empty database with demo data (migrating it first)."""
    with app_context():
        bootstrap.init_db(engine=get_engine())
        session = get_session()
        if not bootstrap.is_empty(session=session):
            raise click.ClickException("The database already has data; seed only an empty one.")
        summary = seed_demo(session=session, password=password, students=students,
                                      placements=placements, seed=seed_value)
    click.echo(f"Seeded: {summary}")


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--school", "school_code", help="School code (students and counsellors).")
@click.option("--region", "region_slug", help="Region slug (coordinators).")
@click.option("--company-kvk", help="KvK number of the company (company contacts).")
@click.password_option(help="Asked for when not given.")
def create_user(email, role, display_name, school_code, region_slug, company_kvk, password):
    """Create an account."""
    with app_context():
        try:
            user = accounts.create_user(
                session=get_session(), email=email, role=Role(role),
                display_name=display_name or email, password=password,
                school_code=school_code, region_slug=region_slug, company_kvk=company_kvk,
            )
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role.value} {user.email}.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-seed", is_flag=True, help="Do not add demo data to an empty database.")
def serve(host: str, port: int, no_seed: bool) -> None:
    """Run the development server: migrate, seed demo data when empty, serve.

    For production use gunicorn (see the Dockerfile).
    """
    os.environ.setdefault("TALENTMATCH_ENV", "development")
    app = make_app()
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        bootstrap.init_db(engine=get_engine())
        session = get_session()
        if not no_seed and bootstrap.is_empty(session=session):
            click.echo("Empty database: adding demo data (takes a few seconds)...")
            summary = seed_demo(session=session, password=DEMO_PASSWORD)
            click.echo(f"Seeded: {summary}")
    click.echo(f"Talentmatch on http://{host}:{port}/ (demo password: {DEMO_PASSWORD})")
    app.run(host=host, port=port, debug=False, use_reloader=False)


@main.command()
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend it is this date (YYYY-MM-DD); default: today.")
def lapse(today) -> None:
    """Let offers lapse that companies did not answer in time (run daily, e.g. from cron)."""
    with app_context():
        count = candidates.lapse_overdue(session=get_session(),
                                         today=today.date() if today else None)
    click.echo(f"{count} offer(s) lapsed.")


@main.command("forget-jobs")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep jobs that ended fewer days ago; default: KEEP_JOBS_DAYS (30).")
def forget_jobs(days) -> None:
    """Delete background jobs that ended long ago (the scheduler does this daily)."""
    with app_context() as app:
        keep = days or int(app.config["KEEP_JOBS_DAYS"])
        count = job_states.forget_finished(session=get_session(), keep_days=keep)
    click.echo(f"{count} finished job(s) older than {keep} days deleted.")


main.add_command(import_command)
main.add_command(match_command)
main.add_command(export_group)
main.add_command(fit_weights_command)
main.add_command(send_mail_command)
main.add_command(audit_group)
main.add_command(check_command)
main.add_command(region_group)
main.add_command(school_group)
main.add_command(reset_two_factor_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
