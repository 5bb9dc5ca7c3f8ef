"""The plain records the matching library reads: what is known of a student and a placement.

There is deliberately no gender here. Whatever the application stores about gender stays out of
these records, so nothing the scorer computes can depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Observation:
    """A talent observation: what a scout or teacher saw the student do well."""

    themes: tuple[str, ...]
    strength: int  # 1-5
    observed_on: date
    skills: str = ""
    activity: str = ""  # the activity's name, for the explanation


@dataclass(frozen=True, slots=True)
class Participation:
    """Taking part in an activity with technology themes (a tech week, a Girlsday visit)."""

    themes: tuple[str, ...]
    on: date
    activity: str = ""


@dataclass(frozen=True, slots=True)
class StudentRecord:
    id: int
    level: str
    postcode: str | None = None
    travel_km: float = 15.0
    available_from: date | None = None
    available_until: date | None = None
    wanted_kinds: tuple[str, ...] = ()
    interests: str = ""
    themes: tuple[str, ...] = ()
    dream_job: str = ""
    observations: tuple[Observation, ...] = ()
    participations: tuple[Participation, ...] = ()
    wants_role_model: bool = False


@dataclass(frozen=True, slots=True)
class PlacementRecord:
    id: int
    kind: str
    title: str
    levels: tuple[str, ...] = ()  # empty: open to every level
    description: str = ""
    themes: tuple[str, ...] = ()
    occupation: str = ""  # an occupation label (ESCO), if known
    occupation_code: str = ""  # its ESCO code, found when the placement was posted
    postcode: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    company: str = ""
    place: str = ""
    female_role_model: bool = False
    feedback_positive: int = 0
    feedback_total: int = 0
