"""The one login per role that the README lists, and who gets it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.models import Role, SchoolKind

from .places import DEMO_REGION

if TYPE_CHECKING:
    from .activities import Tally
    from .organisations import CompanyInfo, RegionInfo
    from .people import StudentInfo

DEMO_ACCOUNTS: tuple[tuple[Role, str], ...] = (
    (Role.student, "student@talentmatch.example"),
    (Role.counsellor, "counsellor@talentmatch.example"),
    (Role.company, "company@talentmatch.example"),
    (Role.coordinator, "coordinator@talentmatch.example"),
    (Role.admin, "admin@talentmatch.example"),
    (Role.observer, "scout@talentmatch.example"),
)
DEMO_EMAIL = dict(DEMO_ACCOUNTS)


def name_demo_accounts(regions: list[RegionInfo], students: list[StudentInfo], tally: Tally,
                       companies: list[CompanyInfo], per_company: dict[int, int]) -> None:
    """Give the demo addresses to a well-connected student, counsellor, company and coordinator.

    Chosen after the fact, so the demo shows the Liemers vmbo pupil who was observed most
    and the Liemers company with most placements, without bending the data around them.
    The admin is created under its demo address.
    """
    student = max(
        (s for s in students if s.school.kind is SchoolKind.vmbo
         and s.school.region.slug == DEMO_REGION and s.school.counsellor is not None),
        key=lambda s: (tally.observations[s.id], tally.participations[s.id], -s.id),
    )
    company = max((c for c in companies if c.region.slug == DEMO_REGION),
                  key=lambda c: (per_company[c.id], -c.id))
    region = next(r for r in regions if r.slug == DEMO_REGION)
    student.user["email"] = DEMO_EMAIL[Role.student]
    student.school.counsellor["email"] = DEMO_EMAIL[Role.counsellor]  # type: ignore[index]
    company.contacts[0]["email"] = DEMO_EMAIL[Role.company]
    region.coordinator["email"] = DEMO_EMAIL[Role.coordinator]
    region.scouts[0]["email"] = DEMO_EMAIL[Role.observer]
