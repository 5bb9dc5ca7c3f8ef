"""What the group-event pages show: the list of events, one event with its assignment, the
events a school takes part in, and the choices of a region's forms."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from ...models import (
    Activity,
    Company,
    GroupAssignment,
    GroupEvent,
    GroupEventStatus,
    GroupRequest,
    HostOffer,
    Region,
    School,
)
from ..rows import id_of, row_of
from .rules import EVENT_KINDS, groups_and_hosts


@dataclass(frozen=True)
class EventRow:
    event: GroupEvent
    region: Region
    groups: int
    hosts: int


def list_events(*, session: Session, region_id: int | None) -> list[EventRow]:
    """Events of a region (None: every region), the next one first."""
    groups = (select(func.count()).select_from(GroupRequest)
              .where(GroupRequest.event_id == GroupEvent.id).scalar_subquery())
    hosts = (select(func.count()).select_from(HostOffer)
             .where(HostOffer.event_id == GroupEvent.id).scalar_subquery())
    query = select(GroupEvent, Region, groups, hosts).join(
        Region, col(Region.id) == GroupEvent.region_id)
    if region_id is not None:
        query = query.where(GroupEvent.region_id == region_id)
    rows = session.exec(query.order_by(col(GroupEvent.held_on).desc(),
                                       col(GroupEvent.id).desc())).all()
    return [EventRow(*row) for row in rows]


@dataclass(frozen=True)
class Destination:
    assignment: GroupAssignment
    offer: HostOffer
    company: Company


@dataclass(frozen=True)
class GroupRow:
    request: GroupRequest
    school: School
    destinations: list[Destination]

    @property
    def split(self) -> bool:
        return len(self.destinations) > 1


@dataclass(frozen=True)
class HostRow:
    offer: HostOffer
    company: Company
    received: int
    groups: list[tuple[GroupAssignment, GroupRequest, School]]


@dataclass(frozen=True)
class EventDetail:
    event: GroupEvent
    region: Region
    activity: Activity | None
    groups: list[GroupRow]
    hosts: list[HostRow]

    @property
    def unassigned(self) -> list[GroupRow]:
        return [row for row in self.groups if not row.destinations]


def event_detail(*, session: Session, event: GroupEvent) -> EventDetail:
    groups, hosts = groups_and_hosts(session, event)
    assignments = session.exec(select(GroupAssignment).where(
        GroupAssignment.event_id == event.id).order_by(col(GroupAssignment.id))).all()
    offers = {offer.id: (offer, company) for offer, company in hosts}
    requests = {request.id: (request, school) for request, school in groups}
    by_request: dict[int, list[Destination]] = defaultdict(list)
    by_offer: dict[int, list] = defaultdict(list)
    for assignment in assignments:
        offer, company = offers[assignment.offer_id]
        by_request[assignment.request_id].append(Destination(assignment, offer, company))
        request, school = requests[assignment.request_id]
        by_offer[assignment.offer_id].append((assignment, request, school))
    activity = session.get(Activity, event.activity_id) if event.activity_id else None
    return EventDetail(
        event, row_of(session, Region, event.region_id), activity,
        [GroupRow(request, school, by_request[id_of(request)]) for request, school in groups],
        [HostRow(offer, company, sum(a.students for a, _r, _s in by_offer[id_of(offer)]),
                 by_offer[id_of(offer)]) for offer, company in hosts])


def school_events(*, session: Session, school: School) -> list[EventDetail]:
    """Published events in which ``school`` has groups, the next one first, each with only
    that school's groups (and the hosts they go to)."""
    events = session.exec(
        select(GroupEvent).where(
            GroupEvent.status == GroupEventStatus.published,
            col(GroupEvent.id).in_(select(GroupRequest.event_id).where(
                GroupRequest.school_id == school.id)))
        .order_by(col(GroupEvent.held_on).desc(), col(GroupEvent.id).desc())).all()
    found = []
    for event in events:
        detail = event_detail(session=session, event=event)
        mine = [row for row in detail.groups if row.school.id == school.id]
        found.append(EventDetail(event, detail.region, detail.activity, mine, []))
    return found


def region_schools(*, session: Session, region_id: int) -> list[School]:
    return list(session.exec(select(School).where(School.region_id == region_id)
                             .order_by(col(School.name), col(School.id))).all())


def region_companies(*, session: Session, region_id: int) -> list[Company]:
    return list(session.exec(select(Company).where(Company.region_id == region_id)
                             .order_by(col(Company.name), col(Company.id))).all())


def region_activities(*, session: Session, region_id: int) -> list[Activity]:
    """Activities of the region an event may belong to (Girlsday, week of technology, PET)."""
    return list(session.exec(select(Activity).where(
        Activity.region_id == region_id, col(Activity.kind).in_(EVENT_KINDS))
        .order_by(col(Activity.starts_on).desc(), col(Activity.id).desc()).limit(200)).all())


def summary_lines(summary: dict) -> list[str]:
    """The last run in a few plain sentences, for the coordinator's review."""
    if not summary:
        return []
    lines = [ngettext("%(placed)s of %(num)s group placed", "%(placed)s of %(num)s groups placed",
                      summary["groups"], placed=summary["groups_placed"])
             + " · " + _("%(placed)s of %(students)s students",
                         placed=summary["students_placed"], students=summary["students"])]
    if summary.get("mean_km") is not None:
        lines.append(_("On average %(km)s km to travel per student (%(total)s student-km in "
                       "all).", km=format_decimal(summary["mean_km"], "0.0"),
                       total=format_decimal(summary["student_km"], "#,##0.0")))
    if summary["groups_unassigned"]:
        lines.append(ngettext(
            "%(num)s group has no host: the hosts' capacity (%(capacity)s) is too small or "
            "too divided. Add a host or raise a capacity and run it again.",
            "%(num)s groups have no host: the hosts' capacity (%(capacity)s) is too small or "
            "too divided. Add a host or raise a capacity and run it again.",
            summary["groups_unassigned"], capacity=summary["capacity"]))
    if summary["groups_split"]:
        lines.append(ngettext(
            "%(num)s group is larger than every host and is split over several hosts.",
            "%(num)s groups are larger than every host and are split over several hosts.",
            summary["groups_split"]))
    if summary["not_preferred"]:
        lines.append(ngettext(
            "%(num)s visit goes to a host that prefers another age group.",
            "%(num)s visits go to a host that prefers another age group.",
            summary["not_preferred"]))
    if not summary["optimal"]:
        lines.append(_("The search stopped at its time limit: this is the best assignment it "
                       "found, not proven the best there is."))
    return lines
