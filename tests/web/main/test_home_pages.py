"""Each role lands on its own home page, filled with real data from the database."""

from __future__ import annotations


def test_a_student_sees_their_own_profile(world, login):
    page = login(world.home.student_user).get("/home").get_data(as_text=True)
    assert 'data-testid="student-home"' in page
    assert world.home.student.first_name in page
    assert world.home.school.name in page
    assert world.home.activity.title in page


def test_a_counsellor_sees_the_students_of_their_school_only(world, login):
    page = login(world.home.counsellor).get("/home").get_data(as_text=True)
    assert world.home.school.name in page
    assert world.home.student.student_number in page
    assert world.home.classmate.student_number in page
    assert world.home.other_school_student.student_number not in page
    assert world.away.student.student_number not in page


def test_a_company_sees_its_own_placements_including_drafts(world, login):
    page = login(world.home.company_user).get("/home").get_data(as_text=True)
    assert world.home.placement.title in page
    assert world.home.draft_placement.title in page
    assert world.away.placement.title not in page


def test_a_coordinator_sees_the_counts_of_their_region(world, login):
    page = login(world.home.coordinator).get("/home").get_data(as_text=True)
    assert world.home.region.name in page
    assert world.away.region.name not in page
    # 3 students in the home region, 2 of whom are girls.
    assert "67%" in page.replace("\xa0", "")


def test_an_admin_sees_every_region(world, login):
    page = login(world.admin).get("/home").get_data(as_text=True)
    assert world.home.region.name in page
    assert world.away.region.name in page


def test_the_root_sends_visitors_to_the_login_and_users_home(world, client, login):
    assert client.get("/").headers["Location"].endswith("/login")
    login(world.home.student_user)
    assert client.get("/").headers["Location"].endswith("/home")


def test_an_observer_sees_only_the_activities_they_are_assigned_to(world, session, login):
    from app.models import ActivityObserver, Role
    from tests.factories import make_user

    scout = make_user(session, Role.observer, password_hash="x", region=world.home.region)
    session.add(ActivityObserver(activity_id=world.home.activity.id, user_id=scout.id))
    session.commit()
    page = login(scout).get("/home").get_data(as_text=True)
    assert 'data-testid="observer-home"' in page
    assert f"/activities/{world.home.activity.id}\"" in page
    assert f"/activities/{world.away.activity.id}\"" not in page


def test_a_counsellor_pages_through_a_large_school(world, session, login):
    from app.models import Level, StudentProfile

    for n in range(55):
        session.add(StudentProfile(school_id=world.home.school.id, student_number=f"P{n:03d}",
                                   first_name="Leerling", last_name=f"{n:03d}",
                                   level=Level.vmbo_tl, class_name="4Z", postcode="6901"))
    session.commit()
    client = login(world.home.counsellor)
    first = client.get("/home").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and "page=2" in first
    second = client.get("/home?page=2").get_data(as_text=True)
    shown = {n for n in range(55) if f"P{n:03d}" in first} | {
        n for n in range(55) if f"P{n:03d}" in second}
    assert shown == set(range(55))


def test_a_coordinator_sets_the_answer_days_of_their_region(world, session, login):
    from app.models import Region

    client = login(world.home.coordinator)
    assert 'name="answer_days"' in client.get("/home").get_data(as_text=True)
    client.post("/region/answer-days", data={"answer_days": "5"})
    session.expire_all()
    assert session.get(Region, world.home.region.id).answer_days == 5
    client.post("/region/answer-days", data={"answer_days": "99"})
    session.expire_all()
    assert session.get(Region, world.home.region.id).answer_days == 5
    assert "van 1 tot en met 30" in client.get("/home").get_data(as_text=True)
    assert login(world.home.counsellor).post("/region/answer-days",
                                             data={"answer_days": "3"}).status_code == 403
