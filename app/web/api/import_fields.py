"""Request models whose fields are an import's columns, described as the import checks them.

The API hands such a body to the CSV import (``app/services/api_rows.py``), and the import
validates it, with its own messages. So pydantic here accepts what the import may refuse (an
empty cell, a number out of range): a request that pydantic refused would get pydantic's
words instead of the import's. What the description says is still the truth, up front:

- a column the import needs filled (``Column.required`` and not ``may_be_empty``) is
  ``required`` and not ``null`` in the description, unless the API fills it itself
  (``FILLED``: the path's key, the token's account);
- :func:`number` gives the import's bounds, :func:`one_of` its canonical values.

A test compares each write's required fields with the import's columns
(``tests/web/api/test_description_truth.py``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from enum import Enum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, WithJsonSchema

from app.services.imports import COLUMNS

TEXT_CELL = {"type": "string", "maxLength": 40}


def required_columns(kind: str, filled: frozenset[str] = frozenset()) -> list[str]:
    """The columns of ``kind`` a row must fill, in the import's order, but those in
    ``filled``."""
    return [column.key for column in COLUMNS[kind]
            if column.required and not column.may_be_empty and column.key not in filled]


def number(low: int | None = None, high: int | None = None) -> WithJsonSchema:
    """A whole number the import reads within [low, high]; as a text too, as in a CSV cell
    (whose bounds the import checks all the same)."""
    bounds: dict[str, Any] = {"type": "integer"}
    if low is not None:
        bounds["minimum"] = low
    if high is not None:
        bounds["maximum"] = high
    return WithJsonSchema({"anyOf": [bounds, {**TEXT_CELL, "pattern": r"^\s*[0-9]+\s*$"},
                                     {"type": "null"}]})


def one_of(choices: type[Enum]) -> WithJsonSchema:
    """One of the import's canonical values (it reads their Dutch and older spellings too,
    as docs/imports.md lists them)."""
    return WithJsonSchema({"anyOf": [{"type": "string", "enum": [c.value for c in choices]},
                                     {"type": "null"}]})


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    schema.pop("default", None)
    branches = schema.get("anyOf")
    if branches:
        kept = [branch for branch in branches if branch.get("type") != "null"]
        if len(kept) == 1:
            del schema["anyOf"]
            schema.update(kept[0])
        else:
            schema["anyOf"] = kept
    return schema


def as_the_import_requires(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    kind = getattr(cls, "IMPORT_KIND", None)
    if kind is None:
        return
    properties = schema.get("properties", {})
    needed = [name for name in required_columns(kind, cls.FILLED)  # type: ignore[attr-defined]
              if name in properties]
    for name in needed:
        _not_null(properties[name])
    schema["required"] = [*schema.get("required", []),
                          *(name for name in needed if name not in schema.get("required", []))]


def either(*needs: tuple[str, dict[str, Any]]) -> Callable[[dict[str, Any], type], None]:
    """A ``json_schema_extra`` for a body that needs one of some fields filled (the import
    refuses it otherwise): the object's schema becomes an anyOf of whole objects, one for each
    ``(field, narrowing)``, in which that field is required, not null and narrowed. Whole
    objects, not partial ones under allOf, so that a simple client that builds a body from
    the first alternative builds one that fits."""

    def extra(schema: dict[str, Any], cls: type) -> None:
        as_the_import_requires(schema, cls)
        base = {key: value for key, value in schema.items()
                if key not in ("title", "description")}
        branches = []
        for name, narrowing in needs:
            branch = copy.deepcopy(base)
            branch["required"] = [*base.get("required", []), name]
            branch["properties"][name] = {**_not_null(branch["properties"][name]),
                                          **narrowing}
            branches.append(branch)
        for key in list(base):
            del schema[key]
        schema["anyOf"] = branches

    return extra


class ImportRowIn(BaseModel):
    """A body (or one row of one) that the import of ``IMPORT_KIND`` checks."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=as_the_import_requires)

    IMPORT_KIND: ClassVar[str]
    # Columns the API fills itself (the path's key, the token's account): never required.
    FILLED: ClassVar[frozenset[str]] = frozenset()

