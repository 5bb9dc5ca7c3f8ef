"""Small builders for matching records, with defaults that pass every hard rule."""

from __future__ import annotations

from datetime import date

from matching.records import Observation, Participation, PlacementRecord, StudentRecord

TODAY = date(2026, 1, 15)


def student(id: int = 1, **fields) -> StudentRecord:
    values = {"level": "mbo_2", "postcode": "6901", "travel_km": 25.0,
              "available_from": date(2026, 2, 1), "available_until": date(2026, 6, 30),
              "interests": "", "themes": ("elektrotechniek",)}
    return StudentRecord(id=id, **{**values, **fields})


def placement(id: int = 1, **fields) -> PlacementRecord:
    values = {"kind": "bol_internship", "title": "Stage elektrotechniek",
              "levels": ("mbo_2", "mbo_3"), "themes": ("elektrotechniek",),
              "postcode": "6902", "starts_on": date(2026, 3, 1), "ends_on": date(2026, 5, 31),
              "company": "Elektro Zevenaar B.V."}
    return PlacementRecord(id=id, **{**values, **fields})


def observed(theme: str, strength: int = 5, on: date = date(2025, 11, 1), skills: str = "",
             activity: str = "de Week van de Techniek") -> Observation:
    return Observation((theme,), strength, on, skills, activity)


def took_part(theme: str, on: date = date(2025, 11, 1),
              activity: str = "Girlsday") -> Participation:
    return Participation((theme,), on, activity)
