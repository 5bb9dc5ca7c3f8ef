"""The event itself: create and delete a draft, run the assignment of its groups to its
hosts, publish it to the schools and reopen it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from matching.groups import GroupAssigner, HostSite, SchoolGroup

from ...models import (
    Activity,
    ActivityKind,
    GroupAssignment,
    GroupEvent,
    GroupEventStatus,
    GroupRequest,
    HostOffer,
    Region,
    Role,
    User,
    utcnow,
)
from ..notifications import counsellors_of, notify
from ..rows import id_of
from .rules import (
    EVENT_KINDS,
    TIME_LIMIT,
    TITLE_MAX,
    GroupEventError,
    groups_and_hosts,
    require_draft,
)


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
        event_kind = ActivityKind(kind)
    except ValueError:
        event_kind = None
    if event_kind is None or event_kind not in EVENT_KINDS:
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
    return event_kind, title, held_on, activity_id


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
    require_draft(event)
    for model in (GroupAssignment, GroupRequest, HostOffer):
        session.exec(sa.delete(model).where(col(model.event_id) == event.id))
    session.delete(event)
    session.commit()


def run_assignment(*, session: Session, event: GroupEvent,
                   assigner: GroupAssigner | None = None) -> dict:
    """Assign the event's groups to its hosts (replacing an earlier run) and return the
    summary that is also kept on the event."""
    require_draft(event)
    groups, hosts = groups_and_hosts(session, event)
    if not groups or not hosts:
        raise GroupEventError(_("Enter at least one group and one host first."))
    assigner = assigner or GroupAssigner(time_limit=TIME_LIMIT)
    assigner.fit([SchoolGroup(request.size, school.postcode, request.age_group.value)
                  for request, school in groups],
                 [HostSite(offer.capacity, company.postcode, tuple(offer.age_groups))
                  for offer, company in hosts])
    session.exec(sa.delete(GroupAssignment).where(col(GroupAssignment.event_id) == event.id))
    for part in assigner.parts_:
        session.add(GroupAssignment(
            event_id=id_of(event), request_id=groups[part.group][0].id,
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
    require_draft(event)
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
