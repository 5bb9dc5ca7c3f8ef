"""Proposals through the API: read with the web's rights, steps through the web's services and
state machine, repeats that change nothing, refusals as 409 problems."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import (
    DecisionLog,
    MatchProposal,
    MatchRound,
    Placement,
    PlacementStatus,
    ProposalStatus,
    RoundStatus,
)
from tests import factories

from .conftest import assert_problem

S = ProposalStatus


@pytest.fixture
def proposed(session, world):
    round_ = MatchRound(scope=f"school:{world.home.school.code}", status=RoundStatus.finished)
    session.add(round_)
    session.flush()
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.proposed)
    proposal.round_id = round_.id
    away = factories.make_proposal(session, world.away.student, world.away.placement,
                                   status=S.proposed)
    other_school = factories.make_proposal(session, world.home.other_school_student,
                                           world.home.placement, status=S.proposed)
    session.commit()
    return proposal, away, other_school, round_


def test_a_counsellor_reads_their_schools_proposals_with_the_reason(api, world, proposed):
    mine, away, other_school, _round = proposed
    client = api(world.home.counsellor)
    body = client.get("/api/v1/proposals").get_json()
    assert [p["id"] for p in body["items"]] == [mine.id]
    one = client.get(f"/api/v1/proposals/{mine.id}").get_json()
    assert one["status"] == "proposed" and one["why"] == "Je bent goed in solderen."
    assert one["components"] == {}
    assert_problem(client.get(f"/api/v1/proposals/{away.id}"), 404)
    assert_problem(client.get(f"/api/v1/proposals/{other_school.id}"), 404)
    assert client.get("/api/v1/proposals?status=offered").get_json()["items"] == []
    filtered = client.get(f"/api/v1/proposals?student={world.home.student.id}"
                          f"&placement={world.home.placement.id}&status=proposed").get_json()
    assert [p["id"] for p in filtered["items"]] == [mine.id]


def test_a_coordinator_reads_their_regions_proposals_but_takes_no_step(api, world, proposed):
    mine, away, other_school, _round = proposed
    client = api(world.home.coordinator)
    ids = {p["id"] for p in client.get("/api/v1/proposals").get_json()["items"]}
    assert ids == {mine.id, other_school.id}
    assert_problem(client.get(f"/api/v1/proposals/{away.id}"), 404)
    assert_problem(client.post(f"/api/v1/proposals/{mine.id}/approve", json={}), 403)


def test_approving_offers_it_and_a_repeat_changes_nothing(api, world, proposed, session):
    mine, away, _other, _round = proposed
    client = api(world.home.counsellor)
    first = client.post(f"/api/v1/proposals/{mine.id}/approve", json={"note": "goed"})
    assert first.status_code == 200 and first.get_json()["status"] == "offered"
    again = client.post(f"/api/v1/proposals/{mine.id}/approve", json={})
    assert again.status_code == 200 and again.get_json()["status"] == "offered"
    approvals = session.exec(select(DecisionLog).where(DecisionLog.proposal_id == mine.id,
                                                       DecisionLog.action == "approve")).all()
    assert len(approvals) == 1
    # Another school's proposal is not there at all.
    assert_problem(client.post(f"/api/v1/proposals/{away.id}/approve", json={}), 404)


def test_a_step_the_state_machine_refuses_is_a_409_with_its_message(api, world, session):
    placed = factories.make_proposal(session, world.home.student, world.home.placement,
                                     status=S.placed)
    session.commit()
    client = api(world.home.counsellor)
    body = assert_problem(client.post(f"/api/v1/proposals/{placed.id}/approve", json={}), 409)
    assert body["detail"]
    body = assert_problem(client.post(f"/api/v1/proposals/{placed.id}/reject",
                                      json={"reason_code": "level"}), 409)
    session.refresh(placed)
    assert placed.status is S.placed


def test_rejecting_needs_a_reason_and_repeats_harmlessly(api, world, proposed, session):
    mine, *_rest = proposed
    client = api(world.home.counsellor)
    body = assert_problem(client.post(f"/api/v1/proposals/{mine.id}/reject",
                                      json={"reason_code": "other"}), 422)
    assert body["errors"][0]["field"] == "reason"
    assert_problem(client.post(f"/api/v1/proposals/{mine.id}/reject",
                               json={"reason_code": "nonsense"}), 422)
    done = client.post(f"/api/v1/proposals/{mine.id}/reject", json={"reason_code": "level"})
    assert done.get_json()["status"] == "rejected"
    again = client.post(f"/api/v1/proposals/{mine.id}/reject", json={"reason_code": "level"})
    assert again.status_code == 200
    assert len(session.exec(select(DecisionLog).where(
        DecisionLog.proposal_id == mine.id)).all()) == 1


def test_replacing_answers_with_the_new_proposal_once(api, world, proposed, session):
    mine, *_rest = proposed
    home = world.home
    other = Placement(company_id=home.company.id, code="ALT1", title="Snuffelstage robotica",
                      kind=home.placement.kind, levels=home.placement.levels,
                      status=PlacementStatus.open, postcode="6902", place="Zevenaar",
                      capacity=3)
    session.add(other)
    session.commit()
    client = api(home.counsellor)
    assert_problem(client.post(f"/api/v1/proposals/{mine.id}/replace",
                               json={"placement_id": world.away.draft_placement.id,
                                     "reason": "beter"}), 404)
    request = {"placement_id": other.id, "reason": "Wil liever robots",
               "breaking_rules": True}
    new = client.post(f"/api/v1/proposals/{mine.id}/replace", json=request)
    assert new.status_code == 200, new.get_json()
    body = new.get_json()
    assert body["placement_id"] == other.id and body["status"] == "offered"
    assert body["id"] != mine.id
    again = client.post(f"/api/v1/proposals/{mine.id}/replace", json=request).get_json()
    assert again["id"] == body["id"]
    assert len(session.exec(select(MatchProposal).where(
        MatchProposal.placement_id == other.id)).all()) == 1


def test_a_company_answers_its_candidates_only(api, world, session):
    factories.give_consent(session, world.home.student)
    sent = factories.make_proposal(session, world.home.student, world.home.placement,
                                   status=S.sent_to_company)
    waiting = factories.make_proposal(session, world.home.classmate, world.home.placement,
                                      status=S.proposed)
    theirs = factories.make_proposal(session, world.away.student, world.away.placement,
                                     status=S.sent_to_company)
    session.commit()
    client = api(world.home.company_user)
    assert [p["id"] for p in client.get("/api/v1/proposals").get_json()["items"]] == [sent.id]
    one = client.get(f"/api/v1/proposals/{sent.id}").get_json()
    assert one["components"] is None
    assert_problem(client.get(f"/api/v1/proposals/{waiting.id}"), 404)
    assert_problem(client.post(f"/api/v1/proposals/{theirs.id}/answer",
                               json={"accept": True}), 404)
    assert_problem(client.post(f"/api/v1/proposals/{sent.id}/approve", json={}), 403)
    body = assert_problem(client.post(f"/api/v1/proposals/{sent.id}/answer",
                                      json={"accept": False, "reason_code": "full"}), 422)
    assert body["detail"]
    accepted = client.post(f"/api/v1/proposals/{sent.id}/answer", json={"accept": True})
    assert accepted.get_json()["status"] == "company_accepted"
    assert client.post(f"/api/v1/proposals/{sent.id}/answer",
                       json={"accept": True}).status_code == 200
    assert_problem(client.post(f"/api/v1/proposals/{sent.id}/answer",
                               json={"accept": False, "reason_code": "full",
                                     "reason": "vol"}), 409)
    assert_problem(api(world.home.counsellor).post(f"/api/v1/proposals/{sent.id}/answer",
                                                   json={"accept": True}), 403)


def test_rounds_and_their_proposals_with_the_web_rights(api, world, proposed):
    mine, _away, _other, round_ = proposed
    client = api(world.home.counsellor)
    assert [r["id"] for r in client.get("/api/v1/rounds").get_json()["items"]] == [round_.id]
    assert client.get(f"/api/v1/rounds/{round_.id}").get_json()["scope"] == round_.scope
    body = client.get(f"/api/v1/rounds/{round_.id}/proposals").get_json()
    assert [p["id"] for p in body["items"]] == [mine.id]
    for outsider in (world.away.counsellor, world.away.coordinator, world.home.company_user):
        other = api(outsider)
        assert other.get("/api/v1/rounds").get_json()["items"] == []
        assert_problem(other.get(f"/api/v1/rounds/{round_.id}/proposals"), 404)
    assert [r["id"] for r in api(world.home.coordinator).get("/api/v1/rounds").get_json()[
        "items"]] == [round_.id]


def test_a_students_recommendations_for_their_counsellor_only(api, world):
    body = api(world.home.counsellor).get(
        f"/api/v1/students/{world.home.student.id}/recommendations")
    assert body.status_code == 200, body.get_json()
    items = body.get_json()["items"]
    assert items and [item["rank"] for item in items] == list(range(1, len(items) + 1))
    assert all(item["why"] for item in items)
    assert {item["placement_id"] for item in items} <= {world.home.placement.id,
                                                         world.away.placement.id}
    for outsider in (world.away.counsellor, world.home.coordinator, world.home.company_user):
        assert_problem(api(outsider).get(
            f"/api/v1/students/{world.home.student.id}/recommendations"), 404)


def test_a_region_rounds_proposals_are_read_of_the_accounts_own_schools_only(
        api, world, session):
    round_ = MatchRound(scope="region:liemers", status=RoundStatus.finished)
    session.add(round_)
    session.flush()
    ours = factories.make_proposal(session, world.home.classmate, world.home.placement,
                                   status=S.proposed)
    theirs = factories.make_proposal(session, world.away.student, world.home.placement,
                                     status=S.proposed)
    ours.round_id = theirs.round_id = round_.id
    session.commit()
    for reader in (world.home.coordinator, world.home.counsellor):
        client = api(reader)
        assert round_.id in [r["id"] for r in client.get("/api/v1/rounds").get_json()["items"]]
        body = client.get(f"/api/v1/rounds/{round_.id}/proposals").get_json()
        assert [p["id"] for p in body["items"]] == [ours.id]
    for outsider in (world.away.counsellor, world.away.coordinator):
        assert_problem(api(outsider).get(f"/api/v1/rounds/{round_.id}"), 404)
    everyone = MatchRound(scope="all", status=RoundStatus.finished)
    session.add(everyone)
    session.commit()
    assert api(world.away.counsellor).get(f"/api/v1/rounds/{everyone.id}").status_code == 200
