"""The group events pages: the coordinator's road from groups to a published assignment, and
what each school sees."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import GroupAssignment, GroupEvent, GroupEventStatus, GroupRequest, HostOffer
from app.services import group_events as service

DAY = date(2026, 4, 23)


@pytest.fixture
def event(world, session, app):
    with app.test_request_context():
        made = service.create_event(session=session, user=world.home.coordinator,
                                    kind="girlsday", title="Girlsday Liemers", held_on=DAY)
        service.add_host(session=session, event=made, company_id=world.home.company.id,
                         capacity=30)
        service.add_group(session=session, event=made, school_id=world.home.school.id,
                          name="2B", size=24)
    return made


def test_a_coordinator_creates_fills_runs_and_publishes_an_event(world, session, client,
                                                                login):
    home = world.home
    login(home.coordinator)
    assert client.get("/group-events/").status_code == 200
    form = client.get("/group-events/new")
    assert form.status_code == 200 and "Girlsday" in form.text
    created = client.post("/group-events/new", data={
        "kind": "girlsday", "title": "Girlsday 2026", "held_on": "2026-04-23",
        "activity_id": ""})
    assert created.status_code == 302
    event = session.exec(select(GroupEvent)).one()
    url = f"/group-events/{event.id}"
    assert client.post(f"{url}/groups", data={
        "school_id": home.school.id, "name": "2B", "size": "24", "age_group": ""}
    ).status_code == 302
    assert client.post(f"{url}/groups/import", data={
        "groups-text": f"{home.other_school.code};1A;18;mbo"}).status_code == 302
    assert client.post(f"{url}/hosts", data={
        "company_id": home.company.id, "capacity": "50", "age_groups": ["lower_secondary"]}
    ).status_code == 302
    page = client.get(url)
    assert page.status_code == 200 and "2B" in page.text and home.company.name in page.text
    assert client.post(f"{url}/assign").status_code == 302
    reviewed = client.get(url).text
    assert "2 of 2 groups placed" in reviewed or "2 van 2 groepen" in reviewed
    assert len(session.exec(select(GroupAssignment)).all()) == 2
    assert client.post(f"{url}/publish").status_code == 302
    session.refresh(event)
    assert event.status is GroupEventStatus.published
    login(home.counsellor)
    seen = client.get("/group-events/")
    assert seen.status_code == 200 and "Girlsday 2026" in seen.text
    assert home.company.name in seen.text and "2B" in seen.text and "1A" not in seen.text


def test_bad_input_shows_next_to_the_field_and_changes_nothing(world, session, client, login,
                                                              event):
    login(world.home.coordinator)
    url = f"/group-events/{event.id}"
    answer = client.post(f"{url}/groups", data={"school_id": world.away.school.id,
                                                "name": "1A", "size": "20"})
    assert answer.status_code == 400
    pasted = client.post(f"{url}/hosts/import", data={"hosts-text": "12345678;10\n;abc"})
    assert pasted.status_code == 400
    assert "Line 1" in pasted.text or "Regel 1" in pasted.text
    assert "Line 2" in pasted.text or "Regel 2" in pasted.text
    assert len(session.exec(select(GroupRequest)).all()) == 1
    assert len(session.exec(select(HostOffer)).all()) == 1
    assert client.post(f"{url}/hosts", data={"company_id": world.home.company.id,
                                             "capacity": "abc"}).status_code == 400


def test_only_the_regions_coordinators_and_admins_manage_an_event(world, client, login, event):
    url = f"/group-events/{event.id}"
    login(world.away.coordinator)
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/assign").status_code == 404
    assert client.post(f"{url}/groups", data={"name": "x"}).status_code == 404
    for user in (world.home.counsellor, world.home.student_user, world.home.company_user):
        login(user)
        assert client.get(url).status_code == 403
        assert client.post(f"{url}/publish").status_code == 403
    login(world.home.student_user)
    assert client.get("/group-events/").status_code == 403
    login(world.home.counsellor)
    assert client.get("/group-events/new").status_code == 403
    login(world.admin)
    assert client.get(url).status_code == 200
    assert client.get("/group-events/new").status_code == 200


def test_a_school_sees_nothing_before_publication_and_the_draft_again_after_reopening(
        world, session, client, login, event):
    home = world.home
    login(home.coordinator)
    url = f"/group-events/{event.id}"
    assert client.post(f"{url}/publish").status_code == 302  # refused: not assigned yet
    session.refresh(event)
    assert event.status is GroupEventStatus.draft
    client.post(f"{url}/assign")
    login(home.counsellor)
    assert "Girlsday Liemers" not in client.get("/group-events/").text
    login(home.coordinator)
    client.post(f"{url}/publish")
    login(home.counsellor)
    assert "Girlsday Liemers" in client.get("/group-events/").text
    login(world.away.counsellor)
    assert "Girlsday Liemers" not in client.get("/group-events/").text
    login(home.coordinator)
    assert client.post(f"{url}/reopen").status_code == 302
    login(home.counsellor)
    assert "Girlsday Liemers" not in client.get("/group-events/").text


def test_a_coordinator_deletes_a_draft_event(world, session, client, login, event):
    login(world.home.coordinator)
    assert client.post(f"/group-events/{event.id}/delete").status_code == 302
    assert session.exec(select(GroupEvent)).all() == []
