"""Dutch postcodes (PC4) and distances between them."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "pc4_nl.csv"
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Postcode:
    pc4: str
    lat: float
    lon: float
    place: str
    municipality: str
    province: str


@cache
def postcodes() -> dict[str, Postcode]:
    """Every Dutch PC4 with its averaged location (GeoNames, CC BY 4.0)."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {
            row["pc4"]: Postcode(row["pc4"], float(row["lat"]), float(row["lon"]),
                                 row["place"], row["municipality"], row["province"])
            for row in csv.DictReader(handle)
        }


def clean_pc4(text: str) -> str | None:
    """The 4 digits of a postcode as people write it ("6901 AB", "6901ab", " 6901"), or None."""
    digits = text.strip().upper().replace(" ", "")[:4]
    return digits if len(digits) == 4 and digits.isdigit() and digits[0] != "0" else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_km(pc4_a: str, pc4_b: str) -> float | None:
    """Straight-line distance between two postcode centroids; None if one is unknown."""
    table = postcodes()
    a, b = table.get(pc4_a), table.get(pc4_b)
    if a is None or b is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)
