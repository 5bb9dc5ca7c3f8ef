"""Regions and schools (read): the reference data other resources point to.

Regions are names every account meets in the web's forms, so any token with
``reference:read`` lists them all. A school is read through ``get_school_or_404`` (its own
school for a counsellor or student, the region's for a coordinator, every school for an
admin); the list holds exactly the schools that rule lets the account see.
"""

from __future__ import annotations

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col

from app.db import get_session
from app.models import ApiArea, Region, School
from app.permissions import can_view_school, current_actor, get_school_or_404
from app.permissions.base import load_or_404
from app.services import api_lists
from app.services.reference import find_region
from app.web.api.paging import Page, PageQuery, page_of, page_of_list
from app.web.api.problems import ApiProblem, FieldError
from app.web.api.resource import resource

bp = resource("reference", __name__, area=ApiArea.reference, tag="reference",
              description="Regions and schools. Scope: reference:read.")

ROW_ID = Field(ge=1, le=2**31 - 1)


class RegionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str


class RegionPage(Page[RegionOut]):
    """A page of regions."""


class RegionPath(BaseModel):
    region_id: int = ROW_ID


class SchoolOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str = Field(description="BRIN-like school code, e.g. 85NR.")
    name: str
    kind: str = Field(description="basisschool, vmbo, havo, vwo, havo/vwo, mbo or hbo.")
    postcode: str
    place: str
    region_id: int
    levels: list[str]


class SchoolPage(Page[SchoolOut]):
    """A page of schools."""


class SchoolQuery(PageQuery):
    region: str | None = Field(None, max_length=120,
                               description="Only this region's schools (slug or name).")
    code: str | None = Field(None, max_length=12, description="Only the school with this code.")


class SchoolPath(BaseModel):
    school_id: int = ROW_ID


@bp.get("/regions", responses={200: RegionPage})
def list_regions(query: PageQuery):
    """Every region, by id."""
    rows, cursor = page_of(get_session(), api_lists.regions(), Region.id, query)
    return RegionPage(items=[RegionOut.model_validate(r) for r in rows],
                      next_cursor=cursor).model_dump(mode="json")


@bp.get("/regions/<int:region_id>", responses={200: RegionOut})
def get_region(path: RegionPath):
    """One region."""
    # Every account sees every region (see above): the only check is that it exists.
    region = load_or_404(Region, path.region_id, lambda _region: True)
    return RegionOut.model_validate(region).model_dump(mode="json")


@bp.get("/schools", responses={200: SchoolPage})
def list_schools(query: SchoolQuery):
    """The schools the token's account may see, by id; filter by region or code."""
    session = get_session()
    region_id = None
    if query.region:
        region = find_region(session, query.region)
        if region is None:
            raise ApiProblem(422, _("Unknown region."), errors=[FieldError(
                field="region", message=_("No region is called %(name)s.", name=query.region))])
        region_id = region.id
    statement = api_lists.schools(region_id=region_id, code=query.code)
    # Schools are a few hundred: the matching rows are read whole and the one rule of
    # app.permissions picks the account's, so the list and get_school_or_404 never disagree.
    user = current_actor()
    allowed = [school for school in session.exec(statement.order_by(col(School.id))).all()
               if can_view_school(user, school)]
    rows, cursor = page_of_list(allowed, query)
    return SchoolPage(items=[SchoolOut.model_validate(s) for s in rows],
                      next_cursor=cursor).model_dump(mode="json")


@bp.get("/schools/<int:school_id>", responses={200: SchoolOut})
def get_school(path: SchoolPath):
    """One school, when the token's account may see it (404 otherwise)."""
    return SchoolOut.model_validate(get_school_or_404(path.school_id)).model_dump(mode="json")
