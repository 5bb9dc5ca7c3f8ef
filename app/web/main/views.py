"""Home pages per role, and the health check."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.db import get_session
from app.models import Role
from app.permissions import (
    current_actor,
    own_region,
    require_role,
)
from app.services import dashboards, regions
from app.web.main.forms import AnswerDaysForm
from app.web.ui.query_params import int_arg

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login"))


@bp.route("/home")
@login_required
def home():
    session = get_session()
    user = current_actor()
    if user.role is Role.student:
        data = dashboards.student_home(session=session, user=user)
        return render_template("home/student.html", data=data)
    if user.role is Role.counsellor:
        page = int_arg("page", 1)
        data = dashboards.counsellor_home(session=session, user=user, page=page)
        return render_template("home/counsellor.html", data=data)
    if user.role is Role.company:
        data = dashboards.company_home(session=session, user=user)
        return render_template("home/company.html", data=data)
    if user.role is Role.coordinator:
        region = own_region(user)
        figures = dashboards.region_figures(session=session, region=region) if region else None
        form = AnswerDaysForm(formdata=None, answer_days=region.answer_days if region else 10)
        return render_template("home/coordinator.html", figures=figures, form=form)
    if user.role is Role.admin:
        figures = dashboards.all_region_figures(session=session)
        return render_template("home/admin.html", regions=figures)
    if user.role is Role.observer:
        activities = dashboards.observer_home(session=session, user=user)
        return render_template("home/observer.html", activities=activities)
    abort(403)


@bp.route("/healthz")
def healthz():
    ok = dashboards.database_ok(session=get_session())
    body = {"status": "ok" if ok else "error", "database": "ok" if ok else "unreachable"}
    return body, 200 if ok else 503


@bp.route("/region/answer-days", methods=["POST"])
@require_role(Role.coordinator)
def answer_days():
    session = get_session()
    region = own_region(current_actor())
    form = AnswerDaysForm()
    if region is None:
        abort(404)
    if form.validate_on_submit():
        try:
            regions.set_answer_days(session=session, region=region, days=form.answer_days.data)
        except regions.RegionError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved: companies now have %(n)s working days to answer.",
                    n=region.answer_days), "success")
    else:
        flash(_("Give a whole number of working days."), "error")
    return redirect(url_for("main.home"))
