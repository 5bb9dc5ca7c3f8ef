"""The matching page: run a round for a cohort, see its proposals, pin or exclude pairs (a
student found by name, then a placement from those ranked for them)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import PinKind, Role
from app.permissions import (
    can_run_matching,
    current_actor,
    get_managed_student_or_404,
    matching_scopes,
    require_role,
)
from app.services import jobs, replacements
from app.services import matching as service
from app.services import matching_pages as pages
from app.services.matching import MatchingError
from app.web.matching.forms import (
    PinForm,
    PlacementSearchForm,
    RunRoundForm,
    StudentSearchForm,
)
from app.web.ui.fields import attach_error
from app.web.ui.forms import ConfirmForm
from app.web.ui.query_params import int_arg, text_arg
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


def _page(key: str, run_form: RunRoundForm, status: int = 200):
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
        run_form=run_form, student_search=StudentSearchForm(formdata=None),
        pins=pages.pins_of(session=session, school_ids=school_ids) if sees_students else [],
        sees_students=sees_students, confirm=ConfirmForm(),
        under_way=jobs.under_way(session=session, scope_key=key)), status


@bp.route("/")
@require_role(*STAFF)
def index():
    key, _scope = _chosen(request.args.get("scope"))
    run_form = RunRoundForm(scope=key)
    run_form.scope.choices = _scopes()
    return _page(key, run_form)


@bp.route("/run", methods=["POST"])
@require_role(*STAFF)
def run():
    """First submit: the scope and how many students and placements it takes on, to confirm.
    Confirmed: the round is queued and the progress page follows it."""
    form = RunRoundForm()
    form.scope.choices = _scopes()
    key = form.scope.data
    if not form.validate_on_submit():
        return _page(key if can_run_matching(current_user, key or "") else None, form, 400)
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
        return _page(key, form, 400)
    return redirect(url_for("jobs.show", job_id=job.id))


def _pin_page(key: str, scope, form: PinForm, student_id: int | None, status: int = 200):
    """The pin search: the cohort's students to choose from, or, with ``student_id``, the open
    placements ranked by that student's score (as the replace search ranks them)."""
    session = get_session()
    school_ids = pages.school_ids_of(session=session, scope=scope)
    student = students = found = None
    if student_id is not None:
        student = get_managed_student_or_404(student_id)
        if not pages.may_pin_for(student, school_ids):
            abort(404)
        found = replacements.student_page(
            session=session, student_id=student.id, query=text_arg("q", max_length=100),
            page=int_arg("page") or 1)
    else:
        students = pages.students_to_pin(
            session=session, school_ids=school_ids, query=text_arg("who", max_length=100),
            page=int_arg("page") or 1)
    return render_template(
        "matching/pin.html", scope_key=key, student=student, students=students, found=found,
        form=form, student_search=StudentSearchForm(request.args),
        placement_search=PlacementSearchForm(request.args)), status


@bp.route("/pins/new")
@require_role(Role.counsellor, Role.admin)
def pin_search():
    key, scope = _chosen(request.args.get("scope"))
    return _pin_page(key, scope, PinForm(formdata=None), int_arg("student"))


@bp.route("/pins", methods=["POST"])
@require_role(Role.counsellor, Role.admin)
def add_pin():
    """A placement picked in the pin search; the address keeps the search, to show it again
    with the problem."""
    key, scope = _chosen(request.args.get("scope"))
    form = PinForm()
    if not form.validate_on_submit():
        return _pin_page(key, scope, form, int_arg("student"), 400)
    session = get_session()
    student = get_managed_student_or_404(form.student_id.data)
    if not pages.may_pin_for(student, pages.school_ids_of(session=session, scope=scope)):
        abort(404)
    try:
        _pin, placement = pages.pin_picked(
            session=session, student=student, placement_id=form.placement_id.data,
            kind=PinKind(form.kind.data), actor=current_actor(), note=form.note.data or "",
            breaking_rules=bool(form.breaking_rules.data))
    except MatchingError as error:
        attach_error(form, error)
        return _pin_page(key, scope, form, student.id, 400)
    flash(_("%(title)s is pinned for %(name)s; the next round will follow it.",
            title=placement.title, name=student.display_name) if form.kind.data == "pin" else
          _("%(title)s is excluded for %(name)s; the next round will follow it.",
            title=placement.title, name=student.display_name), "success")
    return redirect(url_for("matching.index", scope=key, _anchor="pins"))


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
