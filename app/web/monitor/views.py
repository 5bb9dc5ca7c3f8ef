"""The monitor: a region's figures as charts, each with its table and a CSV download."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from app.db import get_session
from app.models import Role
from app.permissions import (
    can_view_monitor,
    current_actor,
    own_region,
    require_role,
)
from app.services import choices
from app.services import monitor as service
from app.web.ui.exports import csv_response
from app.web.ui.query_params import BadQuery, text_arg

bp = Blueprint("monitor", __name__, url_prefix="/monitor")
READERS = (Role.coordinator, Role.admin)


def _scope() -> service.Scope:
    """The region and school year asked for in the query string, if this user may see them."""
    session = get_session()
    slug = text_arg("region")
    if current_user.role is Role.coordinator:
        region = own_region(current_actor())
        if region is None:
            abort(403)  # an account without a region has no monitor
        if slug and slug != region.slug:
            abort(404)
    else:
        region = service.region_by_slug(session=session, slug=slug) if slug else None
        if slug and region is None:
            abort(404)
    if not can_view_monitor(current_user, region):
        abort(404)
    year = text_arg("year") or None
    if year is not None:
        try:
            service.parse_school_year(year)
        except service.MonitorError as error:
            raise BadQuery(str(error)) from None
    return service.Scope(region=region, school_year=year)


def _args(scope: service.Scope) -> dict[str, str]:
    args = {}
    if scope.region is not None and current_user.role is Role.admin:
        args["region"] = scope.region.slug
    if scope.school_year:
        args["year"] = scope.school_year
    return args


def _figures_html(figures: service.Figures, args: dict[str, str]) -> Markup:
    """The charts and tables of these figures, rendered once per language and filters while
    the figures are kept (at most a minute)."""
    locale = get_locale()
    key = ("html", str(locale), tuple(sorted(args.items())))
    html = figures.derived.get(key)
    if html is None:
        # render_template escapes every value: its output is safe HTML as it stands.
        html = figures.derived[key] = Markup(render_template(  # noqa: S704
            "monitor/_figures.html", tables=service.tables(figures=figures), args=args,
            strength=service.TALENT_STRENGTH))
    return html


@bp.route("/")
@require_role(*READERS)
def index():
    scope = _scope()
    session = get_session()
    figures = service.figures_of(session=session, scope=scope)
    args = _args(scope)
    return render_template(
        "monitor/index.html", scope=scope, counted_at=figures.counted_at,
        figures_html=_figures_html(figures, args),
        years=service.cached_school_years(session=session),
        regions=choices.regions(session=session) if current_user.role is Role.admin else [])


@bp.route("/<chart>.csv")
@require_role(*READERS)
def download(chart: str):
    if chart not in service.CHARTS:
        abort(404)
    scope = _scope()
    table = service.table(figures=service.figures_of(session=get_session(), scope=scope),
                          chart=chart)
    return csv_response(table.headers, table.rows,
                        f"{service.csv_name(scope=scope, chart=chart)}.csv")
