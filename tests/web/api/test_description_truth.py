"""The OpenAPI description tells an integration what the imports require, up front.

Both sides come from code: the description as served, and the import's columns
(``COLUMNS``: a column a row must fill is ``required`` and not ``may_be_empty``). What ties
them is each write's body model: which import it is (``IMPORT_KIND``) and which columns the
API fills itself from the path or the account (``FILLED``); its fields are the columns'
English names.
"""

from __future__ import annotations

import re

import pytest

from app.models import ActivityKind, Level, Pillar, PlacementKind
from app.models.base import local_today
from app.services.imports import COLUMNS
from app.services.imports.values.kinds import parse_kind, parse_pillar, parse_placement_kind
from app.services.imports.values.levels import parse_level
from app.services.monitor import parse_school_year
from app.web.api.activities import ActivityIn
from app.web.api.participations import ObservationIn, Registration
from app.web.api.placements import PlacementIn
from app.web.api.students import StudentIn

# operation (method, path) -> the body model of one row, and where the row is in the body.
WRITES = {
    ("put", "/api/v1/schools/{school_id}/students/{student_number}"): (StudentIn, ()),
    ("put", "/api/v1/activities/by-code/{code}"): (ActivityIn, ()),
    ("post", "/api/v1/activities/{activity_id}/participations"): (Registration, ("students",)),
    ("post", "/api/v1/activities/{activity_id}/observations"): (ObservationIn,
                                                                ("observations",)),
    ("put", "/api/v1/companies/{company_id}/placements/{code}"): (PlacementIn, ()),
}


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _alternatives(schema: dict) -> list[dict]:
    """An object schema, or each whole object of its anyOf (a body needing one of fields)."""
    return schema.get("anyOf", [schema])


def _row_schema(spec: dict, method: str, path: str, within: tuple[str, ...]) -> dict:
    body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    schema = _resolve(spec, body)
    for name in within:
        holder = next(a for a in _alternatives(schema) if name in a.get("properties", {}))
        schema = _resolve(spec, _resolve(spec, holder["properties"][name])["items"])
    return schema


def _required_and_properties(schema: dict) -> tuple[set[str], dict]:
    """What every alternative requires, and the fields (as the first alternative has them)."""
    objects = _alternatives(schema)
    required = set.intersection(*(set(o.get("required", [])) for o in objects))
    return required, objects[0]["properties"]


def _import_requires(model) -> set[str]:
    return {column.key for column in COLUMNS[model.IMPORT_KIND]
            if column.required and not column.may_be_empty} - model.FILLED


@pytest.mark.parametrize(("operation", "write"), list(WRITES.items()),
                         ids=[model.IMPORT_KIND for model, _within in WRITES.values()])
def test_a_writes_required_fields_are_the_imports_required_columns(spec, operation, write):
    model, within = write
    described, properties = _required_and_properties(_row_schema(spec, *operation, within))
    required = _import_requires(model)
    assert required <= set(properties), "every column a row must fill is a field"
    assert described == required
    for name in required:  # required, and not null either
        field = properties[name]
        branches = field.get("anyOf", [field])
        assert all(branch.get("type") != "null" for branch in branches), name
    # What the API fills itself is never asked for.
    assert not model.FILLED & described


def _bounds(schema: dict, spec: dict, name: str) -> tuple[int | None, int | None]:
    field = _resolve(spec, _alternatives(schema)[0]["properties"][name])
    number = next(b for b in field.get("anyOf", [field]) if b.get("type") == "integer")
    return number.get("minimum"), number.get("maximum")


def test_the_description_gives_the_imports_bounds(spec):
    students = _row_schema(spec, "put", "/api/v1/schools/{school_id}/students/{student_number}",
                           ())
    assert _bounds(students, spec, "year") == (1, 8)
    assert _bounds(students, spec, "travel_km") == (0, 500)
    assert _bounds(students, spec, "birth_year") == (1990, local_today().year - 3)
    observation = _row_schema(spec, "post", "/api/v1/activities/{activity_id}/observations",
                              ("observations",))
    assert _bounds(observation, spec, "strength") == (1, 5)
    placement = _row_schema(spec, "put", "/api/v1/companies/{company_id}/placements/{code}", ())
    assert _bounds(placement, spec, "capacity") == (1, 1000)
    assert placement["properties"]["levels"]["minItems"] == 1
    activity = _row_schema(spec, "put", "/api/v1/activities/by-code/{code}", ())
    assert _bounds(activity, spec, "capacity") == (1, None)


def test_every_value_the_description_offers_is_one_the_import_reads(spec):
    """The enums are the import's canonical values: each one parses to itself."""
    for kind in ActivityKind:
        assert parse_kind(kind.value) is kind
    for pillar in Pillar:
        assert parse_pillar(pillar.value) is pillar
    for kind in PlacementKind:
        assert parse_placement_kind(kind.value) is kind
    for level in Level:
        assert parse_level(level.value)[0] is level
    activity = _row_schema(spec, "put", "/api/v1/activities/by-code/{code}", ())
    assert set(activity["properties"]["kind"]["enum"]) == {k.value for k in ActivityKind}
    assert set(activity["properties"]["pillar"]["enum"]) == {p.value for p in Pillar}


def test_a_registration_names_students_or_a_class_and_an_observation_a_theme_or_skill(spec):
    registration = _row_schema(spec, "post", "/api/v1/activities/{activity_id}/participations",
                               ())
    assert [set(branch["required"]) for branch in registration["anyOf"]] == \
        [{"class"}, {"students"}]
    assert registration["anyOf"][1]["properties"]["students"]["minItems"] == 1
    observation = _row_schema(spec, "post", "/api/v1/activities/{activity_id}/observations",
                              ("observations",))
    assert [set(branch["required"]) - {"student_number", "strength"}
            for branch in observation["anyOf"]] == [{"themes"}, {"skills"}]


def test_the_monitors_year_has_the_pattern_the_monitor_accepts(spec):
    parameter = next(p for p in spec["paths"]["/api/v1/monitor"]["get"]["parameters"]
                     if p["name"] == "year")
    pattern = parameter["schema"]["pattern"]
    assert re.search(pattern, "2025-2026") and parse_school_year("2025-2026")
    assert re.search(pattern, "")  # empty, as left out: every school year
    for wrong in ("2025", "2025/2026", "25-26", "2025-2026 "):
        assert not re.search(pattern, wrong)


def test_left_out_required_fields_get_the_imports_messages_not_pydantics(api, world):
    """The description requires them; the import still checks them, in its own words."""
    client = api(world.home.counsellor)
    url = f"/api/v1/schools/{world.home.school.id}/students/900009"
    response = client.put(url, json={"first_name": "Sanne", "last_name": "Dijk"})
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.get_json()["errors"]}
    for name in ("year", "travel_km", "level", "postcode"):
        assert errors[name].startswith("Deze cel is leeg. Vul "), errors[name]
