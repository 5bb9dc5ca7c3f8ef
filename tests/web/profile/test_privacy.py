"""A student sees and downloads what is held about them, and can have it deleted."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import func, select

from app.models import (
    Activity,
    Attendance,
    MatchPin,
    Notification,
    Participation,
    PinKind,
    PlacementFeedback,
    StudentGender,
    StudentProfile,
    TalentObservation,
    User,
    school_year_of,
)
from app.services import dashboards, notifications, students
from tests import factories
from tests.conftest import PASSWORD


def test_the_talent_record_lists_every_year_newest_first(world, session, login):
    older = factories.make_activity(session, world.home.region, school=world.home.school)
    older.title, older.starts_on = "Girlsday 2024", date(2024, 4, 11)
    older.school_year = school_year_of(older.starts_on)
    session.add(Participation(activity_id=older.id, student_id=world.home.student.id,
                              attendance=Attendance.attended))
    session.commit()
    page = login(world.home.student_user).get(
        f"/students/{world.home.student.id}").get_data(as_text=True)
    record = page[page.index('data-testid="talent-record"'):]
    assert record.index("Schooljaar 2025-2026") < record.index("Schooljaar 2023-2024")
    assert "heel precies bij het solderen" in record
    assert "Girlsday 2024" in record


def test_a_student_downloads_everything_held_about_them(world, login):
    response = login(world.home.student_user).get("/me/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == world.home.student_user.email
    assert data["profile"]["first_name"] == "Sanne"
    assert data["profile"]["gender"] == "girl"
    assert [a["title"] for a in data["activities"]] == [world.home.activity.title]
    assert data["observations"][0]["skills"] == "heel precies bij het solderen"


def test_only_a_student_downloads_their_own_data(world, login):
    assert login(world.home.counsellor).get("/me/export.json").status_code == 403


def figures(session, region):
    f = dashboards.region_figures(session=session, region=region)
    return (f.students, f.girls, f.students_with_gender, f.participations, f.observations)


def test_deletion_removes_personal_data_but_the_counts_stay_right(world, session, login):
    before = figures(session, world.home.region)
    student_id, user_id = world.home.student.id, world.home.student_user.id
    email = world.home.student_user.email

    login(world.home.student_user).post("/me/privacy", data={"confirm": "y"})
    counsellor = login(world.home.counsellor)
    assert "Sanne de Vries" in counsellor.get("/students/deletions").get_data(as_text=True)
    response = counsellor.post(f"/students/{student_id}/anonymise")
    assert response.status_code == 302

    session.expire_all()
    student = session.get(StudentProfile, student_id)
    assert student.anonymised_at is not None
    assert (student.first_name, student.last_name, student.postcode, student.interests_text) == (
        "", "", "", "")
    assert student.user_id is None and session.get(User, user_id) is None
    observation = session.exec(select(TalentObservation)
                               .where(TalentObservation.student_id == student_id)).one()
    assert observation.note == "" and observation.skills == "" and observation.strength == 4
    assert session.get(StudentGender, student_id).gender.value == "girl"
    assert figures(session, world.home.region) == before
    assert session.exec(select(func.count()).select_from(Participation)
                        .where(Participation.student_id == student_id)).one() == 1

    counsellor.post("/logout")
    login_form = {"email": email, "password": PASSWORD}
    assert counsellor.post("/login", data=login_form).status_code == 401


def test_only_the_students_school_carries_out_a_deletion(world, session, login):
    students.request_deletion(session=session, student=world.home.student)
    for user in (world.away.counsellor, world.home.coordinator, world.home.student_user):
        assert login(user).post(f"/students/{world.home.student.id}/anonymise").status_code in (
            403, 404)
    session.expire_all()
    assert session.get(StudentProfile, world.home.student.id).anonymised_at is None


def test_an_admin_sees_every_deletion_request(world, session, login):
    students.request_deletion(session=session, student=world.away.student)
    page = login(world.admin).get("/students/deletions").get_data(as_text=True)
    assert world.away.student.first_name in page


def test_activities_of_a_deleted_student_still_count(world, session):
    students.anonymise_student(session=session, student=world.home.student)
    count = session.exec(select(func.count()).select_from(Participation).join(Activity)
                         .where(Activity.id == world.home.activity.id)).one()
    assert count == 1


def notes_about(session, side, student, name: str):
    """A proposal with the counsellor's and the company's words, and a pin, about ``student``."""
    proposal = factories.make_proposal(session, student, side.placement)
    proposal.counsellor_note = f"{name} wil later dierenarts worden"
    session.add(MatchPin(student_id=student.id, placement_id=side.draft_placement.id,
                         kind=PinKind.pin, note=f"{name} eerst laten kijken"))
    session.add(PlacementFeedback(proposal_id=proposal.id, author_role="company",
                                  comment=f"{name} was precies en op tijd",
                                  would_host_again=True))


def test_the_export_holds_the_dream_job_and_what_others_wrote_about_the_student(
        world, session, login):
    world.home.student.dream_job = "dierenarts op Texel"
    session.add(world.home.student)
    notes_about(session, world.home, world.home.student, "Sanne")
    notes_about(session, world.home, world.home.classmate, "Daan")
    session.commit()

    data = json.loads(login(world.home.student_user).get("/me/export.json").get_data(
        as_text=True))

    assert data["profile"]["dream_job"] == "dierenarts op Texel"
    assert [p["counsellor_note"] for p in data["proposals"]] == [
        "Sanne wil later dierenarts worden"]
    assert [p["note"] for p in data["pins"]] == ["Sanne eerst laten kijken"]
    assert [f["comment"] for f in data["feedback_about_you"]] == ["Sanne was precies en op tijd"]
    assert "Daan" not in json.dumps(data, ensure_ascii=False)


def test_a_deletion_forgets_what_others_wrote_and_the_name_in_their_messages(
        app, world, session, login):
    student = world.home.student
    student.dream_job = "dierenarts op Texel"
    session.add(student)
    notes_about(session, world.home, student, "Sanne")
    with app.app_context():
        notifications.notify(session=session, users=[world.home.counsellor],
                             kind="student_declined",
                             message=lambda: "Sanne de Vries zei nee tegen Lassen.")
    session.commit()
    students.request_deletion(session=session, student=student)

    login(world.home.counsellor).post(f"/students/{student.id}/anonymise")

    session.expire_all()
    assert session.get(StudentProfile, student.id).dream_job == ""
    assert session.exec(select(MatchPin).where(MatchPin.student_id == student.id)).all() == []
    feedback = session.exec(select(PlacementFeedback)).one()
    assert (feedback.comment, feedback.would_host_again) == ("", True)
    assert session.exec(select(Notification.message).where(
        Notification.user_id == world.home.counsellor.id)).all() == [
        "een oud-leerling zei nee tegen Lassen."]
