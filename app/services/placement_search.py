"""The student's search over open placements within their reach, with filters, paged.

Reach is what the matching engine admits for the student (see :mod:`.student_choice`), across
region borders. The filters work on what the fitted scorer already holds of each placement
(kind, themes, period, postcode), so a page costs the same few queries however many placements
match: the scorer's, one for the recognised companies, one for the page's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from ..models import Company, Placement, StudentProfile
from ..models.base import local_today
from .matching_data import open_placement_filter
from .student_choice import Reach, placements_with_companies, reach_of

PAGE_SIZE = 25


@dataclass(frozen=True)
class SearchFilters:
    theme: str = ""          # a theme's slug
    kind: str = ""           # a PlacementKind value
    max_km: int | None = None
    period_from: date | None = None
    period_until: date | None = None
    recognised_only: bool = False


@dataclass(frozen=True)
class Hit:
    placement: Placement
    company: Company
    distance_km: float | None


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    pages: int


def search(*, session: Session, student: StudentProfile, filters: SearchFilters,
           page: int = 1, today: date | None = None, per_page: int = PAGE_SIZE) -> SearchPage:
    """Placements in reach that pass ``filters``, best score first (then nearest)."""
    today = today or local_today()
    reach = reach_of(session=session, student=student, today=today)
    found = _matching(session, reach, filters, today)
    found.sort(key=lambda pid: (-reach.scores[pid], reach.distances.get(pid) or 0.0, pid))
    pages = max(1, -(-len(found) // per_page))
    page = min(max(page, 1), pages)
    ids = found[(page - 1) * per_page:page * per_page]
    rows = placements_with_companies(session, ids)
    hits = [Hit(*rows[pid], distance_km=reach.distances.get(pid)) for pid in ids if pid in rows]
    return SearchPage(hits, len(found), page, pages)


def _matching(session: Session, reach: Reach, filters: SearchFilters, today: date) -> list[int]:
    recognised: set[int] | None = None
    if filters.recognised_only:
        recognised = {pid for pid in session.exec(
            select(Placement.id).join(Company, col(Company.id) == Placement.company_id)
            .where(*open_placement_filter(today), col(Company.recognised).is_(True))).all()
            if pid is not None}
    found = []
    for record in reach.scorer.placements_:
        pid = int(record.id)
        if pid not in reach.scores:
            continue
        if filters.kind and record.kind != filters.kind:
            continue
        if filters.theme and filters.theme not in record.themes:
            continue
        if recognised is not None and pid not in recognised:
            continue
        if filters.max_km is not None:
            km = reach.distances.get(pid)
            # An unknown distance passes: the engine does not exclude on it either.
            if km is not None and km > filters.max_km:
                continue
        if not _overlaps(record.starts_on, record.ends_on, filters):
            continue
        found.append(pid)
    return found


def _overlaps(starts: date | None, ends: date | None, filters: SearchFilters) -> bool:
    """Whether the placement's period meets the asked one; an open end meets everything."""
    if filters.period_from is not None and ends is not None and ends < filters.period_from:
        return False
    return not (filters.period_until is not None and starts is not None
                and starts > filters.period_until)
