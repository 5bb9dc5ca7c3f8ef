"""Activities: the list, creating and editing, participants, attendance and observers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import ActivityKind, Role, User
from app.models.labels import theme_label
from app.permissions import (
    current_actor,
    get_managed_activity_or_404,
    require_role,
    user_region_id,
)
from app.services import activities as service
from app.services import choices
from app.web.activities.forms import ActivityForm
from app.web.ui.fields import attach_error
from app.web.ui.query_params import enum_arg, int_arg

bp = Blueprint("activities", __name__, url_prefix="/activities")

ORGANISERS = (Role.counsellor, Role.coordinator, Role.admin)


# --- the list ---------------------------------------------------------------------------

@bp.route("/")
@require_role(*ORGANISERS)
def index():
    session = get_session()
    user = current_actor()
    regions = []
    if user.role is Role.admin:
        regions = choices.regions(session=session)
        region_id = int_arg("region")
    else:
        region_id = user_region_id(user)
        if region_id is None:
            return render_template("activities/index.html", data=None, years=[], regions=[],
                                   filters={})
    years = service.school_years(session=session, region_id=region_id)
    year = request.args.get("year", "")
    year = year if year in years else None
    kind = enum_arg("kind", ActivityKind)
    data = service.list_activities(session=session, region_id=region_id, school_year=year,
                                   kind=kind, page=int_arg("page", 1))
    filters = {"year": year, "kind": kind.value if kind else None,
               "region": region_id if user.role is Role.admin else None}
    filters = {name: value for name, value in filters.items() if value}
    return render_template("activities/index.html", data=data, years=years, regions=regions,
                           filters=filters, kinds=list(ActivityKind))


# --- creating and editing ---------------------------------------------------------------

def _fill_activity_choices(form: ActivityForm, *, user: User, region_id: int | None) -> None:
    session = get_session()
    if user.role is Role.admin and region_id is None:
        regions = {r.id: r for r in choices.regions(session=session)}
        form.region_id.choices = [SelectChoice("", _("Choose a region")),
                                  *[SelectChoice(r.id, r.name) for r in regions.values()]]
        companies = sorted(service.region_companies(session=session, region_id=None),
                           key=lambda c: (regions[c.region_id].name, c.name, c.id))
        form.host_company_id.choices = [
            SelectChoice("", _("No host company")),
            *[SelectChoice(c.id, f"{c.name} · {c.place}", optgroup=regions[c.region_id].name)
              for c in companies]]
    else:
        del form.region_id
        companies = (service.region_companies(session=session, region_id=region_id)
                     if region_id is not None else [])
        form.host_company_id.choices = [
            SelectChoice("", _("No host company")),
            *[SelectChoice(c.id, f"{c.name} · {c.place}") for c in companies]]
    form.themes.choices = [SelectChoice(t.id, theme_label(t))
                           for t in choices.themes(session=session)]


def _activity_values(form: ActivityForm) -> dict:
    return {
        "kind": form.kind.data, "pillar": form.pillar.data or None, "title": form.title.data,
        "description": form.description.data or "", "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data, "postcode": form.postcode.data,
        "host_company_id": form.host_company_id.data, "theme_ids": form.themes.data or [],
        "capacity": form.capacity.data,
    }


@bp.route("/new", methods=["GET", "POST"])
@require_role(*ORGANISERS)
def new():
    session = get_session()
    user = current_actor()
    region_id = None if user.role is Role.admin else user_region_id(user)
    form = ActivityForm()
    _fill_activity_choices(form, user=user, region_id=region_id)
    if request.method == "GET" and request.args.get("kind") in {k.value for k in ActivityKind}:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        chosen_region = form.region_id.data if "region_id" in form else None
        try:
            activity = service.create_activity(session=session, user=user,
                                               region_id=chosen_region,
                                               **_activity_values(form))
        except service.ActivityError as error:
            attach_error(form, error)
        else:
            flash(_("Activity “%(title)s” is created. Now register who takes part.",
                    title=activity.title), "success")
            return redirect(url_for(".detail", activity_id=activity.id))
    return render_template("activities/form.html", form=form, activity=None)


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int):
    session = get_session()
    activity = get_managed_activity_or_404(activity_id)
    data = {
        "kind": activity.kind.value, "pillar": activity.pillar.value, "title": activity.title,
        "description": activity.description, "starts_on": activity.starts_on,
        "ends_on": activity.ends_on, "postcode": activity.postcode,
        "host_company_id": activity.host_company_id, "capacity": activity.capacity,
        "themes": service.theme_ids_of(session=session, activity=activity),
    }
    form = ActivityForm(data=data)
    _fill_activity_choices(form, user=current_user, region_id=activity.region_id)
    if form.validate_on_submit():
        try:
            service.update_activity(session=session, activity=activity,
                                    **_activity_values(form))
        except service.ActivityError as error:
            attach_error(form, error)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".detail", activity_id=activity.id))
    return render_template("activities/form.html", form=form, activity=activity)


# --- the detail page --------------------------------------------------------------------

























