"""The counsellor's review queue: decide on proposals one by one or by the hundred."""

from __future__ import annotations

from collections import OrderedDict

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import (
    Level,
    MatchProposal,
    Placement,
    PlacementKind,
    ProposalStatus,
    Role,
    StudentProfile,
)
from app.models.labels import label
from app.permissions import (
    export_school_ids,
    get_placement_or_404,
    get_reviewable_proposal_or_404,
    related,
    require_role,
    reviewable_school_ids,
)
from app.services import (
    offers,
    replacements,
    review,
)
from app.services.history import history_lines
from app.services.match_export import HEADER as MATCHES_HEADER
from app.services.match_export import proposal_rows
from app.web.matching.views import COMPONENT_LABELS
from app.web.review.forms import (
    ApproveForm,
    BulkDecisionForm,
    NoteForm,
    RejectForm,
    ReplaceForm,
    ReviewFilterForm,
    SearchForm,
    reason_choices,
)
from app.web.review.queue import queue_rows
from app.web.ui.exports import table_response
from app.web.ui.fields import attach_error, enum_choices
from app.web.ui.forms import ConfirmForm
from app.web.ui.query_params import enum_arg, int_arg, text_arg, to_int
from matching.scoring import COMPONENTS

bp = Blueprint("review", __name__, url_prefix="/review")
REVIEWERS = (Role.counsellor, Role.admin)
KEPT_HTML = 256
_KEPT_KEY = "talentmatch.review_html"


def _filter_form() -> tuple[ReviewFilterForm, tuple]:
    """The filter form, and what its rendering depends on besides the language: the query
    and the classes and themes to choose from."""
    session = get_session()
    for name, enum_cls in (("status", ProposalStatus), ("level", Level), ("kind", PlacementKind)):
        enum_arg(name, enum_cls)  # an unknown value is a 400 that says which filter to fix
    form = ReviewFilterForm(request.args)
    anything = [SelectChoice("", _("All"))]
    found_classes, found_themes = review.filter_choices(
        session=session, school_ids=reviewable_school_ids(current_user))
    classes, themes = tuple(found_classes), tuple(found_themes)
    form.status.choices = anything + enum_choices(ProposalStatus)
    form.level.choices = anything + enum_choices(Level)
    form.class_name.choices = anything + [SelectChoice(c, c) for c in classes]
    form.kind.choices = anything + enum_choices(PlacementKind)
    form.theme.choices = anything + [SelectChoice(slug, name) for slug, name in themes]
    if "status" not in request.args:
        form.status.data = ProposalStatus.proposed.value
    query = tuple(sorted((k, v) for k, v in request.args.items(multi=True) if k != "page"))
    return form, (query, classes, themes)


def _kept_html(key: tuple, template: str, **context) -> Markup:
    """``template`` rendered with ``context``, kept per language and ``key`` (which must say
    everything the rendering depends on; at most :data:`KEPT_HTML` of them per process)."""
    kept = current_app.extensions.setdefault(_KEPT_KEY, OrderedDict())
    key = (template, str(get_locale()), *key)
    html = kept.get(key)
    if html is None:
        # render_template escapes every value: its output is safe HTML as it stands.
        html = kept[key] = Markup(render_template(template, **context))  # noqa: S704
        while len(kept) > KEPT_HTML:
            kept.popitem(last=False)
    return html


def _filters_html(form: ReviewFilterForm, depends_on: tuple) -> Markup:
    """The filter form, kept per language, query and choices: its hundred options cost more
    than the rest of the page."""
    return _kept_html(depends_on, "review/_filters.html", form=form,
                      opened=bool(depends_on[0]))


def _filters(form: ReviewFilterForm) -> review.ReviewFilters:
    valid = form.validate()
    return review.ReviewFilters(
        status=form.status.data or "", level=form.level.data or "",
        class_name=form.class_name.data or "", kind=form.kind.data or "",
        theme=form.theme.data or "",
        max_km=float(form.max_km.data) if valid and form.max_km.data is not None else None,
        sort=form.sort.data or "student", group=form.group.data or "student")


def _bulk_form() -> BulkDecisionForm:
    form = BulkDecisionForm()
    form.reason_code.choices = reason_choices()
    return form


@bp.route("/")
@require_role(*REVIEWERS)
def index():
    form, depends_on = _filter_form()
    filters = _filters(form)
    data = review.review_page(session=get_session(), school_ids=reviewable_school_ids(current_user),
                              filters=filters, page=int_arg("page", 1) or 1)
    rows = queue_rows(data.rows, components=COMPONENTS, component_labels=COMPONENT_LABELS,
                      group_by_placement=filters.group == "placement")
    args = {k: v for k, v in request.args.items() if k != "page"}
    bulk = _bulk_form()
    return render_template("review/index.html", filters_html=_filters_html(form, depends_on),
                           data=data, rows=rows, args=args, bulk=bulk,
                           bulk_html=_kept_html((), "review/_bulk.html", bulk=bulk))


@bp.route("/decide", methods=["POST"])
@require_role(*REVIEWERS)
def decide():
    form = _bulk_form()
    back = request.form.get("back") or url_for("review.index")
    if not back.startswith("/review/"):
        back = url_for("review.index")
    if not form.validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(back)
    ids = [i for i in map(to_int, request.form.getlist("ids")) if i is not None and i > 0]
    if not ids:
        flash(_("Tick at least one proposal first."), "error")
        return redirect(back)
    proposals = [get_reviewable_proposal_or_404(i) for i in dict.fromkeys(ids)]
    decision = "reject" if form.reject.data else "approve"
    try:
        result = review.decide_many(session=get_session(), proposals=proposals,
                                    actor=current_user, decision=decision,
                                    reason_code=form.reason_code.data or "",
                                    reason=form.reason.data or "")
    except review.ReviewError as error:
        flash(str(error), "error")
        return redirect(back)
    if decision == "approve":
        flash(ngettext("%(num)s proposal approved and offered to the student.",
                       "%(num)s proposals approved and offered to the students.",
                       result.done), "success")
    else:
        flash(ngettext("%(num)s proposal rejected.", "%(num)s proposals rejected.",
                       result.done), "success")
    if result.skipped:
        flash(_("Skipped, because someone decided on them already: %(names)s.",
                names=", ".join(result.skipped)), "info")
    return redirect(back)


def _detail(proposal: MatchProposal, status: int = 200, **forms):
    session = get_session()
    student = related(StudentProfile, proposal.student_id)
    placement = related(Placement, proposal.placement_id)
    search = SearchForm(request.args)
    reject_form = forms.get("reject_form") or RejectForm()
    reject_form.reason_code.choices = reason_choices()
    alternatives = None
    if proposal.status in (ProposalStatus.proposed, ProposalStatus.approved,
                           ProposalStatus.offered) and "q" in request.args:
        alternatives = replacements.alternatives_page(
            session=session, proposal=proposal, query=text_arg("q"), page=int_arg("page") or 1)
    history = history_lines(session=session, proposal=proposal)
    return render_template(
        "review/detail.html", proposal=proposal, student=student, placement=placement,
        company=placement and review.company_of(session=session, placement=placement),
        approve_form=forms.get("approve_form") or ApproveForm(), reject_form=reject_form,
        note_form=forms.get("note_form") or NoteForm(note=proposal.counsellor_note),
        replace_form=forms.get("replace_form") or ReplaceForm(), search=search,
        alternatives=alternatives, history=history, confirm=ConfirmForm(),
        components=COMPONENTS, component_labels=COMPONENT_LABELS,
        needs_sending=proposal.status is ProposalStatus.student_accepted), status


@bp.route("/<int:proposal_id>")
@require_role(*REVIEWERS)
def detail(proposal_id: int):
    return _detail(get_reviewable_proposal_or_404(proposal_id))


@bp.route("/<int:proposal_id>/approve", methods=["POST"])
@require_role(*REVIEWERS)
def approve(proposal_id: int):
    proposal = get_reviewable_proposal_or_404(proposal_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        return _detail(proposal, 400, approve_form=form)
    try:
        review.approve(session=get_session(), proposal=proposal, actor=current_user,
                       note=form.note.data or "")
    except review.ReviewError as error:
        flash(str(error), "error")
        return redirect(url_for("review.detail", proposal_id=proposal.id))
    flash(_("Approved; the student can now say yes or no."), "success")
    return redirect(url_for("review.index"))


@bp.route("/<int:proposal_id>/reject", methods=["POST"])
@require_role(*REVIEWERS)
def reject(proposal_id: int):
    proposal = get_reviewable_proposal_or_404(proposal_id)
    form = RejectForm()
    form.reason_code.choices = reason_choices()
    if not form.validate_on_submit():
        return _detail(proposal, 400, reject_form=form)
    try:
        review.reject(session=get_session(), proposal=proposal, actor=current_user,
                      reason_code=form.reason_code.data, reason=form.reason.data or "")
    except review.ReviewError as error:
        attach_error(form, error)
        return _detail(proposal, 400, reject_form=form)
    flash(_("Rejected. This placement will not be proposed to the student again."), "success")
    return redirect(url_for("review.index"))


@bp.route("/<int:proposal_id>/note", methods=["POST"])
@require_role(*REVIEWERS)
def note(proposal_id: int):
    proposal = get_reviewable_proposal_or_404(proposal_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail(proposal, 400, note_form=form)
    review.set_note(session=get_session(), proposal=proposal, actor=current_user,
                    note=form.note.data or "")
    flash(_("Note saved."), "success")
    return redirect(url_for("review.detail", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/replace", methods=["POST"])
@require_role(*REVIEWERS)
def replace(proposal_id: int):
    proposal = get_reviewable_proposal_or_404(proposal_id)
    form = ReplaceForm()
    if not form.validate_on_submit():
        flash(_("Say why you replace the proposal: it is kept for accountability."), "error")
        return redirect(url_for("review.detail", proposal_id=proposal.id, q=""))
    placement_id = to_int(form.placement_id.data)
    if placement_id is None or placement_id <= 0:
        abort(404)
    placement = get_placement_or_404(placement_id)  # one this counsellor may see
    try:
        new = review.replace(session=get_session(), proposal=proposal, placement=placement,
                             actor=current_user, reason=form.reason.data,
                             breaking_rules=bool(form.breaking_rules.data))
    except review.ReviewError as error:
        flash(str(error), "error")
        return redirect(url_for("review.detail", proposal_id=proposal.id, q=""))
    flash(_("Replaced: %(title)s is offered to the student instead.", title=placement.title),
          "success")
    return redirect(url_for("review.detail", proposal_id=new.id))


@bp.route("/<int:proposal_id>/send", methods=["POST"])
@require_role(*REVIEWERS)
def send(proposal_id: int):
    proposal = get_reviewable_proposal_or_404(proposal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        offers.send_after_consent(session=get_session(), proposal=proposal, actor=current_user)
    except offers.OfferError as error:
        flash(str(error), "error")
    else:
        flash(_("Sent to the company."), "success")
    return redirect(url_for("review.detail", proposal_id=proposal.id))


@bp.route("/students")
@require_role(*REVIEWERS)
def students():
    overview = review.status_overview(session=get_session(),
                                      school_ids=reviewable_school_ids(current_user))
    waiting = [s for s in overview if s.proposal is None]
    return render_template("review/students.html", overview=overview, waiting=waiting)


@bp.route("/log.<fmt>")
@require_role(*REVIEWERS)
def log(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = review.decision_log_rows(session=get_session(),
                                    school_ids=reviewable_school_ids(current_user))
    return table_response(review.LOG_HEADER, rows, "beslissingen", fmt)


@bp.route("/matches.<fmt>")
@require_role(Role.counsellor, Role.coordinator, Role.admin)
def matches(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    schools = export_school_ids(current_user)
    session = get_session()
    if schools is None:
        rows = list(proposal_rows(session=session))
    else:
        rows = [row for school_id in schools
                for row in proposal_rows(session=session, school_id=school_id)]
    status_labels = {s.value: label(s) for s in ProposalStatus}
    rows = [(*row[:-2], status_labels.get(row[-2], row[-2]), row[-1]) for row in rows]
    return table_response(MATCHES_HEADER, rows, "matches", fmt)
