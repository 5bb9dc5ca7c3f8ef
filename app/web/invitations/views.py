"""Setting a password from a link: an invitation (company contacts, imported students,
counsellors) or a password reset. Both land on the same page, which tells by the link which
it is."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.db import get_session
from app.services import access
from app.web.auth.recovery import fresh_login
from app.web.invitations.forms import AcceptInvitationForm
from app.web.ui.fields import attach_error

# No url_prefix: the reset links (/password/reset/...) land here as well as the invitations.
bp = Blueprint("invitations", __name__)


def _refused(error: access.AccessError):
    status = 400 if error.reason == "invalid" else 410
    return render_template("invitations/invalid.html", error=error), status


# The invitation address is registered first, so url_for("invitations.accept") builds it.
@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept(token: str):
    session = get_session()
    try:
        link = access.check_link(session=session, token=token)
    except access.AccessError as error:
        return _refused(error)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            link = access.use_link(session=session, token=token,
                                   password=form.password.data or "")
        except access.AccessError as error:
            if error.field is None:
                return _refused(error)
            attach_error(form, error)
        else:
            fresh_login(link.user)
            flash(_("Welcome, %(name)s. Your password is set; from now on you log in with "
                    "your e-mail address and this password.", name=link.user.display_name),
                  "success")
            return redirect(url_for("main.home"))
    return render_template("invitations/accept.html", form=form, user=link.user,
                           reset=link.kind == access.RESET)
