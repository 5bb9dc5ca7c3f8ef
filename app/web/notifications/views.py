"""Everyone's own notifications, and the switch for notification e-mails."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from wtforms import BooleanField, SubmitField

from app.db import get_session
from app.permissions import current_actor
from app.services import notifications as service
from app.web.auth.login import signed_in_now
from app.web.ui.fields import Form
from app.web.ui.safe_redirect import safe_next

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


class MarkAllReadForm(Form):
    submit = SubmitField(_l("Mark all as read"))


class EmailSettingsForm(Form):
    email_notifications = BooleanField(
        _l("Also send me my notifications by e-mail"),
        description=_l("You always see them here, whatever you choose."))
    submit = SubmitField(_l("Save"))


@bp.app_context_processor
def _unread():
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        found = signed_in_now(current_actor())
        if found is not None:
            return found.unread_notifications
        try:
            return service.unread_count(session=get_session(), user=current_user)
        # The menu count must never turn a page (an error page above all) into a 500.
        except SQLAlchemyError:
            return 0

    return {"unread_notifications": unread_notifications}


@bp.route("/")
@login_required
def index():
    notes = service.notifications_of(session=get_session(), user=current_user)
    settings_form = EmailSettingsForm(formdata=None,
                                      email_notifications=current_user.email_notifications)
    return render_template("notifications/index.html", notes=notes,
                           read_form=MarkAllReadForm(formdata=None), settings_form=settings_form)


@bp.route("/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    session = get_session()
    note = service.own_notification(session=session, user=current_user,
                                    notification_id=notification_id)
    if note is None:
        abort(404)
    service.mark_read(session=session, notification=note)
    return redirect(safe_next(note.link) or url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    if MarkAllReadForm().validate_on_submit():
        service.mark_all_read(session=get_session(), user=current_user)
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["POST"])
@login_required
def settings():
    form = EmailSettingsForm()
    if form.validate_on_submit():
        enabled = bool(form.email_notifications.data)
        service.set_email_notifications(session=get_session(),
                                        user=current_actor(),
                                        enabled=enabled)
        flash(_("You will get your notifications by e-mail too.") if enabled
              else _("You will no longer get notification e-mails."), "success")
    return redirect(url_for("notifications.index"))
