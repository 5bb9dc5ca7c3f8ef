"""Getting in without a password: asking for a reset link, and a one-time code from a sheet.

Both forms answer the same whatever is typed, as far as an outsider can tell: the reset form
says the same words after the same time for known and unknown addresses, and both are held
to quotas (app/web/auth/quota.py) so that neither can be used to flood a mailbox or guess.
"""

from __future__ import annotations

import time

from flask import flash, make_response, redirect, render_template, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user

from app.db import get_session
from app.models import User
from app.services import access, accounts
from app.web.auth.forms import CodeForm, ForgotPasswordForm
from app.web.auth.quota import quota
from app.web.auth.views import bp
from app.web.ui.fields import attach_error

# Every answer of the reset form takes at least this long, whether an e-mail was written (a
# lookup, a signature and a commit) or not (a lookup): the time tells nobody which it was.
RESET_ANSWER_SECONDS = 0.4


def fresh_login(user: User) -> None:
    """Log ``user`` in on a fresh session (no fixation), keeping the chosen language."""
    lang = cookie.get("lang")
    cookie.clear()
    if lang:
        cookie["lang"] = lang
    login_user(user)


def _within_quota(email: str) -> bool:
    """Counts this request against both reset quotas; False when either is used up."""
    by_email, by_address = quota("reset-email"), quota("reset-address")
    allowed = by_address.hit(get_remote_address()) if by_address else True
    # Counted even past the other quota: a flood from many machines still fills this one.
    return (by_email.hit(email) if by_email else True) and allowed


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        started = time.monotonic()
        email = accounts.normalise_email(form.email.data or "")
        if _within_quota(email):
            access.request_password_reset(session=get_session(), email=email)
        time.sleep(max(0.0, RESET_ANSWER_SECONDS - (time.monotonic() - started)))
        return render_template("auth/forgot_sent.html", email=email)
    return render_template("auth/forgot.html", form=form)


@bp.route("/code", methods=["GET", "POST"])
def redeem_code():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = CodeForm()
    if form.validate_on_submit():
        failures, address = quota("code-failures"), get_remote_address()
        if failures and not failures.allows(address):
            flash(_("Too many wrong codes from this network. Wait an hour and try again, or "
                    "ask your counsellor."), "error")
            return make_response(render_template("auth/code.html", form=form), 429)
        try:
            user = access.redeem_code(session=get_session(), code=form.code.data or "",
                                      password=form.password.data or "")
        except access.AccessError as error:
            if error.field == "code" and failures:
                failures.hit(address)
            attach_error(form, error, fallback="code")
        else:
            fresh_login(user)
            flash(_("Welcome, %(name)s. Your password is set. From now on you log in with "
                    "%(login)s and this password.", name=user.display_name,
                    login=accounts.login_name(user)), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/code.html", form=form)
