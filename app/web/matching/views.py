"""The matching page: run a round for a cohort, see its proposals, pin or exclude pairs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import PinKind, Role
from app.permissions import can_run_matching, current_actor, matching_scopes, require_role
from app.services import jobs
from app.services import matching as service
from app.services import matching_pages as pages
from app.services.matching import MatchingError
from app.web.matching.forms import PinForm, RunRoundForm
from app.web.ui.fields import attach_error
from app.web.ui.forms import ConfirmForm
from matching.scoring import COMPONENTS

bp = Blueprint("matching", __name__, url_prefix="/matching")
COMPONENT_LABELS = {
    "text": _l("Own words"), "themes": _l("Interests"), "talent": _l("Talent shown"),
    "level": _l("Level"), "distance": _l("Distance"), "period": _l("Period"),
    "feedback": _l("Earlier students"),
}
STAFF = (Role.counsellor, Role.coordinator, Role.admin)


def _scopes() -> list[SelectChoice]:
    return [SelectChoice(key, name) for key, name in matching_scopes(current_user)]


def _chosen(key: str | None):
    scopes = _scopes()
    if not scopes:
        abort(403)
    key = key or scopes[0].value
    if not can_run_matching(current_user, key):
        abort(404)
    return key, pages.scope_of(session=get_session(), key=key)


def _page(key: str, run_form: RunRoundForm, pin_form: PinForm, status: int = 200):
    session = get_session()
    _key, scope = _chosen(key)
    rounds = pages.rounds_for(session=session, scope=scope)
    school_ids = pages.school_ids_of(session=session, scope=scope)
    sees_students = current_user.role in (Role.counsellor, Role.admin)
    rows = pages.pending_proposals(session=session, school_ids=school_ids) \
        if sees_students else []
    return render_template(
        "matching/index.html", scope_key=key, scope=scope, scopes=_scopes(), rounds=rounds,
        rows=rows, components=COMPONENTS, component_labels=COMPONENT_LABELS,
        run_form=run_form, pin_form=pin_form,
        pins=pages.pins_of(session=session, school_ids=school_ids) if sees_students else [],
        sees_students=sees_students, confirm=ConfirmForm(),
        under_way=jobs.under_way(session=session, scope_key=key)), status


@bp.route("/")
@require_role(*STAFF)
def index():
    key, _scope = _chosen(request.args.get("scope"))
    run_form = RunRoundForm(scope=key)
    run_form.scope.choices = _scopes()
    return _page(key, run_form, PinForm())


@bp.route("/run", methods=["POST"])
@require_role(*STAFF)
def run():
    """First submit: the scope and how many students and placements it takes on, to confirm.
    Confirmed: the round is queued and the progress page follows it."""
    form = RunRoundForm()
    form.scope.choices = _scopes()
    key = form.scope.data
    if not form.validate_on_submit():
        return _page(key if can_run_matching(current_user, key or "") else None, form,
                     PinForm(), 400)
    key, scope = _chosen(key)
    session = get_session()
    scope_name = {c.value: c.label for c in form.scope.choices}[key]
    try:
        if form.confirmed.data != "yes":
            return render_template(
                "matching/confirm.html", form=form, scope_key=key, scope_name=scope_name,
                size=jobs.round_size(session=session, scope=scope))
        job = jobs.start_round(session=session, scope=scope, scope_key=key,
                               actor=current_actor(), seed=form.seed.data,
                               scope_name=scope_name)
    except MatchingError as error:
        attach_error(form, error)
        return _page(key, form, PinForm(), 400)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/pins", methods=["POST"])
@require_role(Role.counsellor, Role.admin)
def add_pin():
    key, scope = _chosen(request.args.get("scope"))
    form = PinForm()
    run_form = RunRoundForm(scope=key)
    run_form.scope.choices = _scopes()
    if not form.validate_on_submit():
        return _page(key, run_form, form, 400)
    session = get_session()
    try:
        student, placement = pages.find_pair(
            session=session, school_ids=pages.school_ids_of(session=session, scope=scope),
            student_number=form.student_number.data, placement_code=form.placement_code.data)
        service.set_pin(session=session, student=student, placement=placement,
                        kind=PinKind(form.kind.data), actor=current_user,
                        note=form.note.data or "")
    except MatchingError as error:
        attach_error(form, error)
        return _page(key, run_form, form, 400)
    flash(_("Saved; the next round will follow it."), "success")
    return redirect(url_for("matching.index", scope=key))


@bp.route("/pins/<int:pin_id>/delete", methods=["POST"])
@require_role(Role.counsellor, Role.admin)
def delete_pin(pin_id: int):
    key, scope = _chosen(request.args.get("scope"))
    session = get_session()
    school_ids = pages.school_ids_of(session=session, scope=scope)
    # Only a pin of the chosen scope's schools can be removed from here.
    pin = next((p for p, *_ in pages.pins_of(session=session, school_ids=school_ids)
                if p.id == pin_id), None)
    if pin is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        service.remove_pin(session=session, pin=pin)
        flash(_("Removed."), "success")
    return redirect(url_for("matching.index", scope=key))
