"""Read the reference files in ``seeds/reference`` (see the README there for their origin)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from matching.taxonomy import ThemeDef, load_themes

REFERENCE_DIR = Path(__file__).parent / "reference"


@dataclass(frozen=True, slots=True)
class Postcode:
    pc4: str
    place: str
    municipality: str
    region: str
    lat: float
    lon: float


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def postcodes() -> tuple[Postcode, ...]:
    return tuple(
        Postcode(r["pc4"], r["place"], r["municipality"], r["region"],
                 float(r["lat"]), float(r["lon"]))
        for r in _csv_rows("postcodes.csv")
    )


def themes() -> tuple[ThemeDef, ...]:
    """The taxonomy lives in the matching library; the demo data uses the same themes."""
    return load_themes()


@cache
def first_names() -> dict[str, tuple[str, ...]]:
    """Given names by the gender they are usually given to ("girl", "boy")."""
    names: dict[str, list[str]] = {}
    for row in _csv_rows("first_names.csv"):
        names.setdefault(row["gender"], []).append(row["name"])
    return {gender: tuple(found) for gender, found in names.items()}


@cache
def last_names() -> tuple[str, ...]:
    return tuple(r["name"] for r in _csv_rows("last_names.csv"))


@cache
def words(name: str) -> dict[str, Any]:
    """One of the JSON vocabularies: ``theme_words``, ``texts`` or ``organisations``."""
    with (REFERENCE_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)
