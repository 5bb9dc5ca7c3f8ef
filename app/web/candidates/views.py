"""Candidates a company answers, and feedback after a placement."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session
from app.models import Placement, Role
from app.models.labels import label
from app.models.lifecycle import FEEDBACK_OPEN
from app.permissions import (
    get_candidate_or_404,
    get_feedback_proposal_or_404,
    related,
    require_role,
    user_company_ids,
)
from app.services import candidates as service
from app.web.candidates.forms import CompanyFeedbackForm, DeclineForm, StudentFeedbackForm
from app.web.ui.exports import csv_response
from app.web.ui.forms import ConfirmForm
from app.web.ui.query_params import int_arg

bp = Blueprint("candidates", __name__, url_prefix="/candidates")


def _views():
    session = get_session()
    # Without a scheduler, an overdue offer lapses when a company looks (once a minute at most).
    service.lapse_when_due(session=session)
    return service.company_candidates(session=session,
                                      company_ids=user_company_ids(current_user))


@bp.route("/")
@require_role(Role.company)
def index():
    stats = service.answer_stats(session=get_session(),
                                 company_ids=user_company_ids(current_user))
    data = service.candidate_page(candidates=_views(), page=int_arg("page", 1) or 1)
    # Each label and date written once per page, however many candidates share it.
    labels = {value: label(value) for value in {v for c in data.rows for v in (c.level, c.status)}}
    deadlines = {day: format_date(day) for day in {c.deadline for c in data.rows} if day}
    return render_template("candidates/index.html", data=data, stats=stats, labels=labels,
                           deadlines=deadlines)


@bp.route("/export.csv")
@require_role(Role.company)
def export():
    header = [_("Placement"), _("First name"), _("Level"), _("School"), _("Status"),
              _("Answer before"), _("Why they fit")]
    rows = [(c.placement_title, c.first_name, label(c.level), c.school, label(c.status),
             c.deadline.isoformat() if c.deadline else "", c.why) for c in _views()]
    return csv_response(header, rows, "kandidaten.csv")


def _view_of(proposal_id: int):
    found = [c for c in _views() if c.proposal_id == proposal_id]
    if not found:
        abort(404)
    return found[0]


@bp.route("/<int:proposal_id>")
@require_role(Role.company)
def detail(proposal_id: int):
    proposal = get_candidate_or_404(proposal_id)
    feedback = service.feedback_of(session=get_session(), proposal=proposal, author_role="company")
    return render_template("candidates/detail.html", candidate=_view_of(proposal.id),
                           decline_form=DeclineForm(), confirm_form=ConfirmForm(),
                           feedback_form=CompanyFeedbackForm(), feedback=feedback,
                           feedback_open=proposal.status in FEEDBACK_OPEN)


def _do(proposal_id: int, action):
    proposal = get_candidate_or_404(proposal_id)
    try:
        action(proposal)
    except service.CandidateError as error:
        flash(str(error), "error")
    return redirect(url_for("candidates.detail", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/accept", methods=["POST"])
@require_role(Role.company)
def accept(proposal_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)

    def run(proposal):
        service.company_accept(session=get_session(), proposal=proposal, actor=current_user)
        flash(_("Candidate accepted. The student and counsellor are told."), "success")

    return _do(proposal_id, run)


@bp.route("/<int:proposal_id>/decline", methods=["POST"])
@require_role(Role.company)
def decline(proposal_id: int):
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("Say why you decline: the student and counsellor learn from it."), "error")
        return redirect(url_for("candidates.detail", proposal_id=proposal_id))

    def run(proposal):
        service.company_decline(session=get_session(), proposal=proposal, actor=current_user,
                                reason=form.reason.data, reason_code=form.reason_code.data)
        flash(_("Candidate declined. The place is free again."), "success")

    return _do(proposal_id, run)


@bp.route("/<int:proposal_id>/placed", methods=["POST"])
@require_role(Role.company)
def placed(proposal_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _do(proposal_id, lambda p: service.confirm_placed(
        session=get_session(), proposal=p, actor=current_user))


@bp.route("/<int:proposal_id>/complete", methods=["POST"])
@require_role(Role.company)
def complete(proposal_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _do(proposal_id, lambda p: service.complete(
        session=get_session(), proposal=p, actor=current_user))


@bp.route("/<int:proposal_id>/feedback", methods=["POST"])
@require_role(Role.company)
def company_feedback(proposal_id: int):
    form = CompanyFeedbackForm()
    if not form.validate_on_submit():
        flash(_("Answer whether you would host again."), "error")
        return redirect(url_for("candidates.detail", proposal_id=proposal_id))

    def run(proposal):
        service.give_feedback(session=get_session(), proposal=proposal, author=current_user,
                              comment=form.comment.data or "",
                              would_host_again=form.would_host_again.data == "yes")
        flash(_("Thank you for your feedback."), "success")

    return _do(proposal_id, run)


@bp.route("/mine/<int:proposal_id>/feedback", methods=["GET", "POST"])
@require_role(Role.student)
def student_feedback(proposal_id: int):
    session = get_session()
    proposal = get_feedback_proposal_or_404(proposal_id)
    form = StudentFeedbackForm()
    if form.validate_on_submit():
        service.give_feedback(session=session, proposal=proposal, author=current_user,
                              learned=form.learned.data,
                              would_recommend=form.would_recommend.data == "yes")
        flash(_("Thank you for your feedback."), "success")
        return redirect(url_for("main.home"))
    placement = related(Placement, proposal.placement_id)
    return render_template("candidates/student_feedback.html", form=form, placement=placement)
