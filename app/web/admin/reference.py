"""Administration of schools (admins all, coordinators their region's) and regions (admins
only). The rules are those of :mod:`app.services.reference`; every change is logged."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.db import get_session
from app.models import Level, Region, Role, School
from app.permissions import (
    get_managed_region_or_404,
    get_managed_school_or_404,
    related,
    require_role,
)
from app.services import admin_log, choices, reference
from app.services import admin_users as service
from app.web.admin.forms import RegionForm, SchoolForm
from app.web.admin.views import administrator, bp, scope_region
from app.web.ui.fields import attach_error, enum_choices
from app.web.ui.query_params import int_arg, text_arg

SCHOOL_FIELDS = ("code", "name", "kind", "postcode", "place", "region_id", "levels")
REGION_FIELDS = ("name", "slug", "answer_days", "student_answer_days")


# --- schools ----------------------------------------------------------------------------

@bp.route("/schools")
@require_role(Role.admin, Role.coordinator)
def schools():
    actor = administrator()
    query = text_arg("q", max_length=100)
    data = service.list_schools(session=get_session(), region_id=scope_region(actor),
                                query=query, page=int_arg("page", 1) or 1)
    return render_template("admin/schools.html", data=data, query=query,
                           args={"q": query} if query else {})


def _school_form(form: SchoolForm, region_id: int | None) -> SchoolForm:
    form.levels.choices = enum_choices(Level)
    if region_id is None:
        form.region_id.choices = [SelectChoice("", _("Choose a region")), *[
            SelectChoice(r.id, r.name) for r in choices.regions(session=get_session())]]
    else:
        del form.region_id
    return form


def _chosen_region(form: SchoolForm, region_id: int | None) -> Region | None:
    """The region the school goes to: the coordinator's own, or the one an admin chose."""
    chosen = region_id if region_id is not None else form.region_id.data
    if chosen is None:
        return None
    return get_managed_region_or_404(chosen) if region_id is None else related(Region, chosen)


def _school_values(form: SchoolForm) -> dict:
    return {"code": form.code.data or "", "name": form.name.data or "",
            "kind": form.kind.data or "", "postcode": form.postcode.data or "",
            "place": form.place.data or None, "levels": form.levels.data or None}


@bp.route("/schools/new", methods=["GET", "POST"])
@require_role(Role.admin, Role.coordinator)
def new_school():
    actor = administrator()
    region_id = scope_region(actor)
    form = _school_form(SchoolForm(), region_id)
    if form.validate_on_submit():
        region = _chosen_region(form, region_id)
        session = get_session()
        try:
            if region is None:
                raise reference.SchoolDataError(_("Choose a region."), field="region_id")
            school = reference.create_school(session=session, region=region,
                                             **_school_values(form))
        except reference.ReferenceDataError as error:
            session.rollback()
            attach_error(form, error)
        else:
            admin_log.note(session=session, actor=actor, action="school.create",
                           object_type="school", object_id=school.id,
                           after=admin_log.snapshot(school, SCHOOL_FIELDS))
            flash(_("The school is added."), "success")
            return redirect(url_for(".school", school_id=school.id))
    return render_template("admin/school.html", form=form, school=None)


@bp.route("/schools/<int:school_id>", methods=["GET", "POST"])
@require_role(Role.admin, Role.coordinator)
def school(school_id: int):
    actor = administrator()
    region_id = scope_region(actor)
    item: School = get_managed_school_or_404(school_id)
    form = _school_form(SchoolForm(data={
        "code": item.code, "name": item.name, "kind": item.kind.value,
        "postcode": item.postcode, "place": item.place, "levels": list(item.levels),
        "region_id": item.region_id}), region_id)
    if form.validate_on_submit():
        session = get_session()
        before = admin_log.snapshot(item, SCHOOL_FIELDS)
        try:
            reference.update_school(session=session, school=item,
                                    region=_chosen_region(form, region_id),
                                    **_school_values(form))
        except reference.ReferenceDataError as error:
            session.rollback()
            attach_error(form, error)
        else:
            admin_log.note(session=session, actor=actor, action="school.change",
                           object_type="school", object_id=item.id, before=before,
                           after=admin_log.snapshot(item, SCHOOL_FIELDS))
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".school", school_id=item.id))
    return render_template("admin/school.html", form=form, school=item)


# --- regions (admins only) --------------------------------------------------------------

@bp.route("/regions")
@require_role(Role.admin)
def regions():
    query = text_arg("q", max_length=100)
    data = service.list_regions(session=get_session(), query=query,
                                page=int_arg("page", 1) or 1)
    return render_template("admin/regions.html", data=data, query=query,
                           args={"q": query} if query else {})


def _save_region(form: RegionForm, region: Region | None):
    session = get_session()
    before = admin_log.snapshot(region, REGION_FIELDS) if region else {}
    values = {"name": form.name.data or "", "slug": form.slug.data or None,
              "answer_days": form.answer_days.data,
              "student_answer_days": form.student_answer_days.data}
    try:
        if region is None:
            region = reference.create_region(session=session, **values)
        else:
            reference.update_region(session=session, region=region, **values)
    except reference.ReferenceDataError as error:
        session.rollback()
        attach_error(form, error)
        return None
    admin_log.note(session=session, actor=administrator(),
                   action="region.change" if before else "region.create",
                   object_type="region", object_id=region.id, before=before,
                   after=admin_log.snapshot(region, REGION_FIELDS))
    flash(_("The region is saved."), "success")
    return redirect(url_for(".region", region_id=region.id))


@bp.route("/regions/new", methods=["GET", "POST"])
@require_role(Role.admin)
def new_region():
    form = RegionForm()
    if form.validate_on_submit() and (done := _save_region(form, None)) is not None:
        return done
    return render_template("admin/region.html", form=form, region=None)


@bp.route("/regions/<int:region_id>", methods=["GET", "POST"])
@require_role(Role.admin)
def region(region_id: int):
    item = get_managed_region_or_404(region_id)
    form = RegionForm(data={"name": item.name, "slug": item.slug,
                            "answer_days": item.answer_days,
                            "student_answer_days": item.student_answer_days})
    if form.validate_on_submit() and (done := _save_region(form, item)) is not None:
        return done
    return render_template("admin/region.html", form=form, region=item)
