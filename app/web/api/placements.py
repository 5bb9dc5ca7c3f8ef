"""Companies and their placements, with the web's rights.

A company is read through ``get_company_or_404`` (its own for a contact, the region's for
everyone else, every company for an admin), a placement through ``get_placement_or_404`` (a
draft only by its company and admins). The lists hold the rows of the same scopes: the
account's company, or its region's companies and their published placements (a placement of
another region that a counsellor decides on is read by its id, as on the web).

A company contact (or an admin) posts and changes a placement with ``PUT`` on its natural key,
the company and the placement's reference (code): the row is checked by the placements
import's own reader, so the messages are the import's, and written by the service the
company's form uses. A new placement is a draft; ``publish``, ``pause``, ``reopen`` and
``close`` change its status as the placement page's buttons do.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from app.db import get_session
from app.models import ApiArea, Company, Placement, PlacementKind, PlacementStatus, Role
from app.permissions import (
    can_edit_company,
    can_view_company,
    can_view_placement,
    current_actor,
    get_company_or_404,
    get_placement_or_404,
    related,
    user_company_ids,
    user_region_id,
)
from app.services import api_lists_placements as lists
from app.services import placements as service
from app.services.api_placement_rows import check_row, find_placement, put_placement
from app.services.imports.placements import DAYS_PER_WEEK, HOURS_PER_WEEK, MAX_CAPACITY
from app.web.api.import_fields import ImportRowIn, number, one_of
from app.web.api.paging import Page, PageQuery, page_of
from app.web.api.problems import REFUSED, VALIDATION, ApiProblem, FieldError, problem_content
from app.web.api.resource import not_yours, resource

bp = resource("placements", __name__, area=ApiArea.placements, tag="placements",
              description="Companies and their placements. Scope: placements:read/write.")

ROW_ID = Field(ge=1, le=2**31 - 1)
CONFLICT = {409: problem_content("The placement's status does not allow this (the service's "
                                 "message says why); nothing was changed.")}


class CompanyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kvk: str = Field(description="Chamber of commerce (KvK) number.")
    sector: str
    postcode: str
    place: str
    region_id: int
    website: str
    recognised: bool = Field(description="Erkend leerbedrijf (recognised by SBB).")
    offers_mentor: bool
    female_role_model: bool


class CompanyPage(Page[CompanyOut]):
    """A page of companies."""


class CompanyQuery(PageQuery):
    kvk: str | None = Field(None, max_length=8, description="Only the company with this KvK "
                                                          "number.")


class CompanyPath(BaseModel):
    company_id: int = ROW_ID


class PlacementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    company_id: int
    code: str = Field(description="The company's reference of the placement.")
    title: str
    kind: str
    status: str = Field(description="draft, open, paused or closed.")
    levels: list[str]
    themes: list[str] = Field(default_factory=list, description="Theme slugs.")
    description: str
    learn_and_do: str
    postcode: str
    place: str
    capacity: int
    places_taken: int
    starts_on: date | None
    ends_on: date | None
    days_per_week: int | None
    hours_per_week: int | None
    allowance: str
    application_deadline: date | None
    occupation_code: str
    occupation_label: str
    updated_at: datetime


class PlacementPage(Page[PlacementOut]):
    """A page of placements."""


class PlacementQuery(PageQuery):
    status: str | None = Field(None, max_length=20, description="draft, open, paused or "
                                                                "closed.")
    kind: str | None = Field(None, max_length=40, description="A placement kind, e.g. "
                                                              "snuffelstage.")
    company: int | None = Field(None, ge=1, le=2**31 - 1, description="A company's id.")
    code: str | None = Field(None, max_length=40, description="A placement's reference.")


class PlacementPath(BaseModel):
    placement_id: int = ROW_ID


class PlacementKeyPath(BaseModel):
    company_id: int = ROW_ID
    code: str = Field(min_length=1, max_length=200, description="The placement's reference.")


# The import needs at least one level (an empty list is an empty cell: its message).
LEVELS = {"type": "array", "minItems": 1, "items": {"type": "string", "maxLength": 40}}


class PlacementIn(ImportRowIn):
    """A placement, field by field as the placements import's columns (docs/imports.md):
    the same values are accepted and the same messages given."""

    model_config = ConfigDict(extra="ignore")  # as it always was: other fields are ignored

    IMPORT_KIND: ClassVar[str] = "placements"
    FILLED: ClassVar[frozenset[str]] = frozenset({"company_kvk", "code"})  # the path

    title: str
    description: str = ""
    kind: Annotated[str, one_of(PlacementKind)] = Field(
        description="snuffelstage, bol, bbl, hbo, fieldlab, ... (as the import's 'soort').")
    levels: Annotated[list[str], WithJsonSchema(LEVELS)] = Field(
        description="e.g. [\"vmbo-kb\", \"vmbo-gl\"]: at least one.")
    themes: list[str] = Field(description="Theme names or slugs, at least one.")
    capacity: Annotated[int | str, number(1, MAX_CAPACITY)] = Field(
        description=f"Places, 1 to {MAX_CAPACITY}.")
    postcode: str | None = Field(None, description="Four digits; the company's when left "
                                                   "out.")
    start: str | None = Field(None, description="First day, 2026-10-07 or 7-10-2026.")
    end: str | None = Field(None, description="Last day.")
    days_per_week: Annotated[int | str | None, number(1, DAYS_PER_WEEK)] = None
    hours_per_week: Annotated[int | str | None, number(1, HOURS_PER_WEEK)] = Field(
        None, description=f"1 to {HOURS_PER_WEEK}, at most 10 a day.")
    allowance: str | None = None
    deadline: str | None = Field(None, description="Last day to apply.")
    learn_and_do: str | None = None


class StatusIn(BaseModel):
    reason: str = Field("", max_length=500, description="Why, for the placement's history.")


# --- companies ---------------------------------------------------------------------------

def _company_scope() -> dict:
    """The companies the account sees on the web, as list arguments (see the module's
    docstring); every row is checked by can_view_company as well."""
    user = current_actor()
    if user.role is Role.admin:
        return {}
    if user.role is Role.company:
        return {"company_ids": user_company_ids(user)}
    return {"region_id": user_region_id(user) or -1}


@bp.get("/companies", responses={200: CompanyPage})
def list_companies(query: CompanyQuery):
    """The companies the token's account may see, by id; filter by KvK number."""
    user = current_actor()
    rows, cursor = page_of(get_session(), lists.companies(kvk=query.kvk, **_company_scope()),
                           Company.id, query)
    return CompanyPage(items=[CompanyOut.model_validate(c) for c in rows
                              if can_view_company(user, c)],
                       next_cursor=cursor).model_dump(mode="json")


@bp.get("/companies/<int:company_id>", responses={200: CompanyOut})
def get_company(path: CompanyPath):
    """One company (404 when it is not the token's account's to see)."""
    return CompanyOut.model_validate(get_company_or_404(path.company_id)).model_dump(
        mode="json")


# --- placements --------------------------------------------------------------------------

def _placements_out(placements: list[Placement]) -> list[dict]:
    themes = lists.theme_slugs(session=get_session(),
                               placement_ids=[p.id for p in placements if p.id is not None])
    return [PlacementOut.model_validate(p).model_copy(
        update={"themes": themes.get(p.id or 0, [])}).model_dump(mode="json")
        for p in placements]


def _placement_scope() -> dict:
    user = current_actor()
    if user.role is Role.admin:
        return {}
    if user.role is Role.company:
        return {"company_ids": user_company_ids(user)}
    return {"region_id": user_region_id(user) or -1, "published_only": True}


@bp.get("/placements", responses={200: PlacementPage})
def list_placements(query: PlacementQuery):
    """The placements the token's account may see, by id; filter by status, kind, company
    and reference."""
    session = get_session()
    user = current_actor()
    statement = lists.placements(status=query.status, kind=query.kind, company_id=query.company,
                                 code=query.code, **_placement_scope())
    rows, cursor = page_of(session, statement, Placement.id, query)
    companies = {c.id: c for c in session.exec(lists.companies(
        company_ids={p.company_id for p in rows})).all()}
    # The one rule of app.permissions over the page, with the companies read in one query.
    visible = [p for p in rows if p.company_id in companies
               and can_view_placement(user, p, companies[p.company_id])]
    return {"items": _placements_out(visible), "next_cursor": cursor}


@bp.get("/placements/<int:placement_id>", responses={200: PlacementOut})
def get_placement(path: PlacementPath):
    """One placement (404 when it is not the token's account's to see; a draft is only its
    company's)."""
    return _placements_out([get_placement_or_404(path.placement_id)])[0]


@bp.put("/companies/<int:company_id>/placements/<string:code>",
        responses={200: PlacementOut, 201: PlacementOut, **CONFLICT})
def put_company_placement(path: PlacementKeyPath, body: PlacementIn):
    """Post (201, a draft) or change (200) the company's placement with this reference.

    Company contacts of the company and admins, as on the web. Checked as the placements
    import checks a row (422 with the import's messages per field); sent twice, the second
    changes nothing. The status is changed by publish, pause, reopen and close."""
    session = get_session()
    user = current_actor()
    company = get_company_or_404(path.company_id)
    if not can_edit_company(user, company):
        raise not_yours()
    arguments, problems = check_row(session=session, user=user, company=company,
                                    code=path.code, fields=body.model_dump())
    if arguments is None:
        session.rollback()
        raise ApiProblem(422, _("The placement is not valid: see errors."), type_=VALIDATION,
                         errors=[FieldError(field=p.field or "", message=p.message)
                                 for p in problems])
    existing = find_placement(session=session, company=company, code=path.code)
    try:
        written = put_placement(session=session, user=user, company=company,
                                existing=existing, arguments=arguments)
    except service.NotComplete:
        raise
    except service.StatusError as error:
        session.rollback()
        raise ApiProblem(409, str(error), type_=REFUSED) from None
    return _placements_out([written.placement])[0], 201 if written.created else 200


# --- status ------------------------------------------------------------------------------

# action: (the service, the status it leaves the placement in)
STATUS_ACTIONS = {
    "publish": (service.publish, PlacementStatus.open),
    "pause": (service.pause, PlacementStatus.paused),
    "reopen": (service.reopen, PlacementStatus.open),
    "close": (service.close, PlacementStatus.closed),
}


def _change_status(placement_id: int, action: str, reason: str) -> dict:
    """The placement page's status buttons. Asking again for the status the placement is in
    already changes nothing (200); any other move its status does not allow is a 409 with
    the service's message; a draft that is not complete is a 422 naming what is missing."""
    session = get_session()
    placement = get_placement_or_404(placement_id)
    if not can_edit_company(current_actor(), related(Company, placement.company_id)):
        raise not_yours()
    change, target = STATUS_ACTIONS[action]
    if placement.status is target:
        return _placements_out([placement])[0]
    try:
        change(session=session, placement=placement, user=current_actor(), reason=reason)
    except service.NotComplete:
        raise
    except service.StatusError as error:
        session.rollback()
        raise ApiProblem(409, str(error), type_=REFUSED) from None
    return _placements_out([placement])[0]


@bp.post("/placements/<int:placement_id>/publish", responses={200: PlacementOut, **CONFLICT})
def publish_placement(path: PlacementPath, body: StatusIn):
    """Draft → open: students and counsellors of the region see it."""
    return _change_status(path.placement_id, "publish", body.reason)


@bp.post("/placements/<int:placement_id>/pause", responses={200: PlacementOut, **CONFLICT})
def pause_placement(path: PlacementPath, body: StatusIn):
    """Open → paused: no new candidates for now."""
    return _change_status(path.placement_id, "pause", body.reason)


@bp.post("/placements/<int:placement_id>/reopen", responses={200: PlacementOut, **CONFLICT})
def reopen_placement(path: PlacementPath, body: StatusIn):
    """Paused → open."""
    return _change_status(path.placement_id, "reopen", body.reason)


@bp.post("/placements/<int:placement_id>/close", responses={200: PlacementOut, **CONFLICT})
def close_placement(path: PlacementPath, body: StatusIn):
    """Any status but closed → closed, for good."""
    return _change_status(path.placement_id, "close", body.reason)
