"""A student's proposals: why, where and when, and their yes or no."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session
from app.models import Role
from app.permissions import get_own_proposal_or_404, own_student_profile, require_role
from app.services import offer_deadlines, offers
from app.web.offers.forms import AcceptOfferForm, DeclineOfferForm

bp = Blueprint("offers", __name__, url_prefix="/me/proposals")


@bp.route("/")
@require_role(Role.student)
def index():
    profile = own_student_profile(current_user)
    if profile is None:
        abort(404)
    offer_deadlines.upkeep_when_due(session=get_session())
    found = offers.offers_for(session=get_session(), student=profile)
    # "Only with a female role model": the student's own choice, on their own list.
    role_model_only = request.args.get("role_model") == "1"
    shown = [o for o in found if o.company.female_role_model] if role_model_only else found
    return render_template("offers/index.html", offers=shown, total=len(found),
                           role_model_only=role_model_only,
                           accept_form=AcceptOfferForm(), decline_form=DeclineOfferForm())


@bp.route("/<int:proposal_id>/accept", methods=["POST"])
@require_role(Role.student)
def accept(proposal_id: int):
    proposal = get_own_proposal_or_404(proposal_id)
    if not AcceptOfferForm().validate_on_submit():
        abort(400)
    try:
        offers.student_accept(session=get_session(), proposal=proposal, actor=current_user)
    except offers.OfferError as error:
        flash(str(error), "error")
    else:
        flash(_("Great! We let the company know; you will hear from them."), "success")
    return redirect(url_for("offers.index"))


@bp.route("/<int:proposal_id>/decline", methods=["POST"])
@require_role(Role.student)
def decline(proposal_id: int):
    proposal = get_own_proposal_or_404(proposal_id)
    form = DeclineOfferForm()
    if not form.validate_on_submit():
        flash(_("Please keep it under 2000 characters."), "error")
        return redirect(url_for("offers.index"))
    try:
        offers.student_decline(session=get_session(), proposal=proposal, actor=current_user,
                               reason=form.reason.data or "")
    except offers.OfferError as error:
        flash(str(error), "error")
    else:
        flash(_("Thanks for letting us know. Your counsellor will look for something that "
                "suits you better."), "success")
    return redirect(url_for("offers.index"))
