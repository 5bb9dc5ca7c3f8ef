"""The cells of a placement row that take more than reading one value: the kind and the
levels together, the hours that must fit the days, the last day to apply, and the occupation
(a company's choice, or found in the title again)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from ...models import Level, Placement, PlacementKind
from ..occupations import (
    AUTOMATIC,
    OccupationError,
    best_occupation,
    means_automatic,
    occupation_named,
)
from ..placements.rules import hours_beyond_days
from ..validation import LEVELS_FOR_KIND
from .common import Context, RowReader
from .values import Invalid


def kind_levels_message(kind: PlacementKind) -> str:
    if kind is PlacementKind.snuffelstage:
        return _("A snuffelstage is for vmbo, havo and vwo students.")
    if kind is PlacementKind.bol_internship:
        return _("A stage (BOL) is for mbo students: mbo-1 to mbo-4.")
    if kind is PlacementKind.bbl_apprenticeship:
        return _("A leerbaan (BBL) is for mbo students: mbo-1 to mbo-4.")
    if kind is PlacementKind.fieldlab_project:
        return _("A fieldlab is for mbo and hbo students.")
    return _("An hbo-stage or afstudeeropdracht is for hbo students.")


def occupation_cell(text: str) -> tuple[str, str] | str:
    """(code, label) of the occupation named, or ``AUTOMATIC``: find it in the title, as if
    the company never chose one."""
    if means_automatic(text):
        return AUTOMATIC
    try:
        return occupation_named(text)
    except OccupationError as error:
        raise Invalid(str(error)) from None


def check_kind_levels(r: RowReader, kind: PlacementKind | None,
                       levels: list[Level] | None) -> None:
    """The levels are levels the kind of placement is for."""
    if kind is None or not levels:
        return
    wrong = [level for level in levels if level not in LEVELS_FOR_KIND[kind]]
    if wrong:
        r.problem("levels", kind_levels_message(kind) + " " + _(
            "%(levels)s does not fit: choose other levels or another kind.",
            levels=", ".join(level.value for level in wrong)))


def hours_problem(values: dict[str, Any], placement: Placement | None) -> str | None:
    """Why the hours a week of a row (or of ``placement``, when the row leaves them out) do
    not fit its days a week, in the words of the placement form; None when they fit."""
    def value(name: str) -> int | None:
        if name in values:
            return values[name]
        return getattr(placement, name) if placement is not None else None
    return hours_beyond_days(value("hours_per_week"), value("days_per_week"))


def check_hours(r: RowReader, hours: int | None, days: int | None) -> None:
    """The hours a week of a row fit its days a week (a row without days is checked against
    the placement's, by :func:`hours_problem`)."""
    if (too_many := hours_beyond_days(hours, days)) is not None:
        r.problem("hours_per_week", too_many)


def check_deadline(ctx: Context, r: RowReader, deadline: date | None,
                    ends_on: date | None) -> None:
    """Applying ends before the placement does."""
    if deadline and ends_on and deadline > ends_on:
        r.problem("deadline", _("The last day to apply is after the last day of the "
                                "placement (%(column)s).", column=ctx.header("end")))


def set_occupation(values: dict[str, Any], occupation: tuple[str, str] | str | None,
                    title: str) -> None:
    """The occupation the row names (a company's choice) or finds in the title again."""
    if occupation == AUTOMATIC:
        values["occupation_code"], values["occupation_label"] = best_occupation(title)
        values["occupation_chosen_for"] = ""
    elif occupation is not None:
        values["occupation_code"], values["occupation_label"] = occupation
        values["occupation_chosen_for"] = title
