"""Logging in and out, changing a password, choosing a language."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app.db import get_session
from app.permissions import current_actor
from app.services import accounts
from app.web.auth.forms import ChangePasswordForm, LoginForm, LogoutForm
from app.web.auth.throttle import login_throttle
from app.web.ui.safe_redirect import safe_next

bp = Blueprint("auth", __name__)


def _attempt(form: LoginForm) -> tuple[str, str]:
    """Who is tried from where: the throttle counts per account and address."""
    return accounts.normalise_email(form.email.data or ""), get_remote_address()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        throttle = login_throttle()
        account, address = _attempt(form)
        wait = throttle.wait(account=account, address=address) if throttle else 0
        if wait:
            flash(ngettext("Too many failed logins. Wait %(num)d second and try again.",
                           "Too many failed logins. Wait %(num)d seconds and try again.", wait),
                  "error")
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(wait)
            return response
        user = accounts.authenticate(
            session=get_session(), email=form.email.data, password=form.password.data
        )
        if throttle:
            outcome = throttle.failed if user is None else throttle.succeeded
            outcome(account=account, address=address)
        if user is None:
            flash(_("That e-mail address and password do not match. Check both and try again."),
                  "error")
            return render_template("auth/login.html", form=form), 401
        lang = session.get("lang")
        session.clear()  # a fresh session on login: no fixation
        if lang:
            session["lang"] = lang
        login_user(user, remember=form.remember.data)
        return redirect(safe_next(form.next.data) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        accounts.end_sessions(session=get_session(), user=current_actor())
        logout_user()
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_actor()
        try:
            accounts.change_password(
                session=get_session(), user=user, current=form.current.data, new=form.new.data
            )
        except accounts.AccountError:
            form.current.errors.append(_("The current password is not correct."))
        else:
            # Every other session ended with the old token; keep this one going.
            login_user(user)
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
