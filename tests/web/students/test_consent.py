"""Students under 16 are shown to no company without a recorded consent."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import Consent, ConsentGiver, StudentProfile
from app.services import students

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(("birth_year", "needs"), [
    (2012, True), (2010, True),  # 16 this year: the birthday may still come
    (2009, False), (None, True),
])
def test_who_may_be_under_16_is_judged_on_the_safe_side(birth_year, needs):
    student = StudentProfile(birth_year=birth_year)
    assert students.may_be_under_consent_age(student, TODAY) is needs


def test_an_under_16_is_hidden_from_companies_until_consent_and_again_after_withdrawal(
        world, session):
    student = session.get(StudentProfile, world.home.student.id)  # 15
    assert not students.may_show_to_companies(session=session, student=student, today=TODAY)
    students.record_consent(session=session, student=student, recorded_by=world.home.counsellor,
                            given_by=ConsentGiver.parent, given_by_name="J. de Vries")
    assert students.may_show_to_companies(session=session, student=student, today=TODAY)
    students.withdraw_consent(session=session, student=student,
                              withdrawn_by=world.home.counsellor)
    assert not students.may_show_to_companies(session=session, student=student, today=TODAY)


def test_a_counsellor_records_and_withdraws_consent_on_the_student_page(world, session, login):
    client = login(world.home.counsellor)
    url = f"/students/{world.home.student.id}"
    assert "mogelijk jonger dan 16" in client.get(url).get_data(as_text=True)
    client.post(f"{url}/consent", data={"given_by": "parent", "given_by_name": "J. de Vries"})
    page = client.get(url).get_data(as_text=True)
    assert "Toestemming gegeven door Ouder (J. de Vries)" in page
    client.post(f"{url}/consent/withdraw")
    page = client.get(url).get_data(as_text=True)
    assert "ingetrokken op" in page
    consents = session.exec(select(Consent)
                            .where(Consent.student_id == world.home.student.id)).all()
    assert len(consents) == 1 and consents[0].withdrawn_at is not None


def test_a_parent_consent_needs_the_parents_name(world, session, login):
    client = login(world.home.counsellor)
    client.post(f"/students/{world.home.student.id}/consent", data={"given_by": "parent"})
    assert len(session.exec(select(Consent)).all()) == 0
    page = client.get(f"/students/{world.home.student.id}").get_data(as_text=True)
    assert "naam van de ouder of voogd" in page


def test_the_school_can_consent_without_a_name(world, session, login):
    client = login(world.home.counsellor)
    client.post(f"/students/{world.home.student.id}/consent", data={"given_by": "school"})
    assert len(session.exec(select(Consent)).all()) == 1


@pytest.mark.parametrize("who", ["student", "coordinator", "company", "other_counsellor"])
def test_only_the_students_school_or_an_admin_records_consent(world, session, login, who):
    user = {"student": world.home.student_user, "coordinator": world.home.coordinator,
            "company": world.home.company_user, "other_counsellor": world.away.counsellor}[who]
    response = login(user).post(f"/students/{world.home.student.id}/consent",
                                data={"given_by": "school"})
    assert response.status_code == 404
    assert len(session.exec(select(Consent)).all()) == 0
