"""After "ja": what each side sees once the company accepted, the calendar file, the thread,
the company's decline in kind words for the student, and the history in sentences."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import pytest
from flask_babel import force_locale
from sqlmodel import select

from app.models import (
    Company,
    Consent,
    DecisionLog,
    MatchProposal,
    Notification,
    OutboxEmail,
    Placement,
    ProposalMessage,
    ProposalStatus,
    StudentProfile,
    User,
    utcnow,
)
from app.services import agreed, candidates, history, personal_data, threads
from app.services.validation import check_phone
from tests import factories
from tests.web.query_count import Recorder

TODAY = date(2026, 12, 7)


def sent_proposal(session, app, side):
    """The side's student (with consent) sent to the side's company."""
    factories.give_consent(session, side.student)
    placement = session.get(Placement, side.placement.id)
    placement.starts_on, placement.ends_on = date(2027, 1, 18), date(2027, 1, 22)
    company = session.get(Company, side.company.id)
    company.address = "Industrieweg 12"
    session.add_all([placement, company])
    proposal = factories.make_proposal(session, side.student, placement)
    session.commit()
    with app.test_request_context():
        candidates.send_to_company(session=session, proposal=proposal, actor=None, today=TODAY)
    return proposal


@pytest.fixture(autouse=True)
def _on_the_day_it_was_sent(clock):
    """The offers here are sent on 7 December 2026: pages and services that read the clock
    would lapse them once their deadline passed, and the placement would have begun."""
    clock(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))


@pytest.fixture
def sent(session, app, world):
    return sent_proposal(session, app, world.home)


@pytest.fixture
def accepted(session, app, world, sent):
    user = session.get(User, world.home.company_user.id)
    with app.test_request_context():
        agreed.set_phone(session=session, user=user, phone="06-12345678")
        candidates.company_accept(session=session, proposal=sent, actor=user)
    return sent


def test_nothing_of_the_start_shows_before_the_company_accepts(app, session, sent):
    with app.test_request_context():
        for role in ("student", "company", "counsellor"):
            assert agreed.start_details(session=session, proposal=sent, role=role) is None


def test_the_student_sees_the_company_contact_address_and_first_day(app, session, world,
                                                                      accepted):
    with app.test_request_context():
        details = agreed.start_details(session=session, proposal=accepted, role="student")
    assert details.first_day == date(2027, 1, 18)
    assert details.address == "Industrieweg 12, 6902 Zevenaar"
    contact = details.company_contact
    assert (contact.name, contact.email, contact.phone) == (
        world.home.company_user.display_name, world.home.company_user.email, "06-12345678")
    assert details.counsellors == [] and details.student_email is None


def test_the_student_gets_the_contacts_phone_with_the_contact_and_no_query_of_its_own(
        app, session, world, accepted):
    """Issue 20: the student's proposals page reads the company contacts with their phones
    (one query fewer than reading the phones apart); a counsellor, who sees people of both
    sides, still gets every phone."""
    counsellor = session.get(User, world.home.counsellor.id)
    with app.test_request_context():
        agreed.set_phone(session=session, user=counsellor, phone="0316-123456")
    session.expunge_all()  # nothing kept from the setup: count what a page would send
    proposal = session.get(MatchProposal, accepted.id)
    with Recorder(session.get_bind()) as sent, app.test_request_context():
        details = agreed.start_details(session=session, proposal=proposal, role="student")
    assert details.company_contact.phone == "06-12345678"
    assert any("JOIN contactphone" in s for s in sent.statements), sent.statements
    assert not [s for s in sent.statements if "FROM contactphone" in s], sent.statements
    with app.test_request_context():
        both = agreed.start_details(session=session, proposal=proposal, role="counsellor")
    assert both.company_contact.phone == "06-12345678"
    assert [c.phone for c in both.counsellors] == ["0316-123456"]


def test_the_company_sees_the_counsellor_and_the_students_school_email_with_consent(
        app, session, world, accepted):
    with app.test_request_context():
        details = agreed.start_details(session=session, proposal=accepted, role="company",
                                       today=TODAY)
    assert [c.email for c in details.counsellors] == [world.home.counsellor.email]
    assert details.company_contact is None
    assert details.student_email == world.home.student_user.email


def test_without_consent_an_under_16_students_email_is_not_shown_to_the_company(
        app, session, world, accepted):
    consent = session.exec(select(Consent).where(
        Consent.student_id == world.home.student.id)).one()
    consent.withdrawn_at = utcnow()
    session.add(consent)
    session.commit()
    with app.test_request_context():
        company = agreed.start_details(session=session, proposal=accepted, role="company",
                                       today=TODAY)
        counsellor = agreed.start_details(session=session, proposal=accepted, role="counsellor",
                                          today=TODAY)
    assert company.student_email is None
    assert counsellor.student_email == world.home.student_user.email


def test_a_student_of_16_or_more_needs_no_consent_for_their_email(app, session, world,
                                                                  accepted):
    student = session.get(StudentProfile, world.home.student.id)
    student.birth_year = TODAY.year - 18
    for consent in session.exec(select(Consent).where(Consent.student_id == student.id)):
        consent.withdrawn_at = utcnow()
        session.add(consent)
    session.add(student)
    session.commit()
    with app.test_request_context():
        details = agreed.start_details(session=session, proposal=accepted, role="company",
                                       today=TODAY)
    assert details.student_email == world.home.student_user.email


def test_the_counsellor_sees_both_sides(app, session, world, accepted):
    with app.test_request_context():
        details = agreed.start_details(session=session, proposal=accepted, role="counsellor")
    assert details.company_contact.email == world.home.company_user.email
    assert [c.email for c in details.counsellors] == [world.home.counsellor.email]


def test_the_calendar_file_parses_with_one_event_for_the_period(app, session, accepted):
    with app.test_request_context(), force_locale("nl"):
        body = agreed.calendar_file(session=session, proposal=accepted, domain="tm.example")
    again = None
    with app.test_request_context():
        again = agreed.calendar_file(session=session, proposal=accepted, domain="tm.example")
    calendar = icalendar.Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == date(2027, 1, 18)
    assert event.decoded("dtend") == date(2027, 1, 23)  # exclusive: the 22nd is the last day
    assert str(event["location"]) == "Industrieweg 12, 6902 Zevenaar"
    assert str(event["uid"]) == f"proposal-{accepted.id}@tm.example"
    assert str(calendar["version"]) == "2.0" and "prodid" in calendar
    assert "dtstamp" in event
    assert body == again  # a second download is the same entry, not a new one


def test_a_placement_without_a_first_day_has_no_calendar_file(app, session, accepted):
    placement = session.get(Placement, accepted.placement_id)
    placement.starts_on = placement.ends_on = None
    session.add(placement)
    session.commit()
    with app.test_request_context(), pytest.raises(agreed.AgreedError):
        agreed.calendar_file(session=session, proposal=accepted, domain="tm.example")


@pytest.mark.parametrize("phone", ["06-12345678", "+31 316 123456", "0316 12 34 56", ""])
def test_a_telephone_number_as_people_write_it_is_accepted(phone):
    assert check_phone(phone) == phone


@pytest.mark.parametrize("phone", ["bel me", "12", "06-1234567812345678901", "<script>"])
def test_anything_else_is_not_a_telephone_number(app, phone):
    with app.test_request_context(), pytest.raises(ValueError):
        check_phone(phone)


def test_a_message_notifies_every_other_participant_once(app, session, world, accepted):
    author = session.get(User, world.home.student_user.id)
    for earlier in session.exec(select(OutboxEmail)).all():
        session.delete(earlier)
    session.commit()
    with app.test_request_context():
        threads.post_message(session=session, proposal=accepted, author=author,
                             role="student", body="Hoe laat moet ik er zijn?")
    notes = session.exec(select(Notification).where(Notification.kind == "message")).all()
    assert sorted(n.user_id for n in notes) == sorted(
        [world.home.counsellor.id, world.home.company_user.id])
    mails = session.exec(select(OutboxEmail)).all()
    assert sorted(m.to_address for m in mails) == sorted(
        [world.home.counsellor.email, world.home.company_user.email])
    # The e-mail says who wrote, not what: the text stays in the app.
    assert all("Hoe laat" not in m.body for m in mails)


def test_before_it_was_sent_the_company_neither_reads_nor_is_told(app, session, world):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=ProposalStatus.offered)
    session.commit()
    counsellor = session.get(User, world.home.counsellor.id)
    with app.test_request_context():
        threads.post_message(session=session, proposal=proposal, author=counsellor,
                             role="counsellor", body="Wat vind je ervan?")
        company_view = threads.messages_for(session=session, proposal=proposal,
                                            reader=world.home.company_user, role="company")
    told = session.exec(select(Notification.user_id).where(Notification.kind == "message")).all()
    assert told == [world.home.student_user.id]
    assert company_view == []


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_message_is_refused(app, session, world, accepted, body):
    with app.test_request_context(), pytest.raises(threads.MessageError):
        threads.post_message(session=session, proposal=accepted, author=world.home.counsellor,
                             role="counsellor", body=body)
    assert session.exec(select(ProposalMessage)).all() == []


def test_messages_are_in_the_students_export_and_gone_after_erasure(app, session, world,
                                                                       accepted):
    with app.test_request_context():
        threads.post_message(session=session, proposal=accepted,
                             author=session.get(User, world.home.student_user.id),
                             role="student", body="Ik neem mijn eigen werkschoenen mee.")
        exported = personal_data.export_student(session=session, student=world.home.student)
        assert [m["body"] for m in exported["messages"]] == [
            "Ik neem mijn eigen werkschoenen mee."]
        personal_data.erase_student(session=session, student=world.home.student)
    assert session.exec(select(ProposalMessage)).all() == []


def test_the_student_reads_a_kind_sentence_never_the_code_or_the_companys_words(
        app, session, world, sent):
    with app.test_request_context(), force_locale("nl"):
        candidates.company_decline(session=session, proposal=sent,
                                   actor=world.home.company_user,
                                   reason="Te weinig ervaring met solderen", reason_code="level")
        text = history.company_decline_of(session=session, proposal=sent)
    assert "level" not in text and "solderen" not in text
    assert "niveau" in text
    note = session.exec(select(Notification).where(
        Notification.user_id == world.home.student_user.id)).one()
    assert "niveau" in note.message and "solderen" not in note.message


def test_an_unknown_decline_reason_is_refused(app, session, world, sent):
    with app.test_request_context(), pytest.raises(candidates.CandidateError):
        candidates.company_decline(session=session, proposal=sent,
                                   actor=world.home.company_user, reason="x", reason_code="rude")


def test_the_history_reads_as_sentences_in_dutch_and_english(app, session, world, accepted):
    session.add(DecisionLog(proposal_id=accepted.id, actor_id=world.home.counsellor.id,
                            actor_role="counsellor", action="approve", from_status="proposed",
                            to_status="approved", at=utcnow().replace(2026, 12, 18, 10, 0)))
    session.commit()
    name = world.home.counsellor.display_name
    with app.test_request_context(), force_locale("nl"):
        dutch = [line.text for line in history.history_lines(session=session,
                                                             proposal=accepted)]
    with app.test_request_context(), force_locale("en"):
        english = [line.text for line in history.history_lines(session=session,
                                                               proposal=accepted)]
    assert f"Goedgekeurd door {name} op 18 december 2026" in dutch
    assert f"Approved by {name} on December 18, 2026" in english
    assert not any("->" in line or "company_accept" in line for line in dutch)


def test_the_company_reads_only_what_was_written_after_it_received_the_student(
        app, session, world):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement)
    factories.give_consent(session, world.home.student)
    session.commit()
    counsellor = session.get(User, world.home.counsellor.id)
    with app.test_request_context():
        threads.post_message(session=session, proposal=proposal, author=counsellor,
                             role="counsellor", body="Alleen tussen ons: ben je er klaar voor?")
        candidates.send_to_company(session=session, proposal=proposal, actor=None, today=TODAY)
        threads.post_message(session=session, proposal=proposal, author=counsellor,
                             role="counsellor", body="Welkom bij het bedrijf!")
        company = threads.messages_for(session=session, proposal=proposal,
                                       reader=world.home.company_user, role="company")
        student = threads.messages_for(session=session, proposal=proposal,
                                       reader=world.home.student_user, role="student")
    assert [m.body for m in company] == ["Welkom bij het bedrijf!"]
    assert len(student) == 2
