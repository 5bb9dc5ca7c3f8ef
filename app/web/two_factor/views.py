"""The code page after the password (setting up or giving a code), one's own account page for
the second factor, and the admin's list with a reset per account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import segno
from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import login_required
from markupsafe import Markup

from app.db import get_session
from app.models import Role, User
from app.permissions import current_actor, require_role
from app.permissions.base import load_or_404
from app.services import two_factor
from app.web.two_factor import guard
from app.web.two_factor.forms import CodeForm, EnrolForm, ManageForm, ResetForm
from app.web.ui.fields import Form, attach_error
from app.web.ui.query_params import int_arg, text_arg
from app.web.ui.safe_redirect import safe_next

bp = Blueprint("two_factor", __name__)
bp.record_once(guard.init_two_factor)
bp.before_app_request(guard.require_second_factor)

USERS_OF_A_FACTOR = tuple(role for role in Role if role is not Role.student)
T = TypeVar("T")


def _qr_svg(uri: str) -> Markup:
    # segno writes the SVG from the otpauth address alone: fill and stroke attributes, no
    # style, nothing a strict Content-Security-Policy refuses.
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff",
                                                title=_("QR code for your authenticator app"))
    return Markup(svg)  # noqa: S704 - generated from our own address, no user text inside


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _enrolment(user: User) -> dict:
    secret = two_factor.pending_secret(session=get_session(), user=user)
    uri = two_factor.provisioning_uri(secret=secret, email=user.email)
    return {"qr_svg": _qr_svg(uri), "secret": _grouped(secret)}


def _too_soon(user: User) -> int:
    """Seconds this account must wait before its next code is checked (the throttle's)."""
    throttle = guard.code_throttle()
    wait = throttle.wait(account=str(user.id), address=get_remote_address()) if throttle else 0
    if wait:
        flash(ngettext("Too many wrong codes. Wait %(num)d second and try again.",
                       "Too many wrong codes. Wait %(num)d seconds and try again.", wait),
              "error")
    return wait


def _counted(user: User, right: bool) -> None:
    throttle = guard.code_throttle()
    if throttle is not None:
        outcome = throttle.succeeded if right else throttle.failed
        outcome(account=str(user.id), address=get_remote_address())


@dataclass
class Attempt(Generic[T]):
    """A posted code: taken (with what the service returned), refused, or made to wait."""

    done: bool = False
    result: T | None = None
    failed: bool = False
    wait: int = 0

    @property
    def status(self) -> int:
        return 429 if self.wait else 400 if self.failed else 200


def _attempt(user: User, form: Form, action: Callable[[str], T]) -> Attempt[T]:
    """Runs ``action`` on the posted code, unless the throttle says wait; a wrong code counts
    against this account and address like a wrong password."""
    if not form.validate_on_submit():
        return Attempt(failed=bool(form.errors))
    wait = _too_soon(user)
    if wait:
        return Attempt(wait=wait)
    try:
        result = action(form.code.data)
    except two_factor.WrongCode as error:
        _counted(user, right=False)
        attach_error(form, error)
        return Attempt(failed=True)
    except two_factor.TwoFactorError as error:
        attach_error(form, error)
        return Attempt(failed=True)
    _counted(user, right=True)
    return Attempt(done=True, result=result)


def _page(template: str, attempt: Attempt, **context):
    response = make_response(render_template(template, **context), attempt.status)
    if attempt.wait:
        response.headers["Retry-After"] = str(attempt.wait)
    return response


def _codes_page(codes: list[str] | None, onward: str):
    return render_template("two_factor/recovery_codes.html", codes=codes or [], onward=onward)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def check():
    """After the password: set the second factor up, or give a code (or a recovery code)."""
    user = current_actor()
    session = get_session()
    if not two_factor.may_use(user):
        return redirect(url_for("main.home"))
    if two_factor.enabled_factor(session=session, user=user) is None:
        return _enrol(user)
    form = CodeForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    onward = safe_next(form.next.data) or url_for("main.home")
    if guard.is_verified(user):
        return redirect(onward)
    attempt = _attempt(user, form, lambda code: two_factor.verify(
        session=session, user=user, code=code))
    if not attempt.done:
        return _page("two_factor/verify.html", attempt, form=form)
    guard.mark_verified(user)
    if attempt.result == "recovery code":
        left = two_factor.recovery_codes_left(session=session, user=user)
        flash(ngettext("You used a recovery code; %(num)d is left. Make new ones under "
                       "Two-step login.",
                       "You used a recovery code; %(num)d are left. Make new ones under "
                       "Two-step login.", left), "info")
    return redirect(onward)


def _enrol(user: User):
    form = EnrolForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    attempt = _attempt(user, form, lambda code: two_factor.confirm(
        session=get_session(), user=user, code=code))
    if attempt.done:
        guard.mark_verified(user)
        return _codes_page(attempt.result, safe_next(form.next.data) or url_for("main.home"))
    required = two_factor.is_required(user=user, required=guard.required_setting())
    return _page("two_factor/enrol.html", attempt, form=form, required=required,
                 **_enrolment(user))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@require_role(*USERS_OF_A_FACTOR)
def account():
    """One's own second factor: turn it on, make new recovery codes, or turn it off."""
    user = current_actor()
    session = get_session()
    required = two_factor.is_required(user=user, required=guard.required_setting())
    here = url_for("two_factor.account")
    factor = two_factor.enabled_factor(session=session, user=user)
    if factor is None:
        form = EnrolForm()
        attempt = _attempt(user, form, lambda code: two_factor.confirm(
            session=session, user=user, code=code))
        if attempt.done:
            guard.mark_verified(user)
            return _codes_page(attempt.result, here)
        return _page("two_factor/account.html", attempt, form=form, factor=None,
                     required=required, **_enrolment(user))
    manage = ManageForm()
    turn_off = bool(manage.turn_off.data)

    def act(code: str) -> list[str] | None:
        if turn_off:
            two_factor.turn_off(session=session, user=user, code=code,
                                required=guard.required_setting())
            return None
        return two_factor.new_recovery_codes(session=session, user=user, code=code)

    attempt = _attempt(user, manage, act)
    if attempt.done and turn_off:
        flash(_("Two-step login is turned off."), "success")
        return redirect(here)
    if attempt.done:
        return _codes_page(attempt.result, here)
    left = two_factor.recovery_codes_left(session=session, user=user)
    return _page("two_factor/account.html", attempt, form=manage, factor=factor, left=left,
                 required=required)


@bp.route("/admin/two-factor")
@require_role(Role.admin)
def admin_list():
    """Accounts with a second factor (set up or being set up), each with a reset."""
    query = text_arg("q", max_length=100)
    data = two_factor.accounts_with_factor(session=get_session(), query=query,
                                           page=int_arg("page", 1) or 1)
    return render_template("two_factor/admin.html", data=data, query=query,
                           reset_form=ResetForm(formdata=None))


@bp.route("/admin/users/<int:user_id>/reset-two-factor", methods=["POST"])
@require_role(Role.admin)
def admin_reset(user_id: int):
    user = load_or_404(User, user_id, lambda _user: True)  # an admin may reset anyone's
    if ResetForm().validate_on_submit():
        if two_factor.reset(session=get_session(), user=user):
            flash(_("The second factor of %(email)s is removed: they set up a new one at their "
                    "next login.", email=user.email), "success")
        else:
            flash(_("%(email)s had no second factor.", email=user.email), "info")
    return redirect(safe_next(request.args.get("next")) or url_for("two_factor.admin_list"))
