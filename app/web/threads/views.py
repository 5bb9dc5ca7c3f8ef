"""A proposal's message thread, its calendar file, and a contact's telephone number."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.db import get_session
from app.models import MatchProposal, Placement, Role
from app.permissions import current_actor, related, require_role
from app.permissions.threads import (
    get_agreed_proposal_or_404,
    get_thread_or_404,
    thread_role,
)
from app.services import agreed, threads
from app.web.threads.forms import MessageForm, PhoneForm

bp = Blueprint("threads", __name__, url_prefix="/proposals")

PEOPLE = (Role.student, Role.counsellor, Role.admin, Role.company)
STAFF = (Role.counsellor, Role.admin, Role.company)


def _back(proposal: MatchProposal, role: str) -> str:
    """The proposal's own page for this role."""
    if role == "student":
        return url_for("offers.index")
    if role == "company":
        return url_for("candidates.detail", proposal_id=proposal.id)
    return url_for("review.detail", proposal_id=proposal.id)


def _page(proposal: MatchProposal, form: MessageForm, status: int = 200):
    user = current_actor()
    role = thread_role(user, proposal) or ""
    messages = threads.messages_for(session=get_session(), proposal=proposal, reader=user,
                                    role=role)
    return render_template("threads/thread.html", proposal=proposal, role=role,
                           placement=related(Placement, proposal.placement_id),
                           messages=messages, form=form, back=_back(proposal, role)), status


@bp.route("/<int:proposal_id>/messages")
@require_role(*PEOPLE)
def thread(proposal_id: int):
    return _page(get_thread_or_404(proposal_id), MessageForm())


@bp.route("/<int:proposal_id>/messages", methods=["POST"])
@require_role(*PEOPLE)
def post(proposal_id: int):
    proposal = get_thread_or_404(proposal_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _page(proposal, form, 400)
    user = current_actor()
    try:
        threads.post_message(session=get_session(), proposal=proposal, author=user,
                             role=thread_role(user, proposal) or "", body=form.body.data or "")
    except threads.MessageError as error:
        form.body.errors = [str(error)]
        return _page(proposal, form, 400)
    flash(_("Message sent."), "success")
    return redirect(url_for("threads.thread", proposal_id=proposal.id) + "#messages")


@bp.route("/<int:proposal_id>/calendar.ics")
@require_role(*PEOPLE)
def calendar(proposal_id: int):
    proposal = get_agreed_proposal_or_404(proposal_id)
    domain = urlsplit(str(current_app.config.get("BASE_URL") or "")).hostname or "talentmatch"
    try:
        body = agreed.calendar_file(session=get_session(), proposal=proposal, domain=domain)
    except agreed.AgreedError as error:
        flash(str(error), "error")
        return redirect(url_for("threads.thread", proposal_id=proposal.id))
    return Response(body, content_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="stage-{proposal.id}.ics"'})


@bp.route("/phone", methods=["GET", "POST"])
@require_role(*STAFF)
def phone():
    user = current_actor()
    form = PhoneForm(phone=agreed.phone_of(session=get_session(), user=user))
    if form.validate_on_submit():
        try:
            agreed.set_phone(session=get_session(), user=user, phone=form.phone.data or "")
        except agreed.AgreedError as error:
            form.phone.errors = [str(error)]
        else:
            flash(_("Your telephone number is saved."), "success")
            return redirect(url_for("threads.phone"))
    return render_template("threads/phone.html", form=form)
