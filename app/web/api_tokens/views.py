"""Koppelingen (API tokens): the list, a new token (shown once), one token's use log, and
revoking it with a confirmation."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask import session as browser_session
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import Role, User
from app.permissions import (
    can_administer,
    current_actor,
    get_api_token_or_404,
    related,
    require_role,
)
from app.services import api_tokens as service
from app.web.api_tokens.forms import NewTokenForm, scope_choices, scope_label
from app.web.ui.fields import attach_error
from app.web.ui.forms import ConfirmForm

from ...models.base import local_today

bp = Blueprint("integrations", __name__, url_prefix="/admin/api-tokens")
# Where the new token waits for the one page that shows it: the session cookie (signed, not
# encrypted, so readable by the browser that is about to show the token anyway). That page takes
# it out, so the cookie holds it for one round trip and a second visit shows nothing; the
# database never holds it. Rendering it in the POST's answer instead would make a reload post
# the form again and make a second token.
_SHOWN = "api_token_shown"


def _actor() -> User:
    """An admin, or a coordinator with a region; anyone else gets 404."""
    actor = current_actor()
    if not can_administer(actor):
        abort(404)
    return actor


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_filter("scope_label")
def _scope_label(scope: str) -> str:
    return scope_label(scope)


@bp.route("/")
@require_role(Role.admin, Role.coordinator)
def index():
    actor = _actor()
    rows = service.tokens_for(session=get_session(), actor=actor)
    personal = service.personal_token_count(session=get_session()) \
        if actor.role is Role.admin else None
    return render_template("api_tokens/index.html", rows=rows, status_of=service.status_of,
                           last_day_of=service.last_day_of, personal=personal)


def _fill(form: NewTokenForm, actor: User) -> None:
    accounts = service.choosable_accounts(session=get_session(), actor=actor)
    form.acting_user_id.choices = [SelectChoice("", _("Choose an account")), *[
        SelectChoice(u.id, f"{u.display_name} ({u.email})") for u in accounts]]
    form.scopes.choices = scope_choices()


@bp.route("/new", methods=["GET", "POST"])
@require_role(Role.admin, Role.coordinator)
def new():
    actor = _actor()
    form = NewTokenForm()
    _fill(form, actor)
    if not form.is_submitted():
        form.expires_on.data = local_today() + timedelta(days=service.DEFAULT_DAYS)
    elif form.validate():
        try:
            token, raw = service.create_token(
                session=get_session(), creator=actor, acting_user_id=form.acting_user_id.data,
                name=form.name.data, scopes=form.scopes.data, expires_on=form.expires_on.data)
        except service.ApiTokenError as error:
            attach_error(form, error)
        else:
            browser_session[_SHOWN] = {"id": token.id, "raw": raw}
            return redirect(url_for(".created", token_id=token.id))
    return render_template("api_tokens/new.html", form=form,
                           max_days=service.MAX_DAYS)


@bp.route("/<int:token_id>/created")
@require_role(Role.admin, Role.coordinator)
def created(token_id: int):
    _actor()
    token = get_api_token_or_404(token_id)
    waiting = browser_session.pop(_SHOWN, None)
    raw = waiting["raw"] if isinstance(waiting, dict) and waiting.get("id") == token.id else None
    return _no_store(make_response(render_template("api_tokens/created.html", token=token,
                                                   raw=raw)))


@bp.route("/<int:token_id>")
@require_role(Role.admin, Role.coordinator)
def show(token_id: int):
    _actor()
    token = get_api_token_or_404(token_id)
    db = get_session()
    return render_template("api_tokens/show.html", row=service.token_row(session=db, token=token),
                           uses=service.uses_of(session=db, token=token),
                           status=service.status_of(token), last_day=service.last_day_of(token),
                           shown=service.USES_SHOWN)


@bp.route("/<int:token_id>/revoke", methods=["GET", "POST"])
@require_role(Role.admin, Role.coordinator)
def revoke(token_id: int):
    actor = _actor()
    token = get_api_token_or_404(token_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            service.revoke_token(session=get_session(), actor=actor, token=token)
        except service.ApiTokenError as error:
            flash(str(error), "error")
        else:
            flash(_("The token is revoked: it opens nothing any more."), "success")
        return redirect(url_for(".show", token_id=token.id))
    return render_template("api_tokens/revoke.html", token=token, form=form,
                           acting=related(User, token.user_id))
