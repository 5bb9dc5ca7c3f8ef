"""Koppelingen on the student's own pages: apps that may answer for her. She makes a personal
token (shown once), sees when each was last used, and revokes it; the rules are the service's
(app/services/personal_tokens.py)."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, make_response, redirect, render_template, url_for
from flask import session as browser_session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.db import get_session
from app.models import Role
from app.models.api_tokens import TOKEN_NAME_MAX
from app.permissions import current_actor, get_own_api_token_or_404, require_role
from app.services import api_tokens, personal_tokens
from app.web.profile.views import bp
from app.web.ui.fields import Form, attach_error
from app.web.ui.forms import ConfirmForm

from ...models.base import local_today

# As on the integrations' page: the new token waits in the signed session cookie for the one
# page that shows it, which takes it out (a reload of the POST's answer would make a second).
_SHOWN = "personal_token_shown"


class PersonalTokenForm(Form):
    name = StringField(_l("Which app"), description=_l("So you can tell your links apart."),
                       render_kw={"maxlength": TOKEN_NAME_MAX})
    scopes = RadioField(_l("The app may"), validators=[Optional()], choices=[
        SelectChoice("me:read", _l("read my proposals and recommendations")),
        SelectChoice("me:write", _l("read my proposals and say yes or no for me"))])
    expires_on = DateField(_l("Works until"), validators=[Optional()], description=_l(
        "At most %(days)s days ahead.", days=personal_tokens.MAX_DAYS))


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/apps", methods=["GET", "POST"])
@require_role(Role.student)
def apps():
    session, student = get_session(), current_actor()
    form = PersonalTokenForm()
    if not form.is_submitted():
        form.expires_on.data = local_today() + timedelta(days=personal_tokens.DEFAULT_DAYS)
        form.scopes.data = "me:read"
    elif form.validate():
        try:
            token, raw = personal_tokens.create_personal_token(
                session=session, student=student, name=form.name.data,
                scopes=[form.scopes.data] if form.scopes.data else [],
                expires_on=form.expires_on.data)
        except api_tokens.ApiTokenError as error:
            attach_error(form, error)
        else:
            browser_session[_SHOWN] = {"id": token.id, "raw": raw}
            return redirect(url_for(".app_created", token_id=token.id))
    return render_template(
        "profile/apps.html", form=form, revoke_form=ConfirmForm(),
        refusal=personal_tokens.refusal_for(session=session, user=student),
        tokens=personal_tokens.token_states(session=session, student=student),
        last_day_of=api_tokens.last_day_of)


@bp.route("/apps/<int:token_id>/created")
@require_role(Role.student)
def app_created(token_id: int):
    token = get_own_api_token_or_404(token_id)
    waiting = browser_session.pop(_SHOWN, None)
    raw = waiting["raw"] if isinstance(waiting, dict) and waiting.get("id") == token.id else None
    return _no_store(make_response(render_template("profile/app_created.html", token=token,
                                                   raw=raw)))


@bp.route("/apps/<int:token_id>/revoke", methods=["POST"])
@require_role(Role.student)
def revoke_app(token_id: int):
    token = get_own_api_token_or_404(token_id)
    if ConfirmForm().validate_on_submit():
        try:
            api_tokens.revoke_token(session=get_session(), actor=current_actor(), token=token)
        except api_tokens.ApiTokenError as error:
            flash(str(error), "error")
        else:
            flash(_("The link is switched off: the app can no longer read or answer for you."),
                  "success")
    return redirect(url_for(".apps"))
