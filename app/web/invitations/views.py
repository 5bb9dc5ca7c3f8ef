"""Company contacts invited by a coordinator set their own password here."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import login_user

from app.db import get_session
from app.services import companies as service
from app.web.invitations.forms import AcceptInvitationForm
from app.web.ui.fields import attach_error

bp = Blueprint("invitations", __name__, url_prefix="/invitations")


def _refused(error: service.InvitationError):
    status = 400 if error.reason == "invalid" else 410
    return render_template("invitations/invalid.html", error=error), status


@bp.route("/<token>", methods=["GET", "POST"])
def accept(token: str):
    session = get_session()
    try:
        user = service.check_invitation(session=session, token=token)
    except service.InvitationError as error:
        return _refused(error)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = service.accept_invitation(session=session, token=token,
                                             password=form.password.data)
        except service.InvitationError as error:
            if error.field is None:
                return _refused(error)
            attach_error(form, error)
        else:
            lang = cookie.get("lang")
            cookie.clear()  # a fresh session for the new user: no fixation
            if lang:
                cookie["lang"] = lang
            login_user(user)
            flash(_("Welcome, %(name)s. Your password is set; from now on you log in with "
                    "your e-mail address and this password.", name=user.display_name),
                  "success")
            return redirect(url_for("main.home"))
    return render_template("invitations/accept.html", form=form, user=user)
