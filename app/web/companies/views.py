"""Companies: the list, adding and editing a company, and the contacts who act for it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import (
    Company,
    Role,
    User,
)
from app.permissions import (
    can_edit_company,
    can_manage_company,
    current_actor,
    get_company_or_404,
    get_contact_or_404,
    get_managed_company_or_404,
    require_role,
    user_region_id,
)
from app.services import (
    admin_log,
    choices,
)
from app.services import companies as service
from app.services.details import company_detail
from app.services.places import place_counts_many
from app.web.companies.forms import CompanyForm, ContactRightsForm, InviteContactForm
from app.web.ui.fields import attach_error
from app.web.ui.forms import ConfirmForm
from app.web.ui.query_params import (
    int_arg,
    text_arg,
)

# What the admin log keeps of a company before and after a change.
COMPANY_LOGGED = ("name", "kvk", "sector", "address", "postcode", "place", "website",
                  "recognised", "recognised_for", "offers_mentor", "female_role_model")

bp = Blueprint("companies", __name__, url_prefix="/companies")

_INVITATION_KEY = "company_invitation"


# --- the list ---------------------------------------------------------------------------

@bp.route("/")
@require_role(Role.coordinator, Role.admin)
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
            return render_template("companies/index.html", data=None, regions=[], filters={},
                                   query="")
    query = text_arg("q", max_length=80)
    data = service.list_companies(session=session, region_id=region_id,
                                  page=int_arg("page", 1), query=query)
    filters = {"region": region_id} if user.role is Role.admin and region_id else {}
    if query:
        filters["q"] = query
    return render_template("companies/index.html", data=data, regions=regions, filters=filters,
                           query=query)


# --- adding and editing -----------------------------------------------------------------

def _profile_values(form: CompanyForm) -> dict:
    return {
        "name": form.name.data, "kvk": form.kvk.data, "sector": form.sector.data,
        "address": form.address.data or "", "postcode": form.postcode.data,
        "website": form.website.data or "", "recognised": form.recognised.data,
        "recognised_for": form.recognised_for.data or [],
        "offers_mentor": form.offers_mentor.data,
        "female_role_model": form.female_role_model.data,
        "accessibility_notes": form.accessibility_notes.data or "",
    }


@bp.route("/new", methods=["GET", "POST"])
@require_role(Role.coordinator, Role.admin)
def new():
    session = get_session()
    user = current_actor()
    form = CompanyForm()
    if user.role is Role.admin:
        form.region_id.choices = [SelectChoice("", _("Choose a region")),
                                  *[SelectChoice(r.id, r.name)
                                    for r in choices.regions(session=session)]]
    else:
        del form.region_id
    if form.validate_on_submit():
        region_id = form.region_id.data if "region_id" in form else None
        try:
            company = service.create_company(session=session, user=user, region_id=region_id,
                                             **_profile_values(form))
        except service.CompanyError as error:
            attach_error(form, error)
        else:
            flash(_("%(company)s is added. Now invite a contact who will act for it.",
                    company=company.name), "success")
            return redirect(url_for(".detail", company_id=company.id, _anchor="contacts"))
    return render_template("companies/form.html", form=form, company=None)


@bp.route("/<int:company_id>/edit", methods=["GET", "POST"])
@login_required
def edit(company_id: int):
    session = get_session()
    company = get_managed_company_or_404(company_id)
    form = CompanyForm(data={
        "name": company.name, "kvk": company.kvk, "sector": company.sector,
        "address": company.address, "postcode": company.postcode, "website": company.website,
        "recognised": company.recognised, "recognised_for": list(company.recognised_for),
        "offers_mentor": company.offers_mentor, "female_role_model": company.female_role_model,
        "accessibility_notes": company.accessibility_notes})
    del form.region_id
    if form.validate_on_submit():
        before = admin_log.snapshot(company, COMPANY_LOGGED)
        try:
            service.update_company(session=session, company=company, **_profile_values(form))
        except service.CompanyError as error:
            session.refresh(company)
            attach_error(form, error)
        else:
            admin_log.note(session=session, actor=current_actor(), action="company.change",
                           object_type="company", object_id=company.id, before=before,
                           after=admin_log.snapshot(company, COMPANY_LOGGED))
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".detail", company_id=company.id))
    return render_template("companies/form.html", form=form, company=company)


# --- the detail page --------------------------------------------------------------------

def render_detail(company: Company, *, invite_form: InviteContactForm | None = None):
    session = get_session()
    user = current_actor()
    post = can_edit_company(user, company)
    manage = can_manage_company(user, company)
    data = company_detail(session=session, company=company, include_drafts=post)
    context = {"data": data, "post": post, "manage": manage,
               "counts": place_counts_many(session=session, placements=data.placements)}
    if manage:
        invitation = cookie.get(_INVITATION_KEY)
        if invitation and invitation.get("company") == company.id:
            cookie.pop(_INVITATION_KEY)  # shown once
        else:
            invitation = None
        context.update(contacts=service.contacts(session=session, company=company),
                       invite_form=invite_form or InviteContactForm(),
                       rights_form=ContactRightsForm(), confirm_form=ConfirmForm(),
                       invitation=invitation, me=user.id)
    return render_template("companies/detail.html", **context)


@bp.route("/<int:company_id>")
@login_required
def detail(company_id: int):
    return render_detail(get_company_or_404(company_id))


def _log_contact(company: Company, action: str, contact: User, **after) -> None:
    """The admin log keeps who was made, changed or removed as a contact of a company."""
    admin_log.note(session=get_session(), actor=current_actor(), action=action,
                   object_type="company", object_id=company.id,
                   after={"contact": contact.email, **after})


def _back(company: Company):
    return redirect(url_for(".detail", company_id=company.id, _anchor="contacts"))


@bp.route("/<int:company_id>/contacts", methods=["POST"])
@login_required
def invite(company_id: int):
    session = get_session()
    company = get_managed_company_or_404(company_id)
    form = InviteContactForm()
    if form.validate_on_submit():
        try:
            result = service.invite_contact(
                session=session, company=company, email=form.email.data,
                display_name=form.display_name.data or "", job_title=form.job_title.data or "",
                invited_by=current_actor())
        except service.CompanyError as error:
            attach_error(form, error, fallback="email")
        else:
            _log_contact(company, "company.contact.invite", result.user)
            if result.token:
                cookie[_INVITATION_KEY] = {
                    "company": company.id, "name": result.user.display_name,
                    "email": result.user.email, "emailed": result.emailed,
                    "link": url_for("invitations.accept", token=result.token, _external=True)}
                if result.emailed:
                    flash(_("%(name)s is invited: an e-mail with a link to set a password is "
                            "on its way to %(email)s.", name=result.user.display_name,
                            email=result.user.email), "success")
                else:
                    flash(_("%(name)s is invited. Copy the link below and send it to them: it "
                            "is shown only once.", name=result.user.display_name), "success")
            else:
                flash(_("%(name)s can now act for %(company)s with their existing account.",
                        name=result.user.display_name, company=company.name), "success")
            return _back(company)
    return render_detail(company, invite_form=form)


@bp.route("/<int:company_id>/contacts/<int:user_id>/rights", methods=["POST"])
@login_required
def rights(company_id: int, user_id: int):
    session = get_session()
    company = get_managed_company_or_404(company_id)
    contact_user = get_contact_or_404(company, user_id)
    form = ContactRightsForm()
    if form.validate_on_submit():
        can_act = form.can_act.data == "1"
        try:
            service.set_contact_rights(session=session, company=company,
                                       contact_user=contact_user, can_act=can_act)
        except service.CompanyError as error:
            flash(str(error), "error")
        else:
            _log_contact(company, "company.contact.rights", contact_user, can_act=can_act)
            if can_act:
                flash(_("%(name)s can now act for %(company)s.", name=contact_user.display_name,
                        company=company.name), "success")
            else:
                flash(_("%(name)s can no longer act for %(company)s.",
                        name=contact_user.display_name, company=company.name), "success")
                if contact_user.id == current_user.id:
                    return redirect(url_for("main.home"))
    return _back(company)


@bp.route("/<int:company_id>/contacts/<int:user_id>/remove", methods=["POST"])
@login_required
def remove(company_id: int, user_id: int):
    session = get_session()
    company = get_managed_company_or_404(company_id)
    contact_user = get_contact_or_404(company, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            service.remove_contact(session=session, company=company, contact_user=contact_user)
        except service.CompanyError as error:
            flash(str(error), "error")
        else:
            _log_contact(company, "company.contact.remove", contact_user)
            flash(_("%(name)s is no longer a contact of %(company)s.",
                    name=contact_user.display_name, company=company.name), "success")
            if contact_user.id == current_user.id:
                return redirect(url_for("main.home"))
    return _back(company)
