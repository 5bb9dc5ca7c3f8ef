"""Issue 22's "Done when": an integration, with a token and the description alone, creates a
school's students, registers a class for an activity, records observations, posts a
placement, reads the proposals of a round and answers them.

Only HTTP and the description: this file imports nothing of the project (the standard
library and jsonschema only). It reads ``/api/v1/openapi.json``, finds each operation it
needs there by its operationId or its path, fills the request from the operation's schema,
and checks every response it gets against the description (a declared status, a JSON body
that fits the status's schema). Run by tests/contract/test_contract.py, which serves a
seeded database and hands in, through the environment:

    TALENTMATCH_API_BASE                  http://127.0.0.1:PORT
    TALENTMATCH_API_TOKEN_COUNSELLOR      a token of a school's counsellor, all scopes
    TALENTMATCH_API_TOKEN_COMPANY         a token of a company's contact, all scopes
    TALENTMATCH_API_TOKEN_COORDINATOR     a token of the region's coordinator, all scopes

A step whose operation is not in the description fails and says what it looked for; a step
that needs an earlier one fails and names it. Nothing is skipped.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import urllib.error
import urllib.request
from datetime import date, timedelta

import jsonschema
import pytest

BASE = os.environ.get("TALENTMATCH_API_BASE", "")
TOKENS = {role: os.environ.get(f"TALENTMATCH_API_TOKEN_{role.upper()}", "")
          for role in ("counsellor", "company", "coordinator")}
RUN = secrets.token_hex(3).upper()       # student numbers and references of this run
STATE: dict = {}                         # what one step leaves for the next


def setup_module() -> None:
    if not BASE or not all(TOKENS.values()):
        pytest.fail("run by tests/contract/test_contract.py, which serves the API and sets "
                    "TALENTMATCH_API_BASE and TALENTMATCH_API_TOKEN_{COUNSELLOR,COMPANY,"
                    "COORDINATOR}", pytrace=False)


# --- HTTP and the description ---------------------------------------------------------------

def http(method: str, path: str, token: str | None, body: object | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data,  # noqa: S310 (http only)
                                     method=method.upper())
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, response.headers.get("Content-Type", ""), \
                response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def description() -> dict:
    if "description" not in STATE:
        status, kind, text = http("GET", "/api/v1/openapi.json", None)
        assert status == 200 and "json" in kind, (status, text[:500])
        STATE["description"] = json.loads(text)
    return STATE["description"]


class Operation:
    def __init__(self, method: str, path: str, spec: dict):
        self.method, self.path, self.spec = method, path, spec

    def __repr__(self) -> str:
        return f"{self.method.upper()} {self.path} ({self.spec.get('operationId')})"

    def call(self, token: str, path_values: dict | None = None, body: object | None = None,
             query: dict | None = None, headers: dict | None = None) -> tuple[int, object]:
        """Send it; check the answer against the description; the status and parsed body."""
        path = re.sub(r"\{([^}]+)\}", lambda m: str((path_values or {})[m.group(1)]),
                      self.path)
        if query:
            path += "?" + "&".join(f"{k}={urllib.request.quote(str(v))}"
                                   for k, v in query.items())
        if self.method == "post":
            headers = {"Idempotency-Key": secrets.token_hex(16), **(headers or {})}
        status, kind, text = http(self.method, path, token, body, headers)
        return status, check_response(self, status, kind, text)


def operation(what: str, *, ids: tuple[str, ...] = (),
              shapes: tuple[tuple[str, str], ...] = ()) -> Operation:
    """The operation with one of the operationIds ``ids``, or else the first whose method and
    path (after /api/v1, ``{}`` standing for any parameter) match one of ``shapes``."""
    paths = description()["paths"]
    found = [Operation(method, path, spec) for path, ops in paths.items()
             for method, spec in ops.items() if spec.get("operationId") in ids]
    for method, shape in shapes:
        pattern = "^/api/v1" + re.escape(shape).replace(r"\{\}", r"\{[^}]+\}") + "$"
        found += [Operation(method, path, ops[method]) for path, ops in paths.items()
                  if method in ops and re.match(pattern, path)]
    if not found:
        wanted = [*ids, *(f"{m.upper()} /api/v1{s}" for m, s in shapes)]
        pytest.fail(f"the description has no operation to {what} (looked for "
                    f"{', '.join(wanted)}); its operations: "
                    f"{sorted(f'{m.upper()} {p}' for p, o in paths.items() for m in o)}",
                    pytrace=False)
    return found[0]


def _schema_with_components(schema: dict) -> dict:
    # The description's own "#/components/..." references resolve inside this document.
    return {**schema, "components": description().get("components", {})}


def check_response(op: Operation, status: int, kind: str, text: str) -> object:
    responses = op.spec.get("responses", {})
    declared = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or \
        responses.get("default")
    assert declared is not None, (f"{op} answered {status}, which the description does not "
                                  f"declare ({sorted(responses)}): {text[:500]}")
    content = declared.get("content", {})
    if not text:
        assert not content or status == 204, f"{op} answered {status} with no body"
        return None
    media = kind.split(";")[0].strip()
    assert media in content, f"{op} answered {status} as {media!r}, declared {sorted(content)}"
    body = json.loads(text)
    schema = content[media].get("schema")
    if schema is not None:
        try:
            jsonschema.Draft202012Validator(
                _schema_with_components(schema),
                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(body)
        except jsonschema.ValidationError as error:
            pytest.fail(f"{op} answered {status} with a body that breaks its schema: "
                        f"{error.message} at {list(error.absolute_path)}: {text[:800]}",
                        pytrace=False)
    return body


def body_for(op: Operation, values: dict) -> dict | None:
    """A request body from the operation's schema: every property ``values`` names, and a
    fitting value for each other required one."""
    content = op.spec.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    built = build(schema, values, "")
    return built if isinstance(built, dict) else None


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = description()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def build(schema: dict, values: dict, name: str) -> object:
    schema = _resolve(schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s).get("type") != "null"]
            return build((options or schema[key])[0], values, name)
    if "enum" in schema:
        return values.get(name, schema["enum"][0])
    if name in values:
        return values[name]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        return {key: build(sub, values, key) for key, sub in properties.items()
                if key in required or key in values}
    if "default" in schema:
        return schema["default"]
    if kind == "array":
        return [build(schema.get("items", {}), values, name)
                for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return (date.today() + timedelta(days=60)).isoformat()
    return f"story {name}"[: schema.get("maxLength", 40)]


def items(body: object) -> list[dict]:
    assert isinstance(body, dict) and isinstance(body.get("items"), list), body
    return body["items"]


def needs(step: str, *keys: str) -> None:
    missing = [key for key in keys if key not in STATE]
    if missing:
        pytest.fail(f"needs the step {step!r} first (it did not leave {missing})",
                    pytrace=False)


# --- the story ------------------------------------------------------------------------------

def test_the_description_is_openapi_3_1_with_an_operation_id_for_every_operation():
    spec = description()
    assert spec["openapi"].startswith("3.1")
    ops = [o for path in spec["paths"].values() for o in path.values() if isinstance(o, dict)]
    assert ops and all(o.get("operationId") for o in ops)
    assert "bearer" in json.dumps(spec.get("components", {}).get("securitySchemes", {}))


def test_a_counsellor_creates_a_class_of_students_at_their_school():
    token = TOKENS["counsellor"]
    status, schools = operation("list schools", ids=("list_schools",),
                                shapes=(("get", "/schools"),)).call(token)
    assert status == 200 and len(items(schools)) >= 1, schools
    school = items(schools)[0]
    create = operation("create or update a student",
                       ids=("put_student", "upsert_student", "create_student"),
                       shapes=(("put", "/schools/{}/students/{}"), ("post", "/schools/{}/students"),
                               ("post", "/students")))
    students, class_name = [], f"3T{RUN[:4]}"
    for index, (first, last) in enumerate((("Sanne", "de Vries"), ("Noah", "Jansen"),
                                           ("Fatima", "El Amrani"))):
        number = f"S{RUN}{index}"
        values = {"student_number": number, "number": number, "first_name": first,
                  "last_name": last, "school_id": school["id"], "school_code": school["code"],
                  "level": school["levels"][0], "postcode": school["postcode"],
                  "class_name": class_name, "year": 3, "school_year": 3,
                  "birth_year": 2011, "travel_km": 15, "themes": ["elektrotechniek"]}
        path = {name: values.get(name, number) for name in re.findall(r"\{([^}]+)\}", create.path)}
        status, student = create.call(token, path, body_for(create, values))
        assert status in (200, 201), student
        assert isinstance(student, dict) and student.get("id"), student
        students.append({**student, "student_number": number})
        if index == 0:  # the same student sent again is the same student, not a second one
            again_status, again = create.call(token, path, body_for(create, values))
            assert again_status in (200, 201) and again["id"] == student["id"], again
    STATE["school"], STATE["students"], STATE["class_name"] = school, students, class_name


def test_the_counsellor_registers_the_class_for_an_activity():
    needs("a counsellor creates a class of students", "students")
    token = TOKENS["counsellor"]
    # A lesson of the school in the technieklokaal, last week (observations are recorded at
    # an activity that has taken place), as the school's planning tool would send it.
    put_activity = operation("create or update an activity by its code",
                             ids=("put_activity",), shapes=(("put", "/activities/by-code/{}"),))
    code = f"TM-STORY-{RUN}"
    lesson = {"code": code, "title": "Solderen in het technieklokaal", "kind": "technieklokaal",
              "pillar": "kiezen", "date": (date.today() - timedelta(days=7)).isoformat(),
              "postcode": STATE["school"]["postcode"], "themes": ["elektrotechniek"],
              "capacity": 30, "host_company_kvk": "", "school_code": STATE["school"]["code"]}
    path = {name: lesson[name] for name in re.findall(r"\{([^}]+)\}", put_activity.path)}
    status, activity = put_activity.call(token, path, body_for(put_activity, lesson))
    assert status in (200, 201) and isinstance(activity, dict), activity
    status, listed = operation("list activities", ids=("list_activities",),
                               shapes=(("get", "/activities"),)).call(token, query={"limit": 100})
    assert status == 200 and any(a["id"] == activity["id"] for a in items(listed)), listed
    register = operation("register a class or students for an activity",
                         ids=("register", "register_participations", "create_participations"),
                         shapes=(("post", "/activities/{}/participations"),
                                 ("post", "/participations")))
    school_class = {"school_id": STATE["school"]["id"], "class_name": STATE["class_name"]}
    values = {"activity_id": activity["id"], "class": school_class}
    path = {name: values[name] for name in re.findall(r"\{([^}]+)\}", register.path)}
    status, registered = register.call(token, path, body_for(register, values))
    assert status in (200, 201), registered
    listing = operation("list an activity's participations",
                        ids=("list_participations",),
                        shapes=(("get", "/activities/{}/participations"),))
    status, participations = listing.call(token, path, query={"limit": 100})
    assert status == 200, participations
    numbers = {s["student_number"] for s in STATE["students"]}
    registered_numbers = {json.dumps(p) for p in items(participations)
                          if any(n in json.dumps(p) for n in numbers)}
    assert len(registered_numbers) == len(numbers), (numbers, participations)
    STATE["activity"], STATE["participations"] = activity, items(participations)


def test_observations_are_recorded_for_the_class():
    needs("the counsellor registers the class for an activity", "participations")
    token = TOKENS["counsellor"]
    record = operation("record observations",
                       ids=("record_observations", "create_observations"),
                       shapes=(("post", "/activities/{}/observations"),
                               ("post", "/observations")))
    seen = [{"student_number": student["student_number"], "strength": 4,
             "themes": ["elektrotechniek"], "note": "Zeer precies bij het solderen."}
            for student in STATE["students"]]
    values = {"activity_id": STATE["activity"]["id"], "observations": seen}
    path = {name: values[name] for name in re.findall(r"\{([^}]+)\}", record.path)}
    status, observations = record.call(token, path, body_for(record, values))
    assert status in (200, 201), observations
    listing = operation("list an activity's observations", ids=("list_observations",),
                        shapes=(("get", "/activities/{}/observations"),))
    status, listed = listing.call(token, path, query={"limit": 100})
    assert status == 200, listed
    mine = [o for o in items(listed)
            if any(s["student_number"] in json.dumps(o) for s in STATE["students"])]
    assert len(mine) >= len(seen), listed


def test_a_company_posts_a_placement():
    token = TOKENS["company"]
    status, companies = operation("list companies", ids=("list_companies",),
                                  shapes=(("get", "/companies"),)).call(token)
    assert status == 200 and items(companies), companies
    company = items(companies)[0]
    post = operation("create or update a placement",
                     ids=("put_placement", "upsert_placement", "create_placement"),
                     shapes=(("put", "/companies/{}/placements/{}"),
                             ("post", "/companies/{}/placements"), ("post", "/placements")))
    reference = f"P{RUN}"
    start = date.today() + timedelta(days=60)
    values = {"company_id": company["id"], "reference": reference, "code": reference,
              "title": "Snuffelstage elektrotechniek", "kind": "snuffelstage",
              "levels": ["vmbo-kb", "vmbo-gl"], "themes": ["elektrotechniek"],
              "capacity": 2, "start": start.isoformat(),
              "end": (start + timedelta(days=4)).isoformat(),
              "description": "Een week meedraaien met onze monteurs."}
    path = {name: values[name] for name in re.findall(r"\{([^}]+)\}", post.path)}
    status, placement = post.call(token, path, body_for(post, values))
    assert status in (200, 201), placement
    STATE["placement"] = placement


def test_the_counsellor_reads_the_proposals_of_a_round_and_approves_one():
    token = TOKENS["counsellor"]
    status, rounds = operation("list matching rounds", ids=("list_rounds",),
                               shapes=(("get", "/rounds"),)).call(token, query={"limit": 100})
    assert status == 200 and items(rounds), rounds
    round_id = max(r["id"] for r in items(rounds))
    listing = operation("list the proposals of a round",
                        ids=("list_round_proposals", "list_proposals"),
                        shapes=(("get", "/rounds/{}/proposals"), ("get", "/proposals")))
    path = dict.fromkeys(re.findall(r"\{([^}]+)\}", listing.path), round_id)
    query = {"status": "proposed", "limit": 100}
    if not path:  # the general list, narrowed to the round by its filter
        query["round"] = round_id
    status, proposals = listing.call(token, path, query=query)
    assert status == 200, proposals
    waiting = [p for p in items(proposals) if p.get("status") == "proposed"]
    assert waiting, f"no proposal of round {round_id} waiting for the counsellor: {proposals}"
    approve = operation("approve a proposal", ids=("approve_proposal",),
                        shapes=(("post", "/proposals/{}/approve"),))
    target = {re.findall(r"\{([^}]+)\}", approve.path)[0]: waiting[0]["id"]}
    status, approved = approve.call(token, target, body_for(approve, {}))
    assert status == 200 and approved.get("status") == "offered", approved
    # Sent again (a retry after a lost answer), it changes nothing and says so.
    again, answer = approve.call(token, target, body_for(approve, {}))
    assert again in (200, 409, 422), answer


def test_the_company_answers_the_candidate_sent_to_it():
    token = TOKENS["company"]
    listing = operation("list proposals", ids=("list_proposals",),
                        shapes=(("get", "/proposals"),))
    status, proposals = listing.call(token, query={"status": "sent_to_company", "limit": 100})
    assert status == 200, proposals
    sent = [p for p in items(proposals) if p.get("status") == "sent_to_company"]
    assert sent, f"no candidate sent to the company: {proposals}"
    answer = operation("answer a candidate as a company",
                       ids=("answer_candidate", "answer_proposal", "company_answer"),
                       shapes=(("post", "/proposals/{}/answer"),
                               ("post", "/proposals/{}/accept")))
    values = {"accept": True, "reason": "Welkom!"}
    status, answered = answer.call(token, {re.findall(r"\{([^}]+)\}", answer.path)[0]:
                                           sent[0]["id"]}, body_for(answer, values))
    assert status == 200 and answered.get("status") in ("company_accepted", "placed"), answered
