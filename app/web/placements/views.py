"""Placements: the detail page, posting and editing, and changes of status."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import Company, Placement, PlacementStatus, Role
from app.models.labels import theme_label
from app.permissions import (
    can_edit_company,
    current_actor,
    get_company_or_404,
    get_placement_or_404,
    related,
    user_company_ids,
)
from app.services import (
    choices,
    occupations,
)
from app.services import placements as service
from app.services.details import placement_detail
from app.services.places import place_counts
from app.web.placements.forms import OccupationForm, PlacementForm, StatusForm
from app.web.ui.fields import attach_error
from app.web.ui.query_params import int_arg, text_arg

bp = Blueprint("placements", __name__, url_prefix="/placements")

STATUS_ACTIONS = {"publish": service.publish, "pause": service.pause,
                  "reopen": service.reopen, "close": service.close}


def _company_of(placement: Placement) -> Company:
    return related(Company, placement.company_id)


def _get_editable_placement_or_404(placement_id: int) -> tuple[Placement, Company]:
    placement = get_placement_or_404(placement_id)
    company = _company_of(placement)
    if not can_edit_company(current_user, company):
        abort(404)
    return placement, company


# --- posting and editing ----------------------------------------------------------------

def _fill_choices(form: PlacementForm) -> None:
    form.themes.choices = [SelectChoice(t.id, theme_label(t))
                           for t in choices.themes(session=get_session())]


def _values(form: PlacementForm) -> dict:
    return {
        "code": form.code.data or None, "title": form.title.data, "kind": form.kind.data,
        "levels": form.levels.data or [], "theme_ids": form.themes.data or [],
        "description": form.description.data or "",
        "learn_and_do": form.learn_and_do.data or "", "postcode": form.postcode.data,
        "capacity": form.capacity.data, "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data, "days_per_week": form.days_per_week.data,
        "hours_per_week": form.hours_per_week.data,
        "allowance": form.allowance.data or "",
        "application_deadline": form.application_deadline.data,
    }


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    session = get_session()
    user = current_actor()
    company_id = int_arg("company")
    if company_id is None and user.role is Role.company and len(user_company_ids(user)) == 1:
        (company_id,) = user_company_ids(user)
    if company_id is None:
        abort(404)
    company = get_company_or_404(company_id)
    if not can_edit_company(user, company):
        abort(404)
    form = PlacementForm(data={"postcode": company.postcode, "capacity": 1})
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            placement = service.create_placement(session=session, company=company, user=user,
                                                 **_values(form))
        except service.PlacementError as error:
            attach_error(form, error)
        else:
            flash(_("“%(title)s” is saved as a draft: nobody else sees it yet. Publish it "
                    "when it is complete.", title=placement.title), "success")
            return redirect(url_for(".detail", placement_id=placement.id))
    return render_template("placements/form.html", form=form, company=company, placement=None)


@bp.route("/<int:placement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(placement_id: int):
    session = get_session()
    placement, company = _get_editable_placement_or_404(placement_id)
    form = PlacementForm(data={
        "code": placement.code, "title": placement.title, "kind": placement.kind.value,
        "levels": list(placement.levels),
        "themes": service.theme_ids_of(session=session, placement=placement),
        "description": placement.description, "learn_and_do": placement.learn_and_do,
        "postcode": placement.postcode, "capacity": placement.capacity,
        "starts_on": placement.starts_on, "ends_on": placement.ends_on,
        "days_per_week": placement.days_per_week, "hours_per_week": placement.hours_per_week,
        "allowance": placement.allowance,
        "application_deadline": placement.application_deadline})
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            service.update_placement(session=session, placement=placement, **_values(form))
        except service.PlacementError as error:
            session.refresh(placement)
            attach_error(form, error)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".detail", placement_id=placement.id))
    return render_template("placements/form.html", form=form, company=company,
                           placement=placement)


# --- the occupation ----------------------------------------------------------------------

def _occupation_choices(placement: Placement, found: list) -> list[tuple[str, str]]:
    choices = [(s.code, s.label) for s in found]
    if (placement.occupation_code
            and placement.occupation_code not in {code for code, _label in choices}):
        choices.insert(0, (placement.occupation_code, placement.occupation_label))
    # Until the company chooses, the stored occupation is the one the title names.
    automatic = (occupations.best_occupation(placement.title)[1] if placement.occupation_chosen
                 else placement.occupation_label)
    return [*choices,
            (occupations.AUTOMATIC,
             _("Let Talentmatch find it in the title (now: %(label)s)",
               label=automatic) if automatic else
             _("Let Talentmatch find it in the title (now: none)")),
            (occupations.NONE, _("None of these: the placement has no occupation"))]


@bp.route("/<int:placement_id>/occupation", methods=["GET", "POST"])
@login_required
def occupation(placement_id: int):
    session = get_session()
    placement, company = _get_editable_placement_or_404(placement_id)
    if placement.status is PlacementStatus.closed:
        flash(_("This placement is closed and cannot be changed any more."), "error")
        return redirect(url_for(".detail", placement_id=placement.id))
    query = text_arg("q", max_length=occupations.QUERY_MAX, args=request.values)
    found = occupations.suggestions(text=query or placement.title)
    current = (placement.occupation_code or occupations.NONE if placement.occupation_chosen
               else occupations.AUTOMATIC)
    form = OccupationForm(data={"code": current, "q": query})
    form.code.choices = _occupation_choices(placement, found)
    if form.validate_on_submit():
        try:
            occupations.choose_occupation(session=session, placement=placement,
                                          code=form.code.data)
        except occupations.OccupationError as error:
            session.refresh(placement)
            attach_error(form, error)
        else:
            flash(_("The occupation is saved."), "success")
            return redirect(url_for(".detail", placement_id=placement.id))
    return render_template("placements/occupation.html", form=form, placement=placement,
                           company=company, query=query, found=found)


# --- the detail page and changes of status ----------------------------------------------

@bp.route("/<int:placement_id>")
@login_required
def detail(placement_id: int):
    session = get_session()
    user = current_actor()
    placement = get_placement_or_404(placement_id)
    data = placement_detail(session=session, placement=placement)
    manage = can_edit_company(user, data.company)
    context = {"data": data, "manage": manage,
               "counts": place_counts(session=session, placement=placement)}
    if manage or user.role is Role.coordinator:
        context["history"] = service.placement_history(session=session, placement=placement)
    if manage:
        context.update(status_form=StatusForm(),
                       missing=service.missing_for_publishing(placement))
    return render_template("placements/detail.html", **context)


@bp.route("/<int:placement_id>/<any(publish, pause, reopen, close):action>", methods=["POST"])
@login_required
def change_status(placement_id: int, action: str):
    session = get_session()
    placement, _company = _get_editable_placement_or_404(placement_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            STATUS_ACTIONS[action](session=session, placement=placement,
                                   user=current_actor(),
                                   reason=form.reason.data or "")
        except service.PlacementError as error:
            flash(str(error), "error")
        else:
            flash({"publish": _("The placement is published: students and counsellors of the "
                                "region can see it now."),
                   "pause": _("The placement is paused: no new candidates until you reopen "
                              "it."),
                   "reopen": _("The placement is open again."),
                   "close": _("The placement is closed.")}[action], "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for(".detail", placement_id=placement.id, _anchor="status"))
