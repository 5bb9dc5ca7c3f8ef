"""Group events: the coordinator assigns school groups to host companies and publishes it;
each school's counsellors see where their groups go."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import GroupEventStatus, GroupRequest, HostOffer, Role
from app.models.labels import label
from app.permissions import (
    can_organise_group_events,
    current_actor,
    get_event_item_or_404,
    get_managed_group_event_or_404,
    own_school,
    require_role,
)
from app.services import choices
from app.services import group_events as service
from app.web.group_events.forms import (
    AGE_LABELS,
    EventForm,
    GroupForm,
    HostForm,
    ImportForm,
    age_choices,
)
from app.web.ui.fields import attach_error
from app.web.ui.forms import ConfirmForm

bp = Blueprint("group_events", __name__, url_prefix="/group-events")

STATUS_LABELS = {GroupEventStatus.draft: _l("Draft"),
                 GroupEventStatus.published: _l("Published")}












def _label_context() -> dict:
    return {"age_labels": AGE_LABELS, "status_labels": STATUS_LABELS}


# --- the list -------------------------------------------------------------------------------

@bp.route("/")
@require_role(Role.counsellor, Role.coordinator, Role.admin)
def index():
    session = get_session()
    user = current_actor()
    if user.role is Role.counsellor:
        school = own_school(user)
        events = service.school_events(session=session, school=school) if school else []
        return render_template("group_events/school.html", school=school, events=events,
                               **_label_context())
    region_id = None if user.role is Role.admin else user.region_id
    events = service.list_events(session=session, region_id=region_id) \
        if user.role is Role.admin or region_id is not None else []
    return render_template("group_events/index.html", events=events,
                           can_create=can_organise_group_events(user), **_label_context())


@bp.route("/new", methods=["GET", "POST"])
@require_role(Role.coordinator, Role.admin)
def new():
    session = get_session()
    user = current_actor()
    if not can_organise_group_events(user):
        abort(403)
    form = EventForm()
    form.kind.choices = [SelectChoice(kind.value, label(kind)) for kind in service.EVENT_KINDS]
    if user.role is Role.admin:
        regions = choices.regions(session=session)
        form.region_id.choices = [SelectChoice("", _("Choose a region")),
                                  *[SelectChoice(r.id, r.name) for r in regions]]
        activities = [a for r in regions
                      for a in service.region_activities(session=session, region_id=r.id)]
    else:
        del form.region_id
        activities = service.region_activities(session=session, region_id=user.region_id)
    form.activity_id.choices = [SelectChoice("", _("None")), *[
        SelectChoice(a.id, f"{a.title} · {format_date(a.starts_on, 'long')}")
        for a in activities]]
    if form.validate_on_submit():
        try:
            event = service.create_event(
                session=session, user=user, kind=form.kind.data, title=form.title.data,
                held_on=form.held_on.data, activity_id=form.activity_id.data,
                region_id=form.region_id.data if "region_id" in form else None)
        except service.GroupEventError as error:
            attach_error(form, error)
        else:
            flash(_("“%(title)s” is created. Now enter the groups and the hosts.",
                    title=event.title), "success")
            return redirect(url_for(".detail", event_id=event.id))
    return render_template("group_events/form.html", form=form)


# --- one event ----------------------------------------------------------------------------

def _forms(event, *, group_form=None, host_form=None, group_import=None, host_import=None):
    session = get_session()
    group_form = group_form or GroupForm(formdata=None)
    group_form.school_id.choices = [SelectChoice("", _("Choose a school")), *[
        SelectChoice(s.id, s.name)
        for s in service.region_schools(session=session, region_id=event.region_id)]]
    group_form.age_group.choices = [SelectChoice("", _("The usual one for the school")),
                                    *age_choices()]
    host_form = host_form or HostForm(formdata=None)
    host_form.company_id.choices = [SelectChoice("", _("Choose a company")), *[
        SelectChoice(c.id, f"{c.name} · {c.place}")
        for c in service.region_companies(session=session, region_id=event.region_id)]]
    host_form.age_groups.choices = age_choices()
    return {"group_form": group_form, "host_form": host_form,
            "group_import": group_import or ImportForm(formdata=None, prefix="groups"),
            "host_import": host_import or ImportForm(formdata=None, prefix="hosts")}


def _render(event, status: int = 200, **forms):
    session = get_session()
    data = service.event_detail(session=session, event=event)
    return render_template(
        "group_events/detail.html", data=data, confirm=ConfirmForm(),
        summary=service.summary_lines(event.summary), **_forms(event, **forms),
        **_label_context()), status


def _back(event, anchor: str | None = None):
    return redirect(url_for(".detail", event_id=event.id, _anchor=anchor))


@bp.route("/<int:event_id>")
@require_role(Role.coordinator, Role.admin)
def detail(event_id: int):
    return _render(get_managed_group_event_or_404(event_id))


@bp.route("/<int:event_id>/groups", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def add_group(event_id: int):
    event = get_managed_group_event_or_404(event_id)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            service.add_group(session=get_session(), event=event,
                              school_id=form.school_id.data, name=form.name.data or "",
                              size=form.size.data, age_group=form.age_group.data or None)
        except service.GroupEventError as error:
            attach_error(form, error)
        else:
            flash(_("The group is added."), "success")
            return _back(event, "groups")
    return _render(event, 400, group_form=form)


def _remove(event_id: int, model, item_id: int, remove, done: str, tab: str):
    """Removes a group or host of the event (another event's answers 404)."""
    session = get_session()
    event = get_managed_group_event_or_404(event_id)
    item = get_event_item_or_404(event, model, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            remove(session, event, item)
        except service.GroupEventError as error:
            flash(str(error), "error")
        else:
            flash(done, "success")
    return _back(event, tab)


@bp.route("/<int:event_id>/groups/<int:request_id>/remove", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def remove_group(event_id: int, request_id: int):
    return _remove(event_id, GroupRequest, request_id,
                   lambda session, event, group: service.remove_group(
                       session=session, event=event, request=group),
                   _("The group is removed."), "groups")


def _import(event, kind: str):
    form = ImportForm(prefix=kind)
    if form.validate_on_submit():
        run = service.import_groups if kind == "groups" else service.import_hosts
        try:
            result = run(session=get_session(), event=event, text=form.text.data or "")
        except service.GroupEventError as error:
            form.text.errors = [str(error), *error.problems[:20]]
            if len(error.problems) > 20:
                form.text.errors.append(ngettext("… and %(num)s more line.",
                                                 "… and %(num)s more lines.",
                                                 len(error.problems) - 20))
        else:
            flash(result.message, "success")
            return _back(event, kind)
    return _render(event, 400, **{f"{kind[:-1]}_import": form})


@bp.route("/<int:event_id>/groups/import", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def import_groups(event_id: int):
    return _import(get_managed_group_event_or_404(event_id), "groups")


@bp.route("/<int:event_id>/hosts", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def add_host(event_id: int):
    event = get_managed_group_event_or_404(event_id)
    form = HostForm()
    form.age_groups.choices = age_choices()
    if form.validate_on_submit():
        try:
            service.add_host(session=get_session(), event=event,
                             company_id=form.company_id.data, capacity=form.capacity.data,
                             age_groups=form.age_groups.data or [])
        except service.GroupEventError as error:
            attach_error(form, error)
        else:
            flash(_("The host is added."), "success")
            return _back(event, "hosts")
    return _render(event, 400, host_form=form)


@bp.route("/<int:event_id>/hosts/<int:offer_id>/remove", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def remove_host(event_id: int, offer_id: int):
    return _remove(event_id, HostOffer, offer_id,
                   lambda session, event, offer: service.remove_host(
                       session=session, event=event, offer=offer),
                   _("The host is removed."), "hosts")


@bp.route("/<int:event_id>/hosts/import", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def import_hosts(event_id: int):
    return _import(get_managed_group_event_or_404(event_id), "hosts")


def _action(event_id: int, act):
    event = get_managed_group_event_or_404(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        message = act(event)
    except service.GroupEventError as error:
        flash(str(error), "error")
    else:
        flash(message, "success")
    return _back(event)


@bp.route("/<int:event_id>/assign", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def assign(event_id: int):
    def act(event):
        service.run_assignment(session=get_session(), event=event)
        return _("The assignment is ready. Review it below, then publish it.")

    return _action(event_id, act)


@bp.route("/<int:event_id>/publish", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def publish(event_id: int):
    def act(event):
        schools = service.publish(session=get_session(), event=event)
        return ngettext("Published: %(num)s school can see where its groups go.",
                        "Published: %(num)s schools can see where their groups go.", schools)

    return _action(event_id, act)


@bp.route("/<int:event_id>/reopen", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def reopen(event_id: int):
    def act(event):
        service.reopen(session=get_session(), event=event)
        return _("The event is a draft again: the schools no longer see the assignment.")

    return _action(event_id, act)


@bp.route("/<int:event_id>/delete", methods=["POST"])
@require_role(Role.coordinator, Role.admin)
def delete(event_id: int):
    event = get_managed_group_event_or_404(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.delete_event(session=get_session(), event=event)
    except service.GroupEventError as error:
        flash(str(error), "error")
        return _back(event)
    flash(_("The event is deleted."), "success")
    return redirect(url_for(".index"))
