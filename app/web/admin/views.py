"""Administration of accounts (list, detail, change, switch off and on, reset and invitation
e-mails, new account) and the admin log with its export."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import Role, User
from app.models.labels import label
from app.permissions import (
    can_administer,
    current_actor,
    get_managed_user_or_404,
    require_role,
    roles_assignable,
)
from app.services import admin_log, choices
from app.services import admin_users as service
from app.web.admin.forms import NewUserForm, UserLinksForm
from app.web.ui.exports import csv_response
from app.web.ui.fields import attach_error
from app.web.ui.forms import ConfirmForm
from app.web.ui.query_params import enum_arg, int_arg, text_arg

bp = Blueprint("admin", __name__, url_prefix="/admin")


def administrator() -> User:
    """The acting admin or coordinator; a coordinator without a region gets 404."""
    actor = current_actor()
    if not can_administer(actor):
        abort(404)
    return actor


def scope_region(actor: User) -> int | None:
    """The region an actor's screens are limited to (None: an admin, every region)."""
    return None if actor.role is Role.admin else actor.region_id


def fill_links(form: UserLinksForm, actor: User, roles: tuple[Role, ...]) -> None:
    session = get_session()
    form.role.choices = [SelectChoice(role.value, label(role)) for role in roles]
    region_id = scope_region(actor)
    schools = (choices.schools_with_regions(session=session) if region_id is None else
               [(s, None) for s in choices.schools_of_region(session=session,
                                                             region_id=region_id)])
    form.school_id.choices = [SelectChoice("", _("No school")), *[
        SelectChoice(s.id, f"{s.name} ({r.name})" if r else s.name) for s, r in schools]]
    regions = choices.regions(session=session) if region_id is None else []
    form.region_id.choices = [SelectChoice("", _("No region")),
                              *[SelectChoice(r.id, r.name) for r in regions]]


# --- the list ---------------------------------------------------------------------------

@bp.route("/users")
@require_role(Role.admin, Role.coordinator)
def users():
    actor = administrator()
    session = get_session()
    region_id = scope_region(actor)
    active_text = text_arg("active", max_length=3)
    filters = {"q": text_arg("q", max_length=100), "role": enum_arg("role", Role),
               "school": int_arg("school"), "region": int_arg("region"),
               "active": active_text if active_text in ("yes", "no") else ""}
    data = service.list_users(
        session=session, region_id=region_id, query=filters["q"], role=filters["role"],
        school_id=filters["school"], filter_region_id=filters["region"],
        active={"yes": True, "no": False}.get(filters["active"]), page=int_arg("page", 1) or 1)
    form = UserLinksForm(formdata=None)
    fill_links(form, actor, roles_assignable(actor))
    args = {key: (value.value if isinstance(value, Role) else value)
            for key, value in filters.items() if value}
    return render_template("admin/users.html", data=data, filters=filters, args=args,
                           form=form, actor=actor)


# --- one account ------------------------------------------------------------------------

def _render_user(user: User, form: UserLinksForm | None = None):
    actor = administrator()
    roles = roles_assignable(actor)
    if form is None:
        form = UserLinksForm(data={"role": user.role.value, "school_id": user.school_id,
                                   "region_id": user.region_id})
    fill_links(form, actor, roles)
    return render_template("admin/user.html", user=user, form=form, confirm=ConfirmForm(),
                           can_change=user.role in roles)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require_role(Role.admin, Role.coordinator)
def user(user_id: int):
    actor = administrator()
    account = get_managed_user_or_404(user_id)
    form = UserLinksForm()
    fill_links(form, actor, roles_assignable(actor))
    if not form.is_submitted():
        return _render_user(account)
    if form.validate():
        try:
            service.change_user(session=get_session(), actor=actor, user=account,
                                role=form.role.data, school_id=form.school_id.data,
                                region_id=form.region_id.data,
                                allowed_roles=roles_assignable(actor),
                                scope_region_id=scope_region(actor))
        except service.AdminUserError as error:
            get_session().refresh(account)
            attach_error(form, error)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".user", user_id=account.id))
    return _render_user(account, form)


@bp.route("/users/<int:user_id>/<any(deactivate, activate, reset, invite):action>",
          methods=["POST"])
@require_role(Role.admin, Role.coordinator)
def user_action(user_id: int, action: str):
    actor = administrator()
    account = get_managed_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = get_session()
    try:
        if action in ("deactivate", "activate"):
            service.set_active(session=session, actor=actor, user=account,
                               active=action == "activate")
            flash(_("The account is switched on.") if action == "activate"
                  else _("The account is switched off; every open session has ended."),
                  "success")
        elif action == "reset":
            sent = service.send_reset(session=session, actor=actor, user=account)
            flash(_("A link to choose a new password is sent.") if sent else
                  _("No e-mail could be sent: the account is switched off or has no "
                    "e-mail address."), "success" if sent else "error")
        else:
            sent = service.send_invitation(session=session, actor=actor, user=account)
            flash(_("The invitation is sent.") if sent else
                  _("No invitation was sent: the account has a password or no e-mail "
                    "address, or was invited less than an hour ago."),
                  "success" if sent else "error")
    except service.AdminUserError as error:
        flash(str(error), "error")
    return redirect(url_for(".user", user_id=account.id))


@bp.route("/users/new", methods=["GET", "POST"])
@require_role(Role.admin, Role.coordinator)
def new_user():
    actor = administrator()
    roles = tuple(role for role in roles_assignable(actor)
                  if role not in (Role.student, Role.company))
    form = NewUserForm()
    fill_links(form, actor, roles)
    if form.validate_on_submit():
        try:
            account, invited = service.create_user(
                session=get_session(), actor=actor, email=form.email.data or "",
                display_name=form.display_name.data or "", role=form.role.data,
                school_id=form.school_id.data, region_id=form.region_id.data,
                allowed_roles=roles, scope_region_id=scope_region(actor))
        except service.AdminUserError as error:
            attach_error(form, error)
        else:
            flash(_("The account is made and an invitation is sent.") if invited else
                  _("The account is made, but no invitation could be sent."),
                  "success" if invited else "error")
            return redirect(url_for(".user", user_id=account.id))
    return render_template("admin/new_user.html", form=form)


# --- the admin log ----------------------------------------------------------------------

def _log_filters() -> dict:
    return {"actor": int_arg("actor"), "action": text_arg("action", max_length=40)}


@bp.route("/log")
@require_role(Role.admin)
def log():
    session = get_session()
    filters = _log_filters()
    data = admin_log.list_entries(session=session, actor_id=filters["actor"],
                                  action=filters["action"] or None,
                                  page=int_arg("page", 1) or 1)
    args = {key: value for key, value in filters.items() if value}
    return render_template("admin/log.html", data=data, filters=filters, args=args,
                           actions=admin_log.actions(session=session),
                           actors=admin_log.actors(session=session))


@bp.route("/log.csv")
@require_role(Role.admin)
def log_csv():
    filters = _log_filters()
    rows = admin_log.export_rows(session=get_session(), actor_id=filters["actor"],
                                 action=filters["action"] or None)
    return csv_response(admin_log.EXPORT_HEADER, rows, "admin-log.csv")
