"""The talent-without-interest page: counsellors see their own school's list and invite."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import (
    Activity,
    ActivityKind,
    Participation,
    Pillar,
    TalentObservation,
    school_year_of,
)
from app.models.base import local_today


@pytest.fixture
def quiet_sanne(world, session):
    """The world's girl with a recent observation of soldering, and no stated interest."""
    student = world.home.student
    student.interests_text = ""
    session.add(student)
    observation = session.exec(select(TalentObservation).where(
        TalentObservation.student_id == student.id)).one()
    observation.observed_on = local_today() - timedelta(days=10)
    session.add(observation)
    session.commit()
    return student


def upcoming(session, side, *, days=20, kind=ActivityKind.girlsday, school=None):
    day = local_today() + timedelta(days=days)
    activity = Activity(code=f"UP{side.region.id}{days}{kind.value[:3]}", kind=kind,
                        pillar=Pillar.kiezen, title=f"Girlsday {side.region.name}",
                        starts_on=day, school_year=school_year_of(day), postcode="6901",
                        region_id=side.region.id, school_id=school.id if school else None,
                        created_by_id=side.coordinator.id)
    session.add(activity)
    session.commit()
    return activity


def test_a_counsellor_sees_their_students_with_the_observations_behind_it(
        world, session, client, login, quiet_sanne):
    girlsday = upcoming(session, world.home)
    login(world.home.counsellor)
    page = client.get("/talent/")
    assert page.status_code == 200
    assert quiet_sanne.display_name in page.text and "solderen" in page.text
    assert world.home.activity.title in page.text and girlsday.title in page.text
    login(world.away.counsellor)
    assert quiet_sanne.display_name not in client.get("/talent/").text


def test_only_counsellors_and_admins_open_it_an_admin_per_school(world, client, login,
                                                                 quiet_sanne):
    for user in (world.home.coordinator, world.home.student_user, world.home.company_user):
        login(user)
        assert client.get("/talent/").status_code == 403
    login(world.admin)
    assert client.get("/talent/").status_code == 200
    chosen = client.get(f"/talent/?school={world.home.school.id}")
    assert chosen.status_code == 200 and quiet_sanne.display_name in chosen.text
    assert client.get("/talent/?school=999999").status_code == 404


def test_a_counsellor_invites_a_student_to_the_regions_girlsday(world, session, client, login,
                                                               quiet_sanne):
    girlsday = upcoming(session, world.home)  # organised by the region, not by the school
    login(world.home.counsellor)
    answer = client.post("/talent/invite", data={"student_id": quiet_sanne.id,
                                                 "activity_id": girlsday.id})
    assert answer.status_code == 302
    assert session.exec(select(Participation).where(
        Participation.activity_id == girlsday.id,
        Participation.student_id == quiet_sanne.id)).first() is not None
    page = client.get("/talent/").text
    assert "Registered for" in page or "Aangemeld voor" in page


def test_invitations_stay_within_the_counsellors_students_and_region(world, session, client,
                                                                     login, quiet_sanne):
    home, away = world.home, world.away
    past = upcoming(session, home, days=-3)
    elsewhere = upcoming(session, away)
    fieldlab = upcoming(session, home, kind=ActivityKind.fieldlab)
    girlsday = upcoming(session, home, days=30)
    login(home.counsellor)
    for student, activity in ((quiet_sanne, past), (quiet_sanne, elsewhere),
                              (quiet_sanne, fieldlab), (home.other_school_student, girlsday),
                              (away.student, girlsday)):
        answer = client.post("/talent/invite", data={"student_id": student.id,
                                                     "activity_id": activity.id})
        assert answer.status_code == 404
    login(home.coordinator)
    assert client.post("/talent/invite", data={"student_id": quiet_sanne.id,
                                               "activity_id": girlsday.id}).status_code == 403
    assert session.exec(select(Participation).where(
        Participation.activity_id.in_([past.id, elsewhere.id, fieldlab.id, girlsday.id]))
    ).all() == []
