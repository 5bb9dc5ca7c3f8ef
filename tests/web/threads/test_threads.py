"""The pages after "ja": who may open a proposal's thread and calendar file (404 for anyone
else), what each proposal page shows once the company accepted, and the history in words."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
from sqlmodel import select

from app.models import MatchProposal, ProposalMessage, ProposalStatus, User
from app.services import candidates
from tests import factories
from tests.services.test_after_yes import sent_proposal


@pytest.fixture(autouse=True)
def _on_the_day_it_was_sent(clock):
    """The offers here are sent on TODAY: pages would lapse them once their deadline passed."""
    clock(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))


@pytest.fixture
def sent(session, app, world):
    return sent_proposal(session, app, world.home)


@pytest.fixture
def accepted(session, app, world, sent):
    with app.test_request_context():
        candidates.company_accept(session=session, proposal=sent,
                                  actor=session.get(User, world.home.company_user.id))
    return sent


def participants(world):
    return {"student": world.home.student_user, "counsellor": world.home.counsellor,
            "company": world.home.company_user, "admin": world.admin}


def outsiders(session, world):
    classmate_user = session.get(User, world.home.classmate.user_id)
    # The classmate has a proposal of their own: it opens no door to this one.
    factories.make_proposal(session, world.home.classmate, world.home.placement,
                            status=ProposalStatus.offered)
    session.commit()
    return {"another school's counsellor": world.away.counsellor,
            "another company": world.away.company_user,
            "a student of another proposal": classmate_user}


@pytest.mark.parametrize("who", ["student", "counsellor", "company", "admin"])
def test_the_three_people_and_an_admin_open_the_thread_and_the_calendar(world, accepted, login,
                                                                       who):
    client = login(participants(world)[who])
    assert client.get(f"/proposals/{accepted.id}/messages").status_code == 200
    answer = client.get(f"/proposals/{accepted.id}/calendar.ics")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in answer.headers["Content-Disposition"]
    events = list(icalendar.Calendar.from_ical(answer.data).walk("VEVENT"))
    assert len(events) == 1


@pytest.mark.parametrize("who", ["another school's counsellor", "another company",
                                 "a student of another proposal"])
def test_anyone_else_gets_404_on_the_thread_the_calendar_and_posting(session, world, accepted,
                                                                    login, who):
    client = login(outsiders(session, world)[who])
    assert client.get(f"/proposals/{accepted.id}/messages").status_code == 404
    assert client.get(f"/proposals/{accepted.id}/calendar.ics").status_code == 404
    assert client.post(f"/proposals/{accepted.id}/messages",
                       data={"body": "hallo"}).status_code == 404
    assert session.exec(select(ProposalMessage)).all() == []


def test_a_coordinator_has_no_thread_page_at_all(world, accepted, login):
    assert login(world.home.coordinator).get(
        f"/proposals/{accepted.id}/messages").status_code == 403


def test_a_company_gets_404_before_the_counsellor_sent_the_candidate(session, world, login):
    offered = factories.make_proposal(session, world.home.student, world.home.placement,
                                      status=ProposalStatus.offered)
    session.commit()
    client = login(world.home.company_user)
    assert client.get(f"/proposals/{offered.id}/messages").status_code == 404
    assert login(world.home.counsellor).get(
        f"/proposals/{offered.id}/messages").status_code == 200


def test_there_is_no_calendar_file_before_the_company_accepts(world, sent, login):
    assert login(world.home.student_user).get(
        f"/proposals/{sent.id}/calendar.ics").status_code == 404
    assert login(world.home.student_user).get(
        f"/proposals/{sent.id}/messages").status_code == 200


def test_a_message_is_shown_as_plain_escaped_text(session, world, accepted, login):
    client = login(world.home.student_user)
    answer = client.post(f"/proposals/{accepted.id}/messages",
                         data={"body": "Mag ik <b>eerder</b> komen?\nGroet"})
    assert answer.status_code == 302
    page = login(world.home.company_user).get(
        f"/proposals/{accepted.id}/messages").get_data(as_text=True)
    assert "Mag ik &lt;b&gt;eerder&lt;/b&gt; komen?" in page
    assert "<b>eerder</b>" not in page
    assert session.exec(select(ProposalMessage.author_role)).all() == ["student"]


def test_an_empty_or_too_long_message_is_refused_on_the_page(session, world, accepted, login):
    client = login(world.home.counsellor)
    assert client.post(f"/proposals/{accepted.id}/messages", data={"body": " "}
                       ).status_code == 400
    assert client.post(f"/proposals/{accepted.id}/messages", data={"body": "x" * 2001}
                       ).status_code == 400
    assert session.exec(select(ProposalMessage)).all() == []


def test_the_proposal_pages_show_the_start_only_after_the_company_accepted(
        session, app, world, sent, login):
    company_page = f"/candidates/{sent.id}"
    student = login(world.home.student_user).get("/me/proposals/").get_data(as_text=True)
    assert "Klaar om te beginnen" not in student and world.home.company_user.email not in student
    assert "Klaar om te beginnen" not in login(world.home.company_user).get(
        company_page).get_data(as_text=True)
    with app.test_request_context():
        candidates.company_accept(session=session, proposal=sent,
                                  actor=session.get(User, world.home.company_user.id))
    student = login(world.home.student_user).get("/me/proposals/").get_data(as_text=True)
    assert "Klaar om te beginnen" in student
    assert world.home.company_user.email in student and "Industrieweg 12" in student
    assert "18 januari 2027" in student and ".ics" in student
    company = login(world.home.company_user).get(company_page).get_data(as_text=True)
    assert world.home.counsellor.email in company
    counsellor = login(world.home.counsellor).get(f"/review/{sent.id}").get_data(as_text=True)
    assert world.home.company_user.email in counsellor
    assert world.home.student_user.email in counsellor


def test_the_history_on_the_review_page_reads_in_dutch(world, accepted, login):
    page = login(world.home.counsellor).get(f"/review/{accepted.id}").get_data(as_text=True)
    history = page[page.index('data-testid="history"'):]
    assert f"Aangenomen door {world.home.company_user.display_name} namens het bedrijf op" in (
        history)
    assert "company_accept" not in history and "→" not in history


def test_the_student_reads_the_companys_no_in_kind_words(session, world, sent, login):
    client = login(world.home.company_user)
    client.post(f"/candidates/{sent.id}/decline",
                data={"reason_code": "full", "reason": "Werkplaats zit vol tot de zomer"})
    session.expire_all()
    assert session.get(MatchProposal, sent.id).status is ProposalStatus.company_declined
    page = login(world.home.student_user).get("/me/proposals/").get_data(as_text=True)
    assert "geen plek voor nog een leerling. Dat zegt niets over jou." in page
    assert "Werkplaats zit vol" not in page and "full" not in page


def test_a_company_contact_sets_a_telephone_number_the_student_then_sees(session, world,
                                                                           accepted, login):
    client = login(world.home.company_user)
    assert client.post("/proposals/phone", data={"phone": "bel me"}).status_code == 200
    assert client.post("/proposals/phone", data={"phone": "0316 123456"}).status_code == 302
    page = login(world.home.student_user).get("/me/proposals/").get_data(as_text=True)
    assert "0316 123456" in page
    assert login(world.home.student_user).get("/proposals/phone").status_code == 403


def test_the_thread_page_shows_the_start_without_a_link_to_itself(world, accepted, login):
    page = login(world.home.student_user).get(
        f"/proposals/{accepted.id}/messages").get_data(as_text=True)
    assert "Klaar om te beginnen" in page
    assert page.count(f'href="/proposals/{accepted.id}/messages"') == 0
