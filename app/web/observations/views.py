"""Recording and correcting talent observations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import Activity, School, StudentProfile
from app.models.labels import theme_label
from app.permissions import (
    can_edit_observation,
    can_view_student,
    current_actor,
    get_activity_or_404,
    get_observable_student_or_404,
    get_observation_or_404,
    get_readable_observation_or_404,
    related,
)
from app.services import choices
from app.services import observations as service
from app.services.activities import theme_ids_of
from app.web.observations.forms import ObservationForm
from app.web.ui.fields import attach_error
from app.web.ui.query_params import int_arg

bp = Blueprint("observations", __name__, url_prefix="/observations")


def _fill_choices(form: ObservationForm, activity: Activity) -> None:
    """Every theme, those of the activity first: observers usually start from them."""
    session = get_session()
    first = set(theme_ids_of(session=session, activity=activity))
    themes = sorted(choices.themes(session=session), key=lambda t: t.id not in first)
    form.themes.choices = [SelectChoice(t.id, theme_label(t)) for t in themes]


def _student_context(student: StudentProfile) -> dict:
    """Observers who may not open the student's page see first name, school and class only."""
    return {"student": student, "school": related(School, student.school_id),
            "full_name": can_view_student(current_user, student)}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    session = get_session()
    user = current_actor()
    activity_id = int_arg("activity")
    student_id = int_arg("student")
    if activity_id is None or student_id is None:
        abort(404)
    activity = get_activity_or_404(activity_id)
    student = get_observable_student_or_404(activity, student_id)
    refused = service.observation_refused(session=session, activity=activity, student=student)
    if refused is not None:
        # Said before the form is filled in, not after.
        flash(str(refused), "warning")
        return redirect(url_for("activities.detail", activity_id=activity.id))
    form = ObservationForm()
    _fill_choices(form, activity)
    if form.validate_on_submit():
        try:
            service.record_observation(
                session=session, activity=activity, student=student, observer=user,
                theme_ids=form.themes.data or [], skills=form.skills.data or "",
                strength=form.strength.data, note=form.note.data or "")
        except service.ObservationError as error:
            attach_error(form, error)
        else:
            flash(_("Your observation of %(name)s is saved.", name=student.first_name),
                  "success")
            return redirect(url_for("activities.detail", activity_id=activity.id,
                                    _anchor="observations"))
    return render_template("observations/form.html", form=form, activity=activity,
                           observation=None, **_student_context(student))


@bp.route("/<int:observation_id>")
@login_required
def detail(observation_id: int):
    session = get_session()
    observation, student = get_readable_observation_or_404(observation_id)
    data = service.observation_detail(session=session, observation=observation)
    return render_template("observations/detail.html", data=data,
                           can_edit=can_edit_observation(current_user, observation),
                           **_student_context(student))


@bp.route("/<int:observation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(observation_id: int):
    session = get_session()
    observation = get_observation_or_404(observation_id)
    if not can_edit_observation(current_user, observation):
        abort(404)  # an admin may open it, but only the author corrects it
    current_themes = service.observation_themes(session=session, observation=observation)
    form = ObservationForm(data={"themes": [t.id for t in current_themes],
                                 "skills": observation.skills,
                                 "strength": observation.strength, "note": observation.note})
    activity = related(Activity, observation.activity_id)
    _fill_choices(form, activity)
    if form.validate_on_submit():
        try:
            revision = service.correct_observation(
                session=session, observation=observation,
                editor=current_actor(), theme_ids=form.themes.data or [],
                skills=form.skills.data or "", strength=form.strength.data,
                note=form.note.data or "")
        except service.ObservationError as error:
            attach_error(form, error)
        else:
            if revision is None:
                flash(_("Nothing was changed."), "info")
            else:
                flash(_("Your correction is saved; the earlier version is kept in the "
                        "history."), "success")
            return redirect(url_for(".detail", observation_id=observation.id))
    student = related(StudentProfile, observation.student_id)
    return render_template("observations/form.html", form=form, activity=activity,
                           observation=observation, **_student_context(student))
