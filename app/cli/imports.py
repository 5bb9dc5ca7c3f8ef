"""`talentmatch import KIND FILE [--dry-run] [--lang nl|en] [--max-size MB]`."""

from __future__ import annotations

import math
import os
import stat

import click
from flask import current_app
from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _

from app.cli.support import app_context
from app.db import get_session
from app.services.imports import KIND_LABELS, KINDS, ImportReport, ImportScope, run_import


def problem_lines(report: ImportReport) -> list[str]:
    lines = []
    for problem in report.problems:
        if not problem.line:
            lines.append(_("file: %(message)s", message=problem.message))
        elif problem.column is None:
            lines.append(_("line %(line)s: %(message)s", line=problem.line,
                           message=problem.message))
        else:
            lines.append(_("line %(line)s, column %(column)s: %(message)s", line=problem.line,
                           column=problem.column, message=problem.message))
    return lines


def summary_lines(report: ImportReport) -> list[str]:
    kind = str(KIND_LABELS[report.kind])
    if report.dry_run:
        lines = [_("Dry run, nothing was written. %(kind)s: %(created)s would be added, "
                   "%(updated)s updated, %(unchanged)s unchanged.", kind=kind,
                   created=report.created, updated=report.updated,
                   unchanged=report.unchanged)]
    else:
        lines = [_("%(kind)s: %(created)s added, %(updated)s updated, %(unchanged)s "
                   "unchanged.", kind=kind, created=report.created, updated=report.updated,
                   unchanged=report.unchanged)]
    if report.dry_run:
        for change in report.changes:
            if change.action == "create":
                lines.append(_("line %(line)s: new %(key)s", line=change.line, key=change.key))
            else:
                lines.append(_("line %(line)s: update %(key)s (%(columns)s)", line=change.line,
                               key=change.key, columns=", ".join(change.columns)))
    if report.ignored_columns:
        lines.append(_("These columns were not used: %(columns)s.",
                       columns=", ".join(report.ignored_columns)))
    return lines


MEGABYTE = 1024 * 1024


def file_size(file, read: int) -> int:
    """Bytes in the file: its size on disk, or for a pipe what was read plus what is left
    (counted in chunks, never held)."""
    try:
        status = os.fstat(file.fileno())
        if stat.S_ISREG(status.st_mode):
            return status.st_size
    except (AttributeError, OSError, ValueError):
        pass
    size = read
    while chunk := file.read(MEGABYTE):
        size += len(chunk)
    return size


def read_limited(file, limit: int) -> bytes | None:
    """The file's bytes, or None when it holds more than ``limit`` bytes: a file far larger
    than the website accepts is refused before it is read into memory."""
    data = file.read(limit + 1)
    return None if len(data) > limit else data


def too_large_message(file, size: int, limit: int) -> str:
    megabytes = size / MEGABYTE
    return _("%(file)s is %(size)s MB, more than the import limit of %(limit)s MB. Split the "
             "file, or raise the limit with --max-size MB (for example --max-size %(needed)s).",
             file=getattr(file, "name", "-"), size=format_decimal(megabytes, format="0.0##"),
             limit=format_decimal(limit / MEGABYTE, format="0.###"),
             needed=math.ceil(megabytes))


@click.command("import")
@click.argument("kind", type=click.Choice(KINDS), metavar="KIND")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True,
              help="Check the file and report what would change; write nothing.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of the messages.")
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), metavar="MB",
              help="Refuse a file larger than this many megabytes. Default: the website's "
                   "upload limit (MAX_CONTENT_LENGTH, 20 MB).")
def import_command(kind: str, file, dry_run: bool, lang: str, max_size: float | None) -> None:
    """Import a CSV file of one KIND: regions, schools, students, activities,
    participations, observations, companies or placements.

    Every row is checked first. On any problem nothing is written, every problem is printed
    as "line N, column C: what to fix" and the exit code is 1. Importing the same file again
    updates instead of adding twice. A file larger than the website accepts (20 MB) is
    refused unless --max-size allows it. The formats: docs/imports.md.
    """

    with app_context(), force_locale(lang):
        limit = (int(max_size * MEGABYTE) if max_size is not None
                 else int(current_app.config["MAX_CONTENT_LENGTH"]))
        data = read_limited(file, limit)
        if data is None:
            click.echo(too_large_message(file, file_size(file, limit + 1), limit), err=True)
            raise click.exceptions.Exit(1)
        report = run_import(session=get_session(), kind=kind, data=data,
                            scope=ImportScope.operator(), dry_run=dry_run)
        if report.ok:
            output = summary_lines(report)
        else:
            output = problem_lines(report) + [ngettext(
                "Nothing was imported: %(num)s problem to fix.",
                "Nothing was imported: %(num)s problems to fix.", len(report.problems))]
    for line in output:
        click.echo(line, err=not report.ok)
    if not report.ok:
        raise click.exceptions.Exit(1)
