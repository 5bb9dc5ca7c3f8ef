"""Students find and choose placements: "Voor jou", the search, "Ik heb interesse"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import Company, PlacementKind, Role, StudentProfile
from app.permissions import own_student_profile, require_role
from app.permissions.base import current_actor, related
from app.permissions.choice import get_choosable_placement_or_404
from app.services import choices, placement_search, student_choice
from app.web.choose.forms import InterestForm, PlacementSearchForm
from app.web.ui.fields import enum_choices
from app.web.ui.query_params import int_arg

bp = Blueprint("choose", __name__, url_prefix="/voor-jou")


def _profile() -> StudentProfile:
    profile = own_student_profile(current_user)
    if profile is None:
        abort(404)
    return profile


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "nl"


@bp.route("/")
@require_role(Role.student)
def index():
    profile = _profile()
    session = get_session()
    suggestions = student_choice.for_you(session=session, student=profile,
                                         language=_language())
    return render_template("choose/index.html", suggestions=suggestions,
                           interest_form=InterestForm())


@bp.route("/zoeken")
@require_role(Role.student)
def search():
    profile = _profile()
    session = get_session()
    form = PlacementSearchForm(request.args)
    anything = [SelectChoice("", _("All"))]
    form.theme.choices = anything + [
        SelectChoice(theme.slug, theme.label_en if _language() == "en" else theme.label_nl)
        for theme in choices.themes(session=session, technical_first=True)]
    form.kind.choices = anything + enum_choices(PlacementKind)
    result = None
    if not request.args or form.validate():
        filters = placement_search.SearchFilters(
            theme=form.theme.data or "", kind=form.kind.data or "",
            max_km=form.max_km.data, period_from=form.period_from.data,
            period_until=form.period_until.data, recognised_only=bool(form.recognised.data))
        result = placement_search.search(session=session, student=profile, filters=filters,
                                         page=int_arg("page", 1) or 1)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("choose/search.html", form=form, result=result, args=args,
                           travel_km=profile.travel_km, interest_form=InterestForm())


@bp.route("/plaats/<int:placement_id>")
@require_role(Role.student)
def placement(placement_id: int):
    found = get_choosable_placement_or_404(placement_id, in_reach=student_choice.in_reach)
    company = related(Company, found.company_id)
    return render_template("choose/placement.html", placement=found, company=company,
                           interest_form=InterestForm())


@bp.route("/plaats/<int:placement_id>/interesse", methods=["POST"])
@require_role(Role.student)
def interest(placement_id: int):
    found = get_choosable_placement_or_404(placement_id, in_reach=student_choice.in_reach)
    if not InterestForm().validate_on_submit():
        abort(400)
    try:
        student_choice.show_interest(session=get_session(), student=_profile(),
                                     placement=found, actor=current_actor())
    except student_choice.ChoiceError as error:
        flash(str(error), "error")
        return redirect(url_for("choose.placement", placement_id=placement_id))
    flash(_("Your counsellor will look at your choice. You can follow it here."), "success")
    return redirect(url_for("choose.mine"))


@bp.route("/mijn-keuzes")
@require_role(Role.student)
def mine():
    found = student_choice.choices_of(session=get_session(), student=_profile())
    return render_template("choose/mine.html", choices=found)
