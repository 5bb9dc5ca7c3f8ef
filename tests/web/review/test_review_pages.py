"""The review queue, the student's proposals and the exports, through the web."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlmodel import select

from app.models import (
    DecisionLog,
    Level,
    MatchProposal,
    ProposalStatus,
    StudentGender,
    StudentProfile,
)
from tests import factories

S = ProposalStatus


def many_students(session, world, count):
    """``count`` students of the home school, each with a waiting proposal."""
    home = world.home
    proposals = []
    for n in range(count):
        student = StudentProfile(school_id=home.school.id, student_number=f"B{n:05d}",
                                 first_name=f"Leerling{n}", last_name="Bulk", birth_year=2008,
                                 level=Level.vmbo_kb, class_name="4A", postcode="6901")
        session.add(student)
        session.flush()
        session.add(StudentGender(student_id=student.id))
        proposals.append(MatchProposal(student_id=student.id, placement_id=home.placement.id,
                                       score=0.5, status=S.proposed, explanation="Past goed."))
    session.add_all(proposals)
    session.commit()
    return proposals


def test_a_counsellor_approves_500_proposals_in_one_request(world, session, client, login):
    proposals = many_students(session, world, 500)
    login(world.home.counsellor)
    pages = [client.get(f"/review/?page={n}").text for n in range(1, 6)]
    assert [page.count('name="ids"') for page in pages] == [100] * 5  # 100 a page
    assert all(any(f">Leerling{n} Bulk<" in page for page in pages) for n in range(500))
    response = client.post("/review/decide", data={
        "ids": [str(p.id) for p in proposals], "approve": "1", "back": "/review/"})
    assert response.status_code == 302
    session.expire_all()
    statuses = {p.status for p in session.exec(select(MatchProposal)).all()}
    assert statuses == {S.offered}
    assert len(session.exec(select(DecisionLog)).all()) == 1000  # approve + offer each


def test_bulk_rejection_needs_a_reason(world, session, client, login):
    proposals = many_students(session, world, 3)
    login(world.home.counsellor)
    client.post("/review/decide", data={"ids": [str(p.id) for p in proposals], "reject": "1"})
    session.expire_all()
    assert {p.status for p in session.exec(select(MatchProposal)).all()} == {S.proposed}
    client.post("/review/decide", data={"ids": [str(p.id) for p in proposals], "reject": "1",
                                        "reason_code": "period"})
    session.expire_all()
    assert {p.status for p in session.exec(select(MatchProposal)).all()} == {S.rejected}


def test_the_queue_filters_by_class_and_level_and_groups_by_placement(world, session, client,
                                                                      login):
    many_students(session, world, 2)
    factories.make_proposal(session, world.home.student, world.home.placement,
                            status=S.proposed)
    session.commit()
    login(world.home.counsellor)
    only_4a = client.get("/review/?class_name=4A&group=placement")
    assert "Leerling1" in only_4a.text and "Sanne" not in only_4a.text
    havo = client.get("/review/?level=havo")
    assert "Leerling1" not in havo.text


def test_another_schools_proposal_answers_404(world, session, client, login):
    theirs = factories.make_proposal(session, world.away.student, world.away.placement,
                                     status=S.proposed)
    session.commit()
    login(world.home.counsellor)
    assert client.get(f"/review/{theirs.id}").status_code == 404
    assert client.post("/review/decide", data={"ids": [str(theirs.id)], "approve": "1"}
                       ).status_code == 404
    assert session.get(MatchProposal, theirs.id).status is S.proposed


def test_single_decisions_with_reason_note_and_history(world, session, client, login):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.proposed)
    session.commit()
    login(world.home.counsellor)
    assert client.get(f"/review/{proposal.id}").status_code == 200
    bad = client.post(f"/review/{proposal.id}/reject", data={"reason_code": "other"})
    assert bad.status_code == 400
    client.post(f"/review/{proposal.id}/note", data={"note": "Bellen met ouders"})
    session.refresh(proposal)
    assert proposal.counsellor_note == "Bellen met ouders"
    client.post(f"/review/{proposal.id}/approve", data={})
    session.refresh(proposal)
    assert proposal.status is S.offered
    assert "Bellen met ouders" in client.get(f"/review/{proposal.id}").text


def test_the_student_sees_an_offer_with_its_reason_and_answers(world, session, client, login):
    factories.give_consent(session, world.home.student)
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.offered, explanation="Je bent goed in solderen.")
    hidden = factories.make_proposal(session, world.home.student, world.home.draft_placement,
                                     status=S.proposed)
    session.commit()
    login(world.home.student_user)
    page = client.get("/me/proposals/")
    assert "Je bent goed in solderen." in page.text and world.home.placement.title in page.text
    assert world.home.draft_placement.title not in page.text  # not approved: not shown
    assert client.post(f"/me/proposals/{hidden.id}/accept").status_code == 404
    client.post(f"/me/proposals/{proposal.id}/accept")
    session.refresh(proposal)
    assert proposal.status is S.sent_to_company


def test_another_student_cannot_see_or_answer_an_offer(world, session, client, login):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.offered)
    session.commit()
    login(world.away.student_user)
    assert client.post(f"/me/proposals/{proposal.id}/decline").status_code == 404
    assert session.get(MatchProposal, proposal.id).status is S.offered


def test_match_lists_export_as_csv_and_xlsx_with_formulas_neutralised(world, session, client,
                                                                      login):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.proposed, explanation="=cmd|' /C calc'!A0")
    factories.make_proposal(session, world.away.student, world.away.placement,
                            status=S.proposed)
    session.commit()
    login(world.home.counsellor)
    response = client.get("/review/matches.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2 and rows[1][1] == world.home.student.student_number
    assert rows[1][-1].startswith("'=")
    book = load_workbook(io.BytesIO(client.get("/review/matches.xlsx").data))
    values = list(book.active.values)
    assert len(values) == 2 and str(values[1][-1]).startswith("'=")
    login(world.home.coordinator)
    region = client.get("/review/matches.csv")
    assert region.status_code == 200 and world.away.student.student_number not in \
        region.data.decode("utf-8-sig")
    assert client.get("/review/").status_code == 403
    assert proposal.id


def test_the_decision_log_exports_who_decided_what_and_why(world, session, client, login):
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.proposed)
    session.commit()
    login(world.home.counsellor)
    client.post(f"/review/{proposal.id}/reject", data={"reason_code": "distance",
                                                       "reason": "Te ver"})
    rows = list(csv.reader(io.StringIO(
        client.get("/review/log.csv").data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["when", "who", "role"]
    assert rows[1][1] == world.home.counsellor.display_name and rows[1][7] == "reject"
    assert rows[1][10:12] == ["distance", "Te ver"]
