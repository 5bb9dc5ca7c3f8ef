"""Group events: which school group goes to which host company on Girlsday, the Week van de
Techniek or a PET day.

The coordinator of a region creates an event, enters (or pastes from a spreadsheet) the school
groups and the hosts with their capacities, runs the assignment (:mod:`matching.groups`),
reviews it and publishes it; then each school's counsellors see where their groups go.

Every function takes keyword arguments, validates, commits, and raises a
:class:`GroupEventError` whose message says what to fix. Who may call what is decided by the
views with :mod:`app.permissions`. Changing the groups or hosts of an event throws its
assignment away (it would no longer fit them); a published event is reopened first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlmodel import Session, func, select

from matching.groups import GroupAssigner, HostSite, SchoolGroup

from ..models import (
    Activity,
    ActivityKind,
    AgeGroup,
    Company,
    GroupAssignment,
    GroupEvent,
    GroupEventStatus,
    GroupRequest,
    HostOffer,
    Region,
    Role,
    School,
    SchoolKind,
    User,
    utcnow,
)
from .errors import ServiceError
from .notifications import counsellors_of, notify

EVENT_KINDS = (ActivityKind.girlsday, ActivityKind.tech_week, ActivityKind.pet_event)
TITLE_MAX = 200
NAME_MAX = 40
MAX_GROUP_SIZE = 500
MAX_CAPACITY = 2000
MAX_IMPORT_LINES = 2000
# Seconds each of the assignment's two solver steps may take: a web request must end.
TIME_LIMIT = 8.0

DEFAULT_AGE_GROUP = {
    SchoolKind.primary: AgeGroup.primary,
    SchoolKind.vmbo: AgeGroup.lower_secondary,
    SchoolKind.havo_vwo: AgeGroup.lower_secondary,
    SchoolKind.mbo: AgeGroup.vocational,
    SchoolKind.hbo: AgeGroup.vocational,
}
# What people type in a spreadsheet for an age group (lower case), besides the values.
AGE_WORDS = {
    "po": AgeGroup.primary, "basisonderwijs": AgeGroup.primary, "basisschool": AgeGroup.primary,
    "primary": AgeGroup.primary, "onderbouw": AgeGroup.lower_secondary,
    "vo-onderbouw": AgeGroup.lower_secondary, "lower_secondary": AgeGroup.lower_secondary,
    "bovenbouw": AgeGroup.upper_secondary, "vo-bovenbouw": AgeGroup.upper_secondary,
    "upper_secondary": AgeGroup.upper_secondary, "mbo": AgeGroup.vocational,
    "hbo": AgeGroup.vocational, "vocational": AgeGroup.vocational,
}


class GroupEventError(ServiceError):
    """Input that cannot be saved; nothing was changed. ``problems`` lists every line of an
    import that needs fixing."""

    def __init__(self, message: str, field: str | None = None,
                 problems: list[str] | None = None):
        super().__init__(message, field)
        self.problems = problems or []


# --- events -----------------------------------------------------------------------------------

def _event_region(session: Session, user: User, region_id: int | None) -> int:
    if user.role is Role.coordinator and user.region_id is not None:
        return user.region_id
    if user.role is Role.admin:
        if region_id is None or session.get(Region, region_id) is None:
            raise GroupEventError(_("Choose the region of the event."), field="region_id")
        return region_id
    raise GroupEventError(_("Only coordinators and administrators organise group events."))


def _clean_event(session: Session, *, region_id: int, kind, title: str, held_on: date | None,
                 activity_id: int | None) -> tuple[ActivityKind, str, date, int | None]:
    try:
        kind = ActivityKind(kind)
    except ValueError:
        kind = None
    if kind not in EVENT_KINDS:
        raise GroupEventError(_("Choose Girlsday, the week of technology or a PET event."),
                              field="kind")
    title = (title or "").strip()
    if not title:
        raise GroupEventError(_("Give the event a title."), field="title")
    if len(title) > TITLE_MAX:
        raise GroupEventError(_("Keep the title to %(n)s characters.", n=TITLE_MAX),
                              field="title")
    if held_on is None:
        raise GroupEventError(_("Give the date of the event."), field="held_on")
    if activity_id is not None:
        activity = session.get(Activity, activity_id)
        if activity is None or activity.region_id != region_id:
            raise GroupEventError(_("Choose an activity of the event's region."),
                                  field="activity_id")
    return kind, title, held_on, activity_id


def create_event(*, session: Session, user: User, kind: ActivityKind | str, title: str,
                 held_on: date | None, activity_id: int | None = None,
                 region_id: int | None = None) -> GroupEvent:
    """A draft event in the coordinator's region (``region_id`` only counts for an admin)."""
    region_id = _event_region(session, user, region_id)
    kind, title, held_on, activity_id = _clean_event(
        session, region_id=region_id, kind=kind, title=title, held_on=held_on,
        activity_id=activity_id)
    event = GroupEvent(region_id=region_id, kind=kind, title=title, held_on=held_on,
                       activity_id=activity_id, created_by_id=user.id)
    session.add(event)
    session.commit()
    return event


def delete_event(*, session: Session, event: GroupEvent) -> None:
    """Remove a draft event with its groups, hosts and assignment."""
    _require_draft(event)
    for model in (GroupAssignment, GroupRequest, HostOffer):
        session.exec(sa.delete(model).where(model.event_id == event.id))
    session.delete(event)
    session.commit()


def _require_draft(event: GroupEvent) -> None:
    if event.status is not GroupEventStatus.draft:
        raise GroupEventError(_("The assignment is published. Reopen the event to change "
                                "it."))


def _forget_assignment(session: Session, event: GroupEvent) -> None:
    """Groups or hosts changed: the assignment no longer fits them."""
    session.exec(sa.delete(GroupAssignment).where(GroupAssignment.event_id == event.id))
    event.assigned_at = None
    event.summary = {}
    session.add(event)


# --- groups -------------------------------------------------------------------------------

def _clean_size(value, *, maximum: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise GroupEventError(_("Enter a whole number from 1 to %(n)s.", n=maximum),
                              field=field)
    return value


def _clean_age_group(value) -> AgeGroup:
    if isinstance(value, AgeGroup):
        return value
    found = AGE_WORDS.get(str(value or "").strip().lower())
    if found is None:
        raise GroupEventError(_("Choose an age group."), field="age_group")
    return found


def default_age_group(school: School) -> AgeGroup:
    return DEFAULT_AGE_GROUP.get(school.kind, AgeGroup.lower_secondary)


def add_group(*, session: Session, event: GroupEvent, school_id: int | None, name: str,
              size: int | None, age_group: AgeGroup | str | None = None) -> GroupRequest:
    """A school group for the event; the same class of the same school again is refused.

    ``age_group`` None takes the usual one for the kind of school.
    """
    _require_draft(event)
    school = session.get(School, school_id) if school_id is not None else None
    if school is None or school.region_id != event.region_id:
        raise GroupEventError(_("Choose a school of the event's region."), field="school_id")
    name = (name or "").strip()
    if not name:
        raise GroupEventError(_("Name the group, e.g. its class."), field="name")
    if len(name) > NAME_MAX:
        raise GroupEventError(_("Keep the name to %(n)s characters.", n=NAME_MAX), field="name")
    size = _clean_size(size, maximum=MAX_GROUP_SIZE, field="size")
    age = default_age_group(school) if age_group in (None, "") else _clean_age_group(age_group)
    if _find_group(session, event, school.id, name) is not None:
        raise GroupEventError(_("%(school)s already has a group %(name)s in this event.",
                                school=school.name, name=name), field="name")
    request = GroupRequest(event_id=event.id, school_id=school.id, name=name, size=size,
                           age_group=age)
    session.add(request)
    _forget_assignment(session, event)
    session.commit()
    return request


def _find_group(session: Session, event: GroupEvent, school_id: int,
                name: str) -> GroupRequest | None:
    return session.exec(select(GroupRequest).where(
        GroupRequest.event_id == event.id, GroupRequest.school_id == school_id,
        func.lower(GroupRequest.name) == name.lower())).first()


def remove_group(*, session: Session, event: GroupEvent, request: GroupRequest) -> None:
    _require_draft(event)
    if request.event_id != event.id:
        raise GroupEventError(_("That group is not part of this event."))
    _forget_assignment(session, event)
    session.delete(request)
    session.commit()


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of pasted spreadsheet rows: tab, semicolon or comma separated.
    Empty lines and lines starting with # are skipped."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        separator = "\t" if "\t" in line else ";" if ";" in line else ","
        rows.append((number, [cell.strip() for cell in line.split(separator)]))
    if len(rows) > MAX_IMPORT_LINES:
        raise GroupEventError(_("Paste at most %(n)s lines at once.", n=MAX_IMPORT_LINES),
                              field="text")
    return rows


def _number(cell: str) -> int | None:
    return int(cell) if re.fullmatch(r"\d{1,6}", cell or "") else None


def _skip_header(rows: list[tuple[int, list[str]]], column: int) -> list:
    """A first row with words where the numbers go is the header row."""
    if rows:
        cells = rows[0][1]
        cell = cells[column] if len(cells) > column else ""
        if _number(cell) is None and any(c.isalpha() for c in cell):
            return rows[1:]
    return rows


def _age_cell(cell: str) -> AgeGroup | None:
    return AGE_WORDS.get(cell.strip().lower())


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int

    @property
    def message(self) -> str:
        return _("%(added)s added, %(updated)s updated.", added=self.added,
                 updated=self.updated)


def import_groups(*, session: Session, event: GroupEvent, text: str) -> ImportResult:
    """Groups pasted from a spreadsheet, one per line: school code, class, size and (optional)
    age group. Every line is checked first; on any problem nothing is written. A group that
    is already there (same school and class) gets the new size and age group."""
    _require_draft(event)
    rows = _skip_header(_lines(text), 2)
    if not rows:
        raise GroupEventError(_("Paste at least one line."), field="text")
    schools = {s.code.lower(): s for s in session.exec(
        select(School).where(School.region_id == event.region_id)).all()}
    problems: list[str] = []
    clean: list[tuple[School, str, int, AgeGroup]] = []
    seen: set[tuple[int, str]] = set()
    for number, cells in rows:
        cells = [*cells, "", "", "", ""][:4]
        code, name, size_cell, age_cell = cells
        school = schools.get(code.lower())
        size = _number(size_cell)
        age = _age_cell(age_cell) if age_cell else None
        if school is None:
            problems.append(_("Line %(line)s: no school with code “%(code)s” in this region.",
                              line=number, code=code))
        elif not name or len(name) > NAME_MAX:
            problems.append(_("Line %(line)s: give the class (at most %(n)s characters).",
                              line=number, n=NAME_MAX))
        elif size is None or not 1 <= size <= MAX_GROUP_SIZE:
            problems.append(_("Line %(line)s: the size must be a whole number from 1 to "
                              "%(n)s.", line=number, n=MAX_GROUP_SIZE))
        elif age_cell and age is None:
            problems.append(_("Line %(line)s: unknown age group “%(value)s” (po, onderbouw, "
                              "bovenbouw or mbo).", line=number, value=age_cell))
        elif (school.id, name.lower()) in seen:
            problems.append(_("Line %(line)s: %(school)s %(name)s is on an earlier line too.",
                              line=number, school=school.name, name=name))
        else:
            seen.add((school.id, name.lower()))
            clean.append((school, name, size, age or default_age_group(school)))
    if problems:
        raise GroupEventError(_("Nothing was imported: fix these lines and paste them again."),
                              field="text", problems=problems)
    added = updated = 0
    for school, name, size, age in clean:
        existing = _find_group(session, event, school.id, name)
        if existing is None:
            session.add(GroupRequest(event_id=event.id, school_id=school.id, name=name,
                                     size=size, age_group=age))
            added += 1
        else:
            existing.size, existing.age_group = size, age
            session.add(existing)
            updated += 1
    _forget_assignment(session, event)
    session.commit()
    return ImportResult(added, updated)


# --- hosts --------------------------------------------------------------------------------------

def _clean_age_groups(values) -> list[str]:
    chosen = {_clean_age_group(v) for v in values or () if str(v).strip()}
    return [age.value for age in AgeGroup if age in chosen]


def add_host(*, session: Session, event: GroupEvent, company_id: int | None,
             capacity: int | None, age_groups=()) -> HostOffer:
    """A host company with the most students it receives and the age groups it prefers
    (none: any)."""
    _require_draft(event)
    company = session.get(Company, company_id) if company_id is not None else None
    if company is None or company.region_id != event.region_id:
        raise GroupEventError(_("Choose a company of the event's region."), field="company_id")
    capacity = _clean_size(capacity, maximum=MAX_CAPACITY, field="capacity")
    ages = _clean_age_groups(age_groups)
    if session.exec(select(HostOffer.id).where(HostOffer.event_id == event.id,
                                               HostOffer.company_id == company.id)).first():
        raise GroupEventError(_("%(company)s is already a host of this event.",
                                company=company.name), field="company_id")
    offer = HostOffer(event_id=event.id, company_id=company.id, capacity=capacity,
                      age_groups=ages)
    session.add(offer)
    _forget_assignment(session, event)
    session.commit()
    return offer


def remove_host(*, session: Session, event: GroupEvent, offer: HostOffer) -> None:
    _require_draft(event)
    if offer.event_id != event.id:
        raise GroupEventError(_("That host is not part of this event."))
    _forget_assignment(session, event)
    session.delete(offer)
    session.commit()


def import_hosts(*, session: Session, event: GroupEvent, text: str) -> ImportResult:
    """Hosts pasted from a spreadsheet, one per line: KvK number, capacity and (optional)
    preferred age groups separated by spaces or slashes. Checked first, like groups."""
    _require_draft(event)
    rows = _skip_header(_lines(text), 1)
    if not rows:
        raise GroupEventError(_("Paste at least one line."), field="text")
    companies = {c.kvk: c for c in session.exec(
        select(Company).where(Company.region_id == event.region_id)).all()}
    problems: list[str] = []
    clean: list[tuple[Company, int, list[str]]] = []
    seen: set[int] = set()
    for number, cells in rows:
        cells = [*cells, "", "", ""][:3]
        kvk, capacity_cell, ages_cell = cells
        company = companies.get(kvk.replace(" ", ""))
        capacity = _number(capacity_cell)
        words = [w for w in re.split(r"[\s/|+]+", ages_cell) if w]
        ages = [_age_cell(w) for w in words]
        if company is None:
            problems.append(_("Line %(line)s: no company with KvK number “%(kvk)s” in this "
                              "region.", line=number, kvk=kvk))
        elif capacity is None or not 1 <= capacity <= MAX_CAPACITY:
            problems.append(_("Line %(line)s: the capacity must be a whole number from 1 to "
                              "%(n)s.", line=number, n=MAX_CAPACITY))
        elif None in ages:
            problems.append(_("Line %(line)s: unknown age group “%(value)s” (po, onderbouw, "
                              "bovenbouw or mbo).", line=number,
                              value=words[ages.index(None)]))
        elif company.id in seen:
            problems.append(_("Line %(line)s: %(company)s is on an earlier line too.",
                              line=number, company=company.name))
        else:
            seen.add(company.id)
            clean.append((company, capacity, [a.value for a in AgeGroup if a in ages]))
    if problems:
        raise GroupEventError(_("Nothing was imported: fix these lines and paste them again."),
                              field="text", problems=problems)
    added = updated = 0
    for company, capacity, ages in clean:
        existing = session.exec(select(HostOffer).where(
            HostOffer.event_id == event.id, HostOffer.company_id == company.id)).first()
        if existing is None:
            session.add(HostOffer(event_id=event.id, company_id=company.id, capacity=capacity,
                                  age_groups=ages))
            added += 1
        else:
            existing.capacity, existing.age_groups = capacity, ages
            session.add(existing)
            updated += 1
    _forget_assignment(session, event)
    session.commit()
    return ImportResult(added, updated)


# --- the assignment ------------------------------------------------------------------------------

def _groups_and_hosts(session: Session, event: GroupEvent):
    groups = session.exec(
        select(GroupRequest, School).join(School, School.id == GroupRequest.school_id)
        .where(GroupRequest.event_id == event.id)
        .order_by(School.name, GroupRequest.name, GroupRequest.id)).all()
    hosts = session.exec(
        select(HostOffer, Company).join(Company, Company.id == HostOffer.company_id)
        .where(HostOffer.event_id == event.id)
        .order_by(Company.name, HostOffer.id)).all()
    return list(groups), list(hosts)


def run_assignment(*, session: Session, event: GroupEvent,
                   assigner: GroupAssigner | None = None) -> dict:
    """Assign the event's groups to its hosts (replacing an earlier run) and return the
    summary that is also kept on the event."""
    _require_draft(event)
    groups, hosts = _groups_and_hosts(session, event)
    if not groups or not hosts:
        raise GroupEventError(_("Enter at least one group and one host first."))
    assigner = assigner or GroupAssigner(time_limit=TIME_LIMIT)
    assigner.fit([SchoolGroup(request.size, school.postcode, request.age_group.value)
                  for request, school in groups],
                 [HostSite(offer.capacity, company.postcode, tuple(offer.age_groups))
                  for offer, company in hosts])
    session.exec(sa.delete(GroupAssignment).where(GroupAssignment.event_id == event.id))
    for part in assigner.parts_:
        session.add(GroupAssignment(
            event_id=event.id, request_id=groups[part.group][0].id,
            offer_id=hosts[part.host][0].id, students=part.students,
            distance_km=None if part.distance_km is None else round(part.distance_km, 1),
            preferred=part.preferred))
    placed = int(assigner.placed_.sum())
    event.summary = {
        "groups": len(groups), "students": sum(r.size for r, _s in groups),
        "hosts": len(hosts), "capacity": sum(o.capacity for o, _c in hosts),
        "groups_placed": len(groups) - len(assigner.unassigned_),
        "students_placed": placed, "groups_unassigned": len(assigner.unassigned_),
        "groups_split": len(assigner.split_),
        "hosts_used": len({p.host for p in assigner.parts_}),
        "not_preferred": sum(1 for p in assigner.parts_ if not p.preferred),
        "student_km": round(assigner.student_km_, 1),
        "mean_km": round(assigner.student_km_ / placed, 1) if placed else None,
        "optimal": bool(assigner.optimal_),
    }
    event.assigned_at = utcnow()
    session.add(event)
    session.commit()
    return event.summary


def publish(*, session: Session, event: GroupEvent) -> int:
    """Show the assignment to the schools; their counsellors are told. Returns how many
    schools take part."""
    _require_draft(event)
    if event.assigned_at is None:
        raise GroupEventError(_("Run the assignment first: there is nothing to publish."))
    school_ids = set(session.exec(select(GroupRequest.school_id).where(
        GroupRequest.event_id == event.id)).all())
    event.status = GroupEventStatus.published
    event.published_at = utcnow()
    session.add(event)
    title, day = event.title, event.held_on
    notify(session=session, users=counsellors_of(session=session, school_ids=school_ids),
           kind="group_event",
           message=lambda: _("%(title)s on %(date)s: see where your groups go.", title=title,
                             date=format_date(day, "long")),
           link="/group-events/")
    session.commit()
    return len(school_ids)


def reopen(*, session: Session, event: GroupEvent) -> None:
    """Take a published assignment back to draft: the schools no longer see it."""
    if event.status is not GroupEventStatus.published:
        raise GroupEventError(_("The event is not published."))
    event.status = GroupEventStatus.draft
    event.published_at = None
    session.add(event)
    session.commit()


# --- what the pages show --------------------------------------------------------------------------

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
        Region, Region.id == GroupEvent.region_id)
    if region_id is not None:
        query = query.where(GroupEvent.region_id == region_id)
    rows = session.exec(query.order_by(GroupEvent.held_on.desc(), GroupEvent.id.desc())).all()
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
    groups, hosts = _groups_and_hosts(session, event)
    assignments = session.exec(select(GroupAssignment).where(
        GroupAssignment.event_id == event.id).order_by(GroupAssignment.id)).all()
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
        event, session.get(Region, event.region_id), activity,
        [GroupRow(request, school, by_request[request.id]) for request, school in groups],
        [HostRow(offer, company, sum(a.students for a, _r, _s in by_offer[offer.id]),
                 by_offer[offer.id]) for offer, company in hosts])


def school_events(*, session: Session, school: School) -> list[EventDetail]:
    """Published events in which ``school`` has groups, the next one first, each with only
    that school's groups (and the hosts they go to)."""
    events = session.exec(
        select(GroupEvent).where(
            GroupEvent.status == GroupEventStatus.published,
            GroupEvent.id.in_(select(GroupRequest.event_id).where(
                GroupRequest.school_id == school.id)))
        .order_by(GroupEvent.held_on.desc(), GroupEvent.id.desc())).all()
    found = []
    for event in events:
        detail = event_detail(session=session, event=event)
        mine = [row for row in detail.groups if row.school.id == school.id]
        found.append(EventDetail(event, detail.region, detail.activity, mine, []))
    return found


def region_schools(*, session: Session, region_id: int) -> list[School]:
    return list(session.exec(select(School).where(School.region_id == region_id)
                             .order_by(School.name, School.id)).all())


def region_companies(*, session: Session, region_id: int) -> list[Company]:
    return list(session.exec(select(Company).where(Company.region_id == region_id)
                             .order_by(Company.name, Company.id)).all())


def region_activities(*, session: Session, region_id: int) -> list[Activity]:
    """Activities of the region an event may belong to (Girlsday, week of technology, PET)."""
    return list(session.exec(select(Activity).where(
        Activity.region_id == region_id, Activity.kind.in_(EVENT_KINDS))
        .order_by(Activity.starts_on.desc(), Activity.id.desc()).limit(200)).all())


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
                       "all).", km=summary["mean_km"], total=summary["student_km"]))
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
