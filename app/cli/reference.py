"""`talentmatch region add` and `talentmatch school add`: the reference data a new region
starts from, one at a time (a whole list: `talentmatch import regions|schools FILE`)."""

from __future__ import annotations

import click
from flask_babel import force_locale
from flask_babel import gettext as _

from app.cli.support import app_context
from app.db import get_session
from app.models import Region
from app.services import reference
from app.services.errors import ServiceError
from app.services.imports.values import parse_levels

LANG = click.option("--lang", type=click.Choice(["nl", "en"]), default="nl",
                    show_default=True, help="Language of the messages.")


@click.group("region")
def region_group() -> None:
    """Regions: the regional technology pacts."""


@region_group.command("add")
@click.argument("name")
@click.option("--slug", help="Short name for files and commands, e.g. noord-holland-noord. "
                             "Default: made from NAME.")
@click.option("--answer-days", type=int,
              help=f"Working days a company has to answer a candidate (1 to "
                   f"{reference.MAX_ANSWER_DAYS}). Default: {reference.DEFAULT_ANSWER_DAYS}.")
@LANG
def add_region(name: str, slug: str | None, answer_days: int | None, lang: str) -> None:
    """Add a region called NAME."""
    with app_context(), force_locale(lang):
        try:
            region = reference.create_region(session=get_session(), name=name, slug=slug,
                                             answer_days=answer_days)
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        click.echo(_("Added the region %(name)s (slug %(slug)s; companies answer within "
                     "%(days)s working days).", name=region.name, slug=region.slug,
                     days=region.answer_days))


@click.group("school")
def school_group() -> None:
    """Schools: each with its BRIN code, kind, levels and postcode."""


@school_group.command("add")
@click.option("--brin", "code", required=True, help="BRIN code, e.g. 85NR (a branch: 85NR01).")
@click.option("--name", required=True, help="The name of the school.")
@click.option("--kind", required=True,
              help=f"Kind of school: {reference.KIND_CHOICES}.")
@click.option("--postcode", required=True, help="Postcode; the 4 digits are enough.")
@click.option("--region", "region_text", required=True, help="Region: its slug or name.")
@click.option("--levels", help="Levels it teaches, separated by | or ; (e.g. "
                               "'vmbo-tl|havo|vwo'). Default: every level of its kind.")
@click.option("--place", help="The place. Default: the place of the postcode.")
@LANG
def add_school(code: str, name: str, kind: str, postcode: str, region_text: str,
               levels: str | None, place: str | None, lang: str) -> None:
    """Add a school to a region."""
    with app_context(), force_locale(lang):
        session = get_session()
        try:
            region = _region(session, region_text)
            school = reference.create_school(
                session=session, code=code, name=name, kind=kind, postcode=postcode,
                region=region, place=place,
                levels=[lv.value for lv in parse_levels(levels)] if levels else None)
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        click.echo(_("Added the school %(code)s %(name)s in %(place)s (region %(region)s), "
                     "for %(levels)s.", code=school.code, name=school.name, place=school.place,
                     region=region.name,
                     levels=", ".join(reference.level_text(v) for v in school.levels)))


def _region(session, text: str) -> Region:
    region = reference.find_region(session, text)
    if region is None:
        slugs = ", ".join(sorted(r.slug for r in reference.all_regions(session))) or "—"
        raise reference.SchoolDataError(_(
            "Unknown region '%(value)s'. Write one of: %(regions)s (add a region with "
            "talentmatch region add).", value=text, regions=slugs), field="region")
    return region
