"""The four demo regions and the real postcodes in them."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .refdata import Postcode, postcodes


@dataclass(frozen=True, slots=True)
class RegionDef:
    slug: str
    name: str
    # Share of schools, companies and activities; roughly the population of the region.
    weight: float


REGIONS = (
    RegionDef("liemers", "Liemers", 0.15),
    RegionDef("achterhoek", "Achterhoek", 0.27),
    RegionDef("noord-holland-noord", "Noord-Holland Noord", 0.33),
    RegionDef("zaanstreek-waterland", "Zaanstreek-Waterland", 0.25),
)

DEMO_REGION = "liemers"
# Places of roughly 8,000 inhabitants or more (picked by hand): where secondary schools,
# colleges and regional events are; primary schools and companies may be anywhere.
TOWNS = frozenset({
    "Zevenaar", "Duiven", "Didam", "Doesburg", "Westervoort", "'s-Heerenberg",
    "Doetinchem", "Winterswijk", "Aalten", "Lichtenvoorde", "Groenlo", "Eibergen", "Borculo",
    "Ulft", "Neede",
    "Alkmaar", "Den Helder", "Heerhugowaard", "Hoorn", "Schagen", "Broek op Langedijk",
    "Julianadorp",
    "Zaandam", "Purmerend", "Krommenie", "Wormerveer", "Assendelft", "Zaandijk", "Wormer",
})


def distance_km(a: Postcode, b: Postcode) -> float:
    """Great-circle distance; PC4 centroids make anything finer pointless."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


class Atlas:
    """Postcodes by region, and the ones near a given postcode."""

    def __init__(self) -> None:
        self._by_region: dict[str, list[Postcode]] = {r.slug: [] for r in REGIONS}
        self._towns: dict[str, list[Postcode]] = {r.slug: [] for r in REGIONS}
        for pc in postcodes():
            self._by_region[pc.region].append(pc)
            if pc.place in TOWNS:
                self._towns[pc.region].append(pc)
        self._near: dict[tuple[str, float], list[Postcode]] = {}

    def in_region(self, region: str) -> list[Postcode]:
        return self._by_region[region]

    def pick(self, rng: random.Random, region: str, *, town: bool = False) -> Postcode:
        return rng.choice((self._towns if town else self._by_region)[region])

    def near(self, origin: Postcode, km: float) -> list[Postcode]:
        """Postcodes of the same region within ``km``; at least the three nearest."""
        key = (origin.pc4, km)
        if key not in self._near:
            ranked = sorted(self._by_region[origin.region],
                            key=lambda pc: (distance_km(origin, pc), pc.pc4))
            within = [pc for pc in ranked if distance_km(origin, pc) <= km]
            self._near[key] = within if len(within) >= 3 else ranked[:3]
        return self._near[key]
