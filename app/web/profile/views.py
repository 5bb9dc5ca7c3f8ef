"""A student's own profile, data export and deletion request."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import Gender, Level, Pathway, PlacementKind, Role, School, Theme
from app.models.labels import theme_label
from app.permissions import (
    own_student_profile,
    related,
    require_role,
)
from app.services import (
    choices,
    personal_data_page,
    students,
)
from app.web.profile.forms import DeletionRequestForm, ProfileForm

from ...models.base import local_today

bp = Blueprint("profile", __name__, url_prefix="/me")


def _own_profile():
    profile = own_student_profile(current_user)
    if profile is None:
        flash(_("Your profile has not been set up yet. Ask your counsellor."), "error")
    return profile


def _fill_choices(form: ProfileForm, profile) -> list[Theme]:
    session = get_session()
    region_id = related(School, profile.school_id).region_id
    schools = choices.schools_of_region(session=session, region_id=region_id)
    form.school_id.choices = [SelectChoice(s.id, f"{s.name} ({s.place})") for s in schools]
    themes = choices.themes(session=session, technical_first=True)
    form.themes.choices = [SelectChoice(t.slug, theme_label(t)) for t in themes]
    return themes


def _posted() -> bool:
    return request.method == "POST"


@bp.route("/profile", methods=["GET", "POST"])
@require_role(Role.student)
def edit():
    session = get_session()
    profile = _own_profile()
    if profile is None:
        return redirect(url_for("main.home"))
    form = ProfileForm(obj=None if _posted() else profile)
    themes = _fill_choices(form, profile)
    if not _posted():
        form.level.data = profile.level.value
        form.pathway.data = profile.pathway.value if profile.pathway else ""
        form.wanted_kinds.data = list(profile.wanted_kinds)
        form.themes.data = students.theme_slugs_of(session=session, student=profile)
        form.gender.data = students.gender_of(session=session, student=profile).value
    if form.validate_on_submit():
        changes = students.ProfileChanges(
            school_id=form.school_id.data, level=Level(form.level.data),
            pathway=Pathway(form.pathway.data) if form.pathway.data else None,
            school_year=form.school_year.data, class_name=form.class_name.data or "",
            postcode=form.postcode.data, travel_km=form.travel_km.data,
            available_from=form.available_from.data, available_until=form.available_until.data,
            days_per_week=form.days_per_week.data,
            wanted_kinds=[PlacementKind(k) for k in form.wanted_kinds.data],
            interests_text=form.interests_text.data or "", theme_slugs=form.themes.data,
            dream_job=form.dream_job.data or "",
            wants_role_model=form.wants_role_model.data, gender=Gender(form.gender.data),
        )
        problems = students.profile_problems(session=session, student=profile, changes=changes)
        for name, message in problems.items():
            getattr(form, name).errors.append(message)
        if not problems:
            students.update_profile(session=session, student=profile, changes=changes)
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("main.home"))
    return render_template("profile/edit.html", form=form, themes=themes)


@bp.route("/export.json")
@require_role(Role.student)
def export():
    profile = _own_profile()
    if profile is None:
        return redirect(url_for("main.home"))
    data = students.export_student_data(session=get_session(), student=profile)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="talentmatch-mijn-gegevens.json"',
        "Cache-Control": "no-store"})


@bp.route("/data")
@require_role(Role.student)
def data_page():
    """The same data as the download, as a page to read and print."""
    profile = _own_profile()
    if profile is None:
        return redirect(url_for("main.home"))
    sections = personal_data_page.readable_export(session=get_session(), student=profile)
    return render_template("profile/data.html", sections=sections, profile=profile,
                           today=local_today())


@bp.route("/privacy", methods=["GET", "POST"])
@require_role(Role.student)
def privacy():
    profile = _own_profile()
    if profile is None:
        return redirect(url_for("main.home"))
    form = DeletionRequestForm()
    if form.validate_on_submit():
        students.request_deletion(session=get_session(), student=profile)
        flash(_("Your request is sent. Your counsellor will delete your data."), "success")
        return redirect(url_for("profile.privacy"))
    return render_template("profile/privacy.html", form=form, profile=profile)
