"""The web's IDOR probes (tests/permissions: another school's student, another company's
placement answer 404, exactly like a missing one) against the live API, with tokens.

A student's own token probes her area (``/api/v1/me/``) with other students' proposals.
The operations come from the live description: every operation whose path names objects
by id (``{student_id}``, ``{placement_id}``, ...) is sent, with each method it has, with the
ids of objects the token's account may not see (another school's student and their
observations and participations, another company's placements and their proposals, another
region's school): every answer must be a 404, never a 2xx. A write carries a body that fits
the operation's schema, so that it is the permission and not the validation that refuses.
As a control, each reading operation is also sent with the account's own objects, which
must open (so a probe that finds nothing is not an API that answers 404 to everything).
"""

from __future__ import annotations

import json
import re
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta

WRITES = ("post", "put", "patch", "delete")
# A student's own area: only her personal token opens it (a staff token lacks its scope, a
# 403 whatever the id), and her token opens nothing else.
OWN_AREA = "/api/v1/me/"
PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass
class Answer:
    status: int
    body: str


@dataclass
class ProbeFigures:
    requests: int = 0
    reads: int = 0
    writes: int = 0
    successes: list[str] = field(default_factory=list)     # a 2xx: the account got in
    not_404: list[str] = field(default_factory=list)       # refused, but not as missing
    controls: int = 0
    controls_failed: list[str] = field(default_factory=list)
    operations: set[str] = field(default_factory=set)
    unprobed: set[str] = field(default_factory=set)        # ids the setup cannot name
    kinds: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.successes and not self.not_404 and self.requests > 0

    def lines(self, label: str) -> list[str]:
        lines = [f"IDOR probes ({label}): {self.requests} requests ({self.reads} reads, "
                 f"{self.writes} writes) on {len(self.operations)} operations naming "
                 f"{', '.join(sorted(self.kinds)) or 'nothing'}: {len(self.successes)} "
                 f"successes, {len(self.not_404)} answers other than 404; controls with "
                 f"the account's own objects: {self.controls - len(self.controls_failed)} "
                 f"of {self.controls} opened"]
        lines += [f"    SUCCESS (must not happen): {line}" for line in self.successes[:20]]
        lines += [f"    not 404: {line}" for line in self.not_404[:20]]
        lines += [f"    control did not open: {line}" for line in self.controls_failed[:20]]
        if self.unprobed:
            lines.append(f"    not probed (no ids for {', '.join(sorted(self.unprobed))})")
        return lines


def call(base: str, token: str, method: str, path: str, body: object | None = None
         ) -> Answer:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data,  # noqa: S310 (http only)
                                     method=method.upper())
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if method.lower() == "post":
        request.add_header("Idempotency-Key", secrets.token_hex(16))
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return Answer(response.status, response.read().decode(errors="replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(errors="replace"))


def kind_of(parameter: str) -> str | None:
    """``student_id`` names a student; other parameters (a number, a code) name no kind."""
    return parameter[:-3] if parameter.endswith("_id") else None


def probe(base: str, description: dict, token: str, foreign: dict[str, list[int]],
          own: dict[str, list[int]], figures: ProbeFigures, *, student: bool = False) -> None:
    """The operations of the token's kind (``student``: a student's own token, which probes
    her own area; else a staff token, which probes the rest)."""
    components = description.get("components", {}).get("schemas", {})
    for path, operations in description["paths"].items():
        if path.startswith(OWN_AREA) != student:
            continue
        parameters = PARAMETER.findall(path)
        kinds = [kind for kind in map(kind_of, parameters) if kind]
        if not kinds:
            continue
        if not all(foreign.get(kind) for kind in kinds):
            figures.unprobed.update(kind for kind in kinds if not foreign.get(kind))
            continue
        for method, operation in operations.items():
            if method in ("get", *WRITES):
                figures.operations.add(f"{method.upper()} {path}")
                figures.kinds.update(kinds)
                _probe_operation(base, token, method, path, request_body(operation, components),
                                 foreign, figures)
                if method == "get" and all(own.get(kind) for kind in kinds):
                    _control(base, token, path, own, figures)


def _probe_operation(base: str, token: str, method: str, path: str, body: object | None,
                     foreign: dict[str, list[int]], figures: ProbeFigures) -> None:
    """The operation once for each foreign object of its kinds: every answer a 404."""
    parameters = PARAMETER.findall(path)
    rounds = max(len(foreign[kind]) for kind in map(kind_of, parameters) if kind)
    for index in range(rounds):
        target = _fill(path, {p: _value(p, foreign, index) for p in parameters})
        answer = call(base, token, method, target, body)
        figures.requests += 1
        if method == "get":
            figures.reads += 1
        else:
            figures.writes += 1
        seen = f"{method.upper()} {target} -> {answer.status} {answer.body[:200]}"
        if 200 <= answer.status < 300:
            figures.successes.append(seen)
        elif answer.status != 404:
            figures.not_404.append(seen)


def _control(base: str, token: str, path: str, own: dict[str, list[int]],
             figures: ProbeFigures) -> None:
    target = _fill(path, {p: _value(p, own, 0) for p in PARAMETER.findall(path)})
    answer = call(base, token, "get", target)
    figures.controls += 1
    if answer.status != 200:
        figures.controls_failed.append(f"GET {target} -> {answer.status} {answer.body[:200]}")


def _value(parameter: str, ids: dict[str, list[int]], index: int) -> str:
    kind = kind_of(parameter)
    if kind is None:
        return "PROBE1"  # a student number or code under an id that is not the account's
    values = ids[kind]
    return str(values[min(index, len(values) - 1)])


def _fill(path: str, values: dict[str, str]) -> str:
    return PARAMETER.sub(lambda found: values[found.group(1)], path)


# --- a body that fits the operation's schema ------------------------------------------------

def request_body(operation: dict, components: dict) -> object | None:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return None if schema is None else instance(schema, components, "")


def instance(schema: dict, components: dict, name: str) -> object:
    """A small value that fits ``schema``: required properties only, the first of an enum,
    a plausible value for a field's name (a postcode, a date) where the type allows it."""
    if "$ref" in schema:
        return instance(components[schema["$ref"].rsplit("/", 1)[-1]], components, name)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return instance(options[0], components, name)
    if "allOf" in schema:
        merged: dict = {}
        for part in schema["allOf"]:
            value = instance(part, components, name)
            merged.update(value if isinstance(value, dict) else {})
        return merged
    for key in ("const", "enum", "default", "examples"):
        given = schema.get(key)
        if given is not None and given != []:
            return given[0] if key in ("enum", "examples") else given
    return _typed(schema, components, name)


def _typed(schema: dict, components: dict, name: str) -> object:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        required = schema.get("required", [])
        return {key: instance(value, components, key)
                for key, value in schema.get("properties", {}).items() if key in required}
    if kind == "array":
        return [instance(schema.get("items", {}), components, name)
                for _ in range(schema.get("minItems", 0))]
    simple = {"integer": lambda: int(schema.get("minimum", 1)),
              "number": lambda: float(schema.get("minimum", 1)),
              "boolean": lambda: False, "null": lambda: None}
    return simple[kind]() if kind in simple else _string(schema, name)


def _string(schema: dict, name: str) -> str:
    if schema.get("format") == "date":
        return (date.today() + timedelta(days=30)).isoformat()
    if schema.get("format") == "date-time":
        return f"{date.today().isoformat()}T12:00:00Z"
    if "postcode" in name:
        return "6903"
    if "email" in name:
        return "probe@example.org"
    text = f"probe {name}".strip()
    minimum, maximum = schema.get("minLength", 1), schema.get("maxLength", 80)
    return (text * (1 + minimum // max(len(text), 1)))[:max(minimum, min(len(text), maximum))]
