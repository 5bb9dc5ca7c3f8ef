"""A counsellor's notification names the student and speaks to the counsellor; the student's
speaks to the student (issue 21: both read "accepted you")."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import Notification
from app.services import candidates
from tests import factories

MONDAY = date(2026, 11, 23)


@pytest.fixture
def sent(app, world, session):
    with app.test_request_context():
        factories.give_consent(session, world.home.student)
        proposal = factories.make_proposal(session, world.home.student, world.home.placement)
        session.commit()
        candidates.send_to_company(session=session, proposal=proposal, actor=None, today=MONDAY)
        yield proposal


def told(session, user, kind) -> Notification:
    return session.exec(select(Notification).where(Notification.user_id == user.id,
                                                   Notification.kind == kind)).one()


def full_name(student) -> str:
    return f"{student.first_name} {student.last_name}"


def test_an_accepted_student_is_named_to_the_counsellor_and_told_you_themselves(
        world, session, sent):
    candidates.company_accept(session=session, proposal=sent, actor=world.home.company_user)
    to_counsellor = told(session, world.home.counsellor, "company_accepted")
    to_student = told(session, world.home.student_user, "company_accepted")
    assert full_name(world.home.student) in to_counsellor.message
    assert " je " not in f" {to_counsellor.message} "
    assert to_counsellor.link == f"/review/{sent.id}"
    assert "heeft je aangenomen voor" in to_student.message
    assert full_name(world.home.student) not in to_student.message


def test_a_declined_student_is_named_to_the_counsellor_with_the_companys_words(
        world, session, sent):
    candidates.company_decline(session=session, proposal=sent, actor=world.home.company_user,
                               reason="Geen begeleider in die week", reason_code="other")
    message = told(session, world.home.counsellor, "company_declined").message
    assert full_name(world.home.student) in message
    assert "Geen begeleider in die week" in message
    assert "Je krijgt" not in message and "You will" not in message


def test_a_lapsed_offer_names_the_student_to_the_counsellor(world, session, sent):
    candidates.lapse_overdue(session=session, today=date(2026, 12, 8))
    message = told(session, world.home.counsellor, "lapsed").message
    assert full_name(world.home.student) in message
    assert "Je krijgt" not in message


def test_the_companys_deadline_is_a_dutch_date(world, session, sent):
    message = told(session, world.home.company_user, "candidate").message
    assert "7 december 2026" in message
