"""Activities: read what the token's account may see, create and change them by their code.

One activity is read through ``get_activity_or_404``; the list holds the activities of the
account's region (every region for an admin) that ``can_view_activity`` lets it see, the one
rule, so list and read never disagree. ``PUT /activities/by-code/{code}`` is the activities
import of one row: the same checks, messages and rights (who may organise where), and the
code, the activity's natural key, makes it idempotent.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from app.db import get_session
from app.models import Activity, ActivityKind, ApiArea, Pillar, Role
from app.permissions import (
    can_view_activity,
    current_actor,
    get_activity_or_404,
    user_region_id,
)
from app.services import api_lists, api_rows
from app.web.api import rows
from app.web.api.import_fields import ImportRowIn, number, one_of
from app.web.api.paging import Page, PageQuery, page_of_list
from app.web.api.regions import ROW_ID
from app.web.api.resource import resource

bp = resource("activities", __name__, area=ApiArea.activities, tag="activities",
              description="Activities, their participants and attendance, and talent "
                          "observations. Scopes: activities:read, activities:write.")

Cell = str | int | None


class ActivityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    kind: str
    pillar: str
    title: str
    description: str
    starts_on: date
    ends_on: date | None
    school_year: str
    postcode: str
    place: str
    region_id: int
    school_id: int | None
    host_company_id: int | None
    capacity: int | None


class ActivityPage(Page[ActivityOut]):
    """A page of activities."""


class ActivityQuery(PageQuery):
    school_year: str | None = Field(None, max_length=9, description="e.g. 2025/2026")
    kind: str | None = Field(None, max_length=40, description="e.g. girlsday")


class ActivityPath(BaseModel):
    activity_id: int = ROW_ID


class ActivityCodePath(BaseModel):
    code: str = Field(min_length=1, max_length=80)


class ActivityIn(ImportRowIn):
    """An activity as the activities import takes it (docs/imports.md): the same fields by
    their English column names, the same rules and messages."""

    IMPORT_KIND: ClassVar[str] = "activities"
    FILLED: ClassVar[frozenset[str]] = frozenset({"code"})  # the path

    kind: Annotated[str | None, one_of(ActivityKind)] = Field(None, max_length=400)
    pillar: Annotated[str | None, one_of(Pillar)] = Field(None, max_length=400)
    date: str | None = Field(None, max_length=400, description="The first day, e.g. "
                                                              "2026-10-07 or 7-10-2026.")
    end_date: str | None = Field(None, max_length=400)
    title: str | None = Field(None, max_length=400)
    description: str | None = Field(None, max_length=8000)
    postcode: str | None = Field(None, max_length=400, description="A Dutch postcode; the 4 "
                                                                   "digits are enough.")
    host_company_kvk: str | None = Field(None, max_length=400)
    themes: list[str] | str | None = None
    capacity: Annotated[Cell, number(1)] = Field(None, description="Places; empty: no limit.")
    region: str | None = Field(None, max_length=400)
    school_code: str | None = Field(None, max_length=400)


def activity_out(activity: Activity) -> dict:
    return ActivityOut.model_validate(activity).model_dump(mode="json")


@bp.get("/activities", responses={200: ActivityPage})
def list_activities(query: ActivityQuery):
    """The activities the token's account may see, by id; filter by school year or kind."""
    user = current_actor()
    region_id = None if user.role is Role.admin else user_region_id(user)
    statement = api_lists.activities(region_id=region_id, school_year=query.school_year,
                                     kind=query.kind)
    # An account's activities are a region's few hundred: read, picked by the one rule.
    visible = [activity for activity in get_session().exec(statement).all()
               if can_view_activity(user, activity)]
    found, cursor = page_of_list(visible, query)
    return ActivityPage(items=[ActivityOut.model_validate(a) for a in found],
                        next_cursor=cursor).model_dump(mode="json")


@bp.get("/activities/<int:activity_id>", responses={200: ActivityOut})
def get_activity(path: ActivityPath):
    """One activity (404 when the token's account may not see it)."""
    return activity_out(get_activity_or_404(path.activity_id))


@bp.put("/activities/by-code/<code>", responses={200: ActivityOut, 201: ActivityOut})
def put_activity(path: ActivityCodePath, body: ActivityIn):
    """Create the activity with this code, or change it: the activities import of one row.
    Sent again, it changes nothing."""
    session = get_session()
    cells = {name: rows.text(value) for name, value in body.model_dump().items()}
    cells["code"] = path.code
    report = rows.check(api_rows.import_rows(session=session, kind="activities", rows=[cells],
                                             user=current_actor()))
    activity_id = api_lists.activity_id_by_code(session=session, code=path.code.strip())
    return activity_out(get_activity_or_404(activity_id or 0)), rows.status_of(report)
