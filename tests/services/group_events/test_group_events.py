"""Group events as services: groups and hosts, the assignment, publishing to the schools."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
from sqlmodel import select

from app.models import (
    ActivityKind,
    AgeGroup,
    GroupAssignment,
    GroupEvent,
    GroupEventStatus,
    GroupRequest,
    HostOffer,
    Notification,
    Role,
)
from app.services import group_events as service
from app.services.group_events import GroupEventError
from tests import factories

DAY = date(2026, 4, 23)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def event(world, session, ctx):
    return service.create_event(session=session, user=world.home.coordinator,
                                kind=ActivityKind.girlsday, title="Girlsday 2026",
                                held_on=DAY)


def companies(session, world, password_hash, count, postcodes=("6902",)):
    found = []
    for n in range(count):
        company, _user = factories.make_company(session, world.home.region,
                                                password_hash=password_hash)
        company.postcode = postcodes[n % len(postcodes)]
        session.add(company)
        found.append(company)
    session.commit()
    return found


def schools(session, world, count, postcodes=("6901",)):
    found = []
    for n in range(count):
        school = factories.make_school(session, world.home.region)
        school.postcode = postcodes[n % len(postcodes)]
        session.add(school)
        found.append(school)
    session.commit()
    return found


def stored(session, event):
    return session.exec(select(GroupAssignment).where(
        GroupAssignment.event_id == event.id)).all()


# --- events -------------------------------------------------------------------------------

def test_a_coordinator_creates_an_event_in_their_region(world, session, event):
    assert event.region_id == world.home.region.id and event.status is GroupEventStatus.draft
    assert event.created_by_id == world.home.coordinator.id


@pytest.mark.parametrize("changes, field", [
    ({"kind": ActivityKind.company_visit}, "kind"), ({"title": "  "}, "title"),
    ({"held_on": None}, "held_on")])
def test_an_event_needs_a_group_kind_a_title_and_a_date(world, session, ctx, changes, field):
    values = {"kind": "girlsday", "title": "Girlsday", "held_on": DAY} | changes
    with pytest.raises(GroupEventError) as raised:
        service.create_event(session=session, user=world.home.coordinator, **values)
    assert raised.value.field == field


def test_only_coordinators_and_admins_create_events_an_admin_for_a_chosen_region(
        world, session, ctx):
    with pytest.raises(GroupEventError):
        service.create_event(session=session, user=world.home.counsellor, kind="girlsday",
                             title="X", held_on=DAY)
    with pytest.raises(GroupEventError) as raised:
        service.create_event(session=session, user=world.admin, kind="pet_event", title="X",
                             held_on=DAY)
    assert raised.value.field == "region_id"
    made = service.create_event(session=session, user=world.admin, kind="pet_event",
                                title="PET-dag", held_on=DAY, region_id=world.away.region.id)
    assert made.region_id == world.away.region.id


def test_a_linked_activity_must_be_of_the_events_region(world, session, ctx):
    with pytest.raises(GroupEventError) as raised:
        service.create_event(session=session, user=world.home.coordinator,
                             kind="week_van_de_techniek", title="WvdT", held_on=DAY,
                             activity_id=world.away.activity.id)
    assert raised.value.field == "activity_id"
    made = service.create_event(session=session, user=world.home.coordinator,
                                kind="week_van_de_techniek", title="WvdT", held_on=DAY,
                                activity_id=world.home.activity.id)
    assert made.activity_id == world.home.activity.id


# --- groups and hosts -----------------------------------------------------------------------

def test_groups_are_of_the_region_once_each_with_the_usual_age_group(world, session, event):
    home = world.home
    first = service.add_group(session=session, event=event, school_id=home.school.id,
                              name="2B", size=24)
    assert first.age_group is AgeGroup.lower_secondary  # a vmbo school
    mbo = service.add_group(session=session, event=event, school_id=home.other_school.id,
                            name="BOL-1", size=18)
    assert mbo.age_group is AgeGroup.vocational
    with pytest.raises(GroupEventError) as raised:
        service.add_group(session=session, event=event, school_id=home.school.id, name="2b",
                          size=20)
    assert raised.value.field == "name"
    with pytest.raises(GroupEventError) as raised:
        service.add_group(session=session, event=event, school_id=world.away.school.id,
                          name="1A", size=20)
    assert raised.value.field == "school_id"
    for size in (0, 501, None, True):
        with pytest.raises(GroupEventError):
            service.add_group(session=session, event=event, school_id=home.school.id,
                              name="3C", size=size)
    chosen = service.add_group(session=session, event=event, school_id=home.school.id,
                               name="4A", size=20, age_group="bovenbouw")
    assert chosen.age_group is AgeGroup.upper_secondary


def test_hosts_are_of_the_region_once_each_with_a_capacity(world, session, event):
    home = world.home
    offer = service.add_host(session=session, event=event, company_id=home.company.id,
                             capacity=30, age_groups=["primary", AgeGroup.lower_secondary])
    assert offer.age_groups == ["primary", "lower_secondary"]
    with pytest.raises(GroupEventError) as raised:
        service.add_host(session=session, event=event, company_id=home.company.id,
                         capacity=10)
    assert raised.value.field == "company_id"
    with pytest.raises(GroupEventError) as raised:
        service.add_host(session=session, event=event, company_id=world.away.company.id,
                         capacity=10)
    assert raised.value.field == "company_id"
    with pytest.raises(GroupEventError) as raised:
        service.add_host(session=session, event=event, company_id=home.company.id,
                         capacity=0)
    assert raised.value.field == "capacity"


def test_pasted_groups_are_all_checked_first_and_a_second_paste_updates(world, session, event):
    home = world.home
    bad = (f"school;klas;aantal;leeftijd\n{home.school.code};2B;24\nNOPE;1A;20\n"
           f"{home.school.code};3C;veel\n{world.away.school.code};1A;20\n"
           f"{home.school.code};4D;20;kleuters\n{home.school.code};2b;22\n")
    with pytest.raises(GroupEventError) as raised:
        service.import_groups(session=session, event=event, text=bad)
    problems = raised.value.problems
    assert [p.split(":")[0] for p in problems] == \
        ["Regel 3", "Regel 4", "Regel 5", "Regel 6", "Regel 7"]
    assert session.exec(select(GroupRequest)).all() == []
    good = f"{home.school.code}\t2B\t24\n\n# comment\n{home.other_school.code.lower()};1A;20;po\n"
    result = service.import_groups(session=session, event=event, text=good)
    assert (result.added, result.updated) == (2, 0)
    again = service.import_groups(session=session, event=event,
                                  text=f"{home.school.code};2B;26;onderbouw")
    assert (again.added, again.updated) == (0, 1)
    sizes = {r.name: (r.size, r.age_group) for r in session.exec(select(GroupRequest))}
    assert sizes == {"2B": (26, AgeGroup.lower_secondary), "1A": (20, AgeGroup.primary)}


def test_pasted_hosts_are_all_checked_first_and_a_second_paste_updates(world, session, event,
                                                                      password_hash):
    home = world.home
    other = companies(session, world, password_hash, 1)[0]
    bad = f"{home.company.kvk};30\n99999999;10\n{other.kvk};0\n{other.kvk};5;po rups\n"
    with pytest.raises(GroupEventError) as raised:
        service.import_hosts(session=session, event=event, text=bad)
    assert [p.split(":")[0] for p in raised.value.problems] == ["Regel 2", "Regel 3", "Regel 4"]
    assert session.exec(select(HostOffer)).all() == []
    result = service.import_hosts(session=session, event=event,
                                  text=f"kvk;capaciteit\n{home.company.kvk};30;po/onderbouw\n"
                                       f"{other.kvk};12\n")
    assert (result.added, result.updated) == (2, 0)
    service.import_hosts(session=session, event=event, text=f"{other.kvk};15;mbo")
    offers = {o.company_id: (o.capacity, o.age_groups) for o in session.exec(select(HostOffer))}
    assert offers == {home.company.id: (30, ["primary", "lower_secondary"]),
                      other.id: (15, ["vocational"])}


# --- the assignment ------------------------------------------------------------------------

def test_the_assignment_keeps_groups_whole_within_capacity_and_travel_short(
        world, session, event, password_hash):
    near, far = companies(session, world, password_hash, 2, postcodes=("6901", "7001"))
    school_near, school_far = schools(session, world, 2, postcodes=("6902", "7002"))
    service.add_host(session=session, event=event, company_id=near.id, capacity=25)
    service.add_host(session=session, event=event, company_id=far.id, capacity=25)
    service.add_group(session=session, event=event, school_id=school_far.id, name="2A",
                      size=20)
    service.add_group(session=session, event=event, school_id=school_near.id, name="2A",
                      size=22)
    summary = service.run_assignment(session=session, event=event)
    rows = stored(session, event)
    where = {session.get(GroupRequest, r.request_id).school_id:
             session.get(HostOffer, r.offer_id).company_id for r in rows}
    assert where == {school_near.id: near.id, school_far.id: far.id}
    assert all(r.students == session.get(GroupRequest, r.request_id).size for r in rows)
    assert summary["students_placed"] == 42 and summary["groups_unassigned"] == 0
    assert summary["optimal"] and summary["mean_km"] < 5
    assert event.assigned_at is not None


def test_a_group_is_split_only_when_it_is_larger_than_every_host(world, session, event,
                                                                 password_hash):
    hosts = companies(session, world, password_hash, 3)
    for company in hosts:
        service.add_host(session=session, event=event, company_id=company.id, capacity=30)
    big = service.add_group(session=session, event=event, school_id=world.home.school.id,
                            name="leerjaar 2", size=50)
    small = service.add_group(session=session, event=event, school_id=world.home.school.id,
                              name="2C", size=30)
    summary = service.run_assignment(session=session, event=event)
    parts = Counter(r.request_id for r in stored(session, event))
    assert parts == {big.id: 2, small.id: 1}
    assert summary["groups_split"] == 1


def test_no_host_receives_more_than_its_capacity_over_random_events(world, session, ctx,
                                                                    password_hash):
    rng = random.Random(3)
    hosts = companies(session, world, password_hash, 5,
                      postcodes=("6901", "6921", "7001", "6951", "6941"))
    school_list = schools(session, world, 4, postcodes=("6902", "7002", "6922", "6942"))
    for round_ in range(6):
        event = service.create_event(session=session, user=world.home.coordinator,
                                     kind="girlsday", title=f"Girlsday {round_}", held_on=DAY)
        for company in rng.sample(hosts, rng.randint(1, 5)):
            service.add_host(session=session, event=event, company_id=company.id,
                             capacity=rng.randint(5, 40),
                             age_groups=rng.sample(list(AgeGroup), rng.randint(0, 2)))
        for n in range(rng.randint(1, 9)):
            service.add_group(session=session, event=event,
                              school_id=rng.choice(school_list).id, name=f"G{n}",
                              size=rng.randint(5, 45), age_group=rng.choice(list(AgeGroup)))
        service.run_assignment(session=session, event=event)
        offers = {o.id: o for o in session.exec(select(HostOffer).where(
            HostOffer.event_id == event.id))}
        groups = {g.id: g for g in session.exec(select(GroupRequest).where(
            GroupRequest.event_id == event.id))}
        received, sent = Counter(), Counter()
        for row in stored(session, event):
            received[row.offer_id] += row.students
            sent[row.request_id] += row.students
        assert all(received[i] <= offer.capacity for i, offer in offers.items())
        largest = max(o.capacity for o in offers.values())
        for group_id, students in sent.items():
            assert students == groups[group_id].size
        parts = Counter(row.request_id for row in stored(session, event))
        assert all(parts[g] == 1 for g, group in groups.items()
                   if group.size <= largest and parts[g])


def test_a_change_to_groups_or_hosts_throws_the_assignment_away(world, session, event):
    home = world.home
    offer = service.add_host(session=session, event=event, company_id=home.company.id,
                             capacity=30)
    group = service.add_group(session=session, event=event, school_id=home.school.id,
                              name="2B", size=20)
    service.run_assignment(session=session, event=event)
    assert stored(session, event)
    service.add_group(session=session, event=event, school_id=home.school.id, name="2C",
                      size=5)
    assert stored(session, event) == [] and event.assigned_at is None and event.summary == {}
    service.run_assignment(session=session, event=event)
    service.remove_host(session=session, event=event, offer=offer)
    assert stored(session, event) == []
    with pytest.raises(GroupEventError):
        service.run_assignment(session=session, event=event)
    service.remove_group(session=session, event=event, request=group)


def test_publishing_needs_an_assignment_tells_the_schools_and_locks_the_event(
        world, session, event):
    home = world.home
    service.add_host(session=session, event=event, company_id=home.company.id, capacity=30)
    service.add_group(session=session, event=event, school_id=home.school.id, name="2B",
                      size=20)
    with pytest.raises(GroupEventError):
        service.publish(session=session, event=event)
    service.run_assignment(session=session, event=event)
    other_counsellor = factories.make_user(session, Role.counsellor, password_hash="x",
                                           school=home.other_school)
    session.commit()
    assert service.publish(session=session, event=event) == 1
    assert event.status is GroupEventStatus.published and event.published_at is not None
    told = session.exec(select(Notification.user_id)).all()
    assert told == [home.counsellor.id] and other_counsellor.id not in told
    with pytest.raises(GroupEventError):
        service.add_group(session=session, event=event, school_id=home.school.id, name="3A",
                          size=10)
    with pytest.raises(GroupEventError):
        service.run_assignment(session=session, event=event)
    with pytest.raises(GroupEventError):
        service.delete_event(session=session, event=event)
    service.reopen(session=session, event=event)
    assert event.status is GroupEventStatus.draft and stored(session, event)
    with pytest.raises(GroupEventError):
        service.reopen(session=session, event=event)


def test_a_school_sees_only_its_own_groups_of_published_events(world, session, event):
    home = world.home
    service.add_host(session=session, event=event, company_id=home.company.id, capacity=60)
    service.add_group(session=session, event=event, school_id=home.school.id, name="2B",
                      size=20)
    service.add_group(session=session, event=event, school_id=home.other_school.id,
                      name="1A", size=20)
    service.run_assignment(session=session, event=event)
    assert service.school_events(session=session, school=home.school) == []
    service.publish(session=session, event=event)
    [seen] = service.school_events(session=session, school=home.school)
    assert [(row.request.name, [d.company.id for d in row.destinations])
            for row in seen.groups] == [("2B", [home.company.id])]
    assert service.school_events(session=session, school=world.away.school) == []


def test_a_draft_event_is_deleted_with_everything_in_it(world, session, event):
    home = world.home
    service.add_host(session=session, event=event, company_id=home.company.id, capacity=30)
    service.add_group(session=session, event=event, school_id=home.school.id, name="2B",
                      size=20)
    service.run_assignment(session=session, event=event)
    service.delete_event(session=session, event=event)
    for model in (GroupAssignment, GroupRequest, HostOffer):
        assert session.exec(select(model)).all() == []
    assert session.exec(select(GroupEvent)).all() == []
