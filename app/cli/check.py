"""`talentmatch check [--fix]`: do the stored counters agree with what they count?

A placement's ``places_taken`` must equal the number of its proposals holding a place, and a
proposal holds a place exactly when its status says so (waiting for the company, accepted,
placed, completed). Every drift is printed; the exit code is 1 while any is left.
"""

from __future__ import annotations

import sys

import click

from app.cli.support import app_context
from app.db import get_session
from app.services import places


def _echo_place(drift: places.PlaceDrift, suffix: str = "") -> None:
    click.echo(f"Placement {drift.code} (id {drift.placement_id}, capacity {drift.capacity}): "
               f"counted {drift.counted} holding a place, stored places_taken "
               f"{drift.stored}{suffix}")


@click.command("check")
@click.option("--fix", is_flag=True,
              help="Set each proposal's holds_place from its status and each places_taken "
                   "to the count (never above capacity).")
def check_command(fix: bool) -> None:
    """Check that places_taken and holds_place agree with the proposals (exit 1 on drift)."""
    with app_context():
        session = get_session()
        flags = places.flag_drift(session=session)
        counters = places.place_drift(session=session)
        for flag in flags:
            click.echo(f"Proposal {flag.proposal_id} ({flag.status.value}): holds_place "
                       f"{str(flag.holds_place).lower()}, status says "
                       f"{str(not flag.holds_place).lower()}")
        for drift in counters:
            _echo_place(drift)
        if not flags and not counters:
            click.echo("All counters agree.")
            return
        if not fix:
            click.echo(f"Drift: {len(flags)} proposal(s), {len(counters)} placement(s). "
                       "Run with --fix to repair.", err=True)
            sys.exit(1)
        left = places.fix_drift(session=session)
    for drift in left:
        _echo_place(drift, ": not fixed, more holders than capacity; decide who keeps a place")
    if left:
        sys.exit(1)
    click.echo("Fixed: all counters agree now.")
