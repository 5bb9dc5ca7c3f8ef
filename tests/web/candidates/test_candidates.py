"""What a company sees of its candidates, and answering them through the pages."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import select

from app.cli import main
from app.models import (
    DecisionLog,
    MatchProposal,
    ProposalStatus,
    StudentProfile,
    TalentObservation,
)
from app.models.base import local_today
from app.services import candidates
from tests import factories

S = ProposalStatus


@pytest.fixture
def sent(world, session, app):
    """The home student, with consent, sent to the home company; one observation shared."""
    factories.give_consent(session, world.home.student)
    student = session.get(StudentProfile, world.home.student.id)
    student.birth_year = factories.born_fifteen_years_ago()  # under 16: needs consent
    observation = session.exec(select(TalentObservation)
                               .where(TalentObservation.student_id == student.id)).one()
    observation.shared_with_companies = True
    hidden = TalentObservation(activity_id=world.home.activity.id, student_id=student.id,
                               strength=2, skills="GEHEIM-niet-gedeeld",
                               observed_on=date(2025, 10, 7))
    session.add_all([student, observation, hidden])
    proposal = factories.make_proposal(session, student, world.home.placement,
                                       explanation="Je liet zien dat je goed kunt solderen.")
    session.commit()
    with app.test_request_context():
        candidates.send_to_company(session=session, proposal=proposal, actor=None,
                                   today=local_today())
    return proposal


FORBIDDEN = ("de Vries", str(factories.born_fifteen_years_ago()), "6901", "Meisje", "girl",
             "GEHEIM-niet-gedeeld", "@test.example")


def test_a_company_sees_only_what_it_needs_of_a_candidate(world, sent, login):
    client = login(world.home.company_user)
    page = client.get(f"/candidates/{sent.id}").get_data(as_text=True)
    assert "Sanne" in page
    assert "Testcollege" in page  # the school
    assert "vmbo kaderberoepsgericht" in page
    assert "goed kunt solderen" in page  # why they fit
    assert "heel precies bij het solderen" in page  # the shared observation
    body = page[page.index("<main"):]
    for text in FORBIDDEN:
        assert text not in body, text


def test_the_company_export_has_only_the_allowed_fields(world, sent, login):
    response = login(world.home.company_user).get("/candidates/export.csv")
    text = response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "Sanne" in text and "Testcollege" in text
    for text_part in FORBIDDEN:
        assert text_part not in text, text_part


def test_export_cells_are_never_run_as_formulas(world, session, sent, login):
    sent.explanation = "=HYPERLINK(\"http://evil.example\")"
    session.add(sent)
    session.commit()
    text = login(world.home.company_user).get("/candidates/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][-1] == "'=HYPERLINK(\"http://evil.example\")"


def test_another_company_or_an_unsent_proposal_answers_404(world, session, sent, login):
    assert login(world.away.company_user).get(f"/candidates/{sent.id}").status_code == 404
    waiting = factories.make_proposal(session, world.home.classmate, world.home.placement,
                                      status=S.approved)
    session.commit()
    assert login(world.home.company_user).get(f"/candidates/{waiting.id}").status_code == 404


def test_a_withdrawn_consent_hides_the_candidate_again(world, session, sent, login):
    from app.services import students

    with login(world.home.company_user).application.test_request_context():
        students.withdraw_consent(session=session, student=world.home.student,
                                  withdrawn_by=world.home.counsellor)
    client = login(world.home.company_user)
    assert client.get(f"/candidates/{sent.id}").status_code == 404
    assert "Sanne" not in client.get("/candidates/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["student", "counsellor", "coordinator"])
def test_only_companies_open_the_candidate_pages(world, sent, login, role):
    user = {"student": world.home.student_user, "counsellor": world.home.counsellor,
            "coordinator": world.home.coordinator}[role]
    assert login(user).get(f"/candidates/{sent.id}").status_code == 403


def test_a_company_accepts_a_candidate_from_the_page(world, session, sent, login):
    client = login(world.home.company_user)
    assert "Beantwoord vóór" in client.get("/candidates/").get_data(as_text=True)
    client.post(f"/candidates/{sent.id}/accept")
    session.expire_all()
    assert session.get(MatchProposal, sent.id).status is S.company_accepted


def test_declining_from_the_page_needs_a_reason(world, session, sent, login):
    client = login(world.home.company_user)
    client.post(f"/candidates/{sent.id}/decline", data={"reason": "", "reason_code": "full"})
    session.expire_all()
    assert session.get(MatchProposal, sent.id).status is S.sent_to_company
    client.post(f"/candidates/{sent.id}/decline", data={"reason": "Geen plek in de werkplaats"})
    session.expire_all()
    assert session.get(MatchProposal, sent.id).status is S.sent_to_company
    client.post(f"/candidates/{sent.id}/decline", data={"reason": "Geen plek in de werkplaats",
                                                         "reason_code": "full"})
    session.expire_all()
    assert session.get(MatchProposal, sent.id).status is S.company_declined
    assert session.exec(select(DecisionLog.reason, DecisionLog.reason_code)
                        .where(DecisionLog.action == "company_decline")).one() == (
        "Geen plek in de werkplaats", "full")


def test_the_lapse_command_uses_the_given_date(world, session, sent, empty_database_url,
                                                database_url, monkeypatch):
    monkeypatch.setenv("TALENTMATCH_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", database_url)
    runner = CliRunner()
    deadline = sent.company_deadline
    early = runner.invoke(main, ["lapse", "--today", deadline.isoformat()])
    assert "0 offer(s) lapsed" in early.output
    late = runner.invoke(main, ["lapse", "--today", (deadline + timedelta(days=1)).isoformat()])
    assert "1 offer(s) lapsed" in late.output
    session.expire_all()
    assert session.get(MatchProposal, sent.id).status is S.lapsed


def test_a_student_chooses_which_observations_companies_may_read(world, session, login):
    observation = session.exec(select(TalentObservation).where(
        TalentObservation.student_id == world.home.student.id)).one()
    client = login(world.home.student_user)
    client.post(f"/students/me/observations/{observation.id}/share", data={"shared": "1"})
    session.expire_all()
    assert session.get(TalentObservation, observation.id).shared_with_companies
    client.post(f"/students/me/observations/{observation.id}/share", data={"shared": "0"})
    session.expire_all()
    assert not session.get(TalentObservation, observation.id).shared_with_companies
    other = login(world.home.classmate and world.away.student_user)
    assert other.post(f"/students/me/observations/{observation.id}/share",
                      data={"shared": "1"}).status_code == 404


def test_a_student_gives_feedback_after_the_placement_started(world, session, sent, login):
    with login(world.home.company_user).application.test_request_context():
        candidates.company_accept(session=session, proposal=sent, actor=world.home.company_user)
        candidates.confirm_placed(session=session, proposal=sent, actor=world.home.company_user)
    client = login(world.home.student_user)
    home = client.get("/home").get_data(as_text=True)
    assert f"/candidates/mine/{sent.id}/feedback" in home
    client.post(f"/candidates/mine/{sent.id}/feedback",
                data={"learned": "Meten en solderen", "would_recommend": "yes"})
    from app.models import PlacementFeedback

    feedback = session.exec(select(PlacementFeedback)).one()
    assert feedback.learned == "Meten en solderen" and feedback.would_recommend
    assert login(world.away.student_user).get(
        f"/candidates/mine/{sent.id}/feedback").status_code == 404
