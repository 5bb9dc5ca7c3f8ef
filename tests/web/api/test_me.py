"""A student's own proposals through the API, with her personal token: what her page shows, her
yes and no through the page's service, repeats that change nothing, 409 for the other answer,
404 for what is not hers, and a token that opens only this."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import ApiTokenUse, DecisionLog, ProposalStatus, User
from app.models.base import local_today
from app.services import personal_tokens, students
from app.services.api_tokens import revoke_token
from tests import factories

from .conftest import assert_problem

S = ProposalStatus


@pytest.fixture
def mine(session, world, client):
    """``mine(scopes)``: a client with the home student's own token (consent on file)."""
    factories.give_consent(session, world.home.student)
    session.commit()

    class Mine:
        def __init__(self, raw: str):
            self.raw = raw
            self.headers = {"Authorization": f"Bearer {raw}"}

        def get(self, path: str):
            return client.get(path, headers=self.headers)

        def post(self, path: str, **kwargs):
            return client.post(path, headers=self.headers, **kwargs)

    def make(scopes=("me:write",)) -> Mine:
        _token, raw = personal_tokens.create_personal_token(
            session=session, student=world.home.student_user, name="Mijn planner",
            scopes=list(scopes), expires_on=local_today() + timedelta(days=30))
        return Mine(raw)

    return make


@pytest.fixture
def offers(session, world):
    """An offer to the home student, one not offered yet, and an offer to her classmate."""
    offered = factories.make_proposal(session, world.home.student, world.home.placement,
                                      status=S.offered)
    hidden = factories.make_proposal(session, world.home.student, world.away.placement,
                                     status=S.proposed)
    classmates = factories.make_proposal(session, world.home.classmate, world.home.placement,
                                         status=S.offered)
    session.commit()
    return offered, hidden, classmates


def test_she_reads_her_offers_as_her_page_shows_them(mine, offers, client, login, world):
    offered, hidden, classmates = offers
    body = mine(["me:read"]).get("/api/v1/me/proposals")
    assert body.status_code == 200, body.get_json()
    items = body.get_json()["items"]
    assert [item["id"] for item in items] == [offered.id]
    item = items[0]
    assert item["status"] == "offered" and item["may_answer"] is True
    assert item["why"] == "Je bent goed in solderen."
    assert item["title"] == world.home.placement.title
    assert item["company"] == world.home.company.name
    page = login(world.home.student_user).get("/me/proposals/").text
    assert world.home.placement.title in page and world.away.placement.title not in page


def test_another_students_proposal_and_one_not_offered_yet_are_404(mine, offers, session):
    offered, hidden, classmates = offers
    client = mine()
    for proposal in (hidden, classmates):
        assert_problem(client.post(f"/api/v1/me/proposals/{proposal.id}/answer",
                                   json={"answer": "accept"}), 404)
    assert_problem(client.post("/api/v1/me/proposals/2147483647/answer",
                               json={"answer": "accept"}), 404)
    session.expire_all()
    assert (hidden.status, classmates.status) == (S.proposed, S.offered)


def test_her_yes_changes_what_the_pages_yes_changes(mine, offers, session, world, client,
                                                    login):
    offered, _hidden, classmates = offers
    answered = mine().post(f"/api/v1/me/proposals/{offered.id}/answer",
                           json={"answer": "accept"})
    assert answered.status_code == 200, answered.get_json()
    # The classmate says yes on the page: the same state follows (consent on file for her too).
    factories.give_consent(session, world.home.classmate)
    session.commit()
    login(session.get(User, world.home.classmate.user_id))
    client.post(f"/me/proposals/{classmates.id}/accept")
    session.expire_all()
    assert offered.status is classmates.status is S.sent_to_company
    assert answered.get_json()["status"] == "sent_to_company"
    assert answered.get_json()["may_answer"] is False
    logged = session.exec(select(DecisionLog).where(DecisionLog.proposal_id == offered.id,
                                                    DecisionLog.action == "student_accept")
                          ).one()
    assert logged.actor_id == world.home.student_user.id and logged.actor_role == "student"


def test_the_same_answer_again_is_200_and_the_other_answer_a_409(mine, offers, session):
    offered, _hidden, _classmates = offers
    client = mine()
    path = f"/api/v1/me/proposals/{offered.id}/answer"
    first = client.post(path, json={"answer": "decline", "reason": "Te ver weg"})
    assert first.status_code == 200 and first.get_json()["status"] == "student_declined"
    again = client.post(path, json={"answer": "decline"})
    assert again.status_code == 200 and again.get_json() == first.get_json()
    problem = assert_problem(client.post(path, json={"answer": "accept"}), 409)
    assert problem["detail"].startswith("Dit kan nu niet")  # the state machine's words
    session.expire_all()
    assert offered.status is S.student_declined
    entries = session.exec(select(DecisionLog).where(DecisionLog.proposal_id == offered.id)
                           ).all()
    assert [(e.action, e.reason) for e in entries] == [("student_decline", "Te ver weg")]


def test_a_lapsed_offer_cannot_be_answered(mine, offers, session):
    offered, _hidden, _classmates = offers
    offered.status = S.lapsed
    session.commit()
    assert_problem(mine().post(f"/api/v1/me/proposals/{offered.id}/answer",
                               json={"answer": "accept"}), 409)


def test_an_answer_must_be_accept_or_decline(mine, offers):
    offered, _hidden, _classmates = offers
    body = assert_problem(mine().post(f"/api/v1/me/proposals/{offered.id}/answer",
                                      json={"answer": "maybe"}), 422)
    assert [e["field"] for e in body["errors"]] == ["answer"]


def test_a_read_token_does_not_answer(mine, offers, session):
    offered, _hidden, _classmates = offers
    problem = assert_problem(mine(["me:read"]).post(
        f"/api/v1/me/proposals/{offered.id}/answer", json={"answer": "accept"}), 403)
    assert "me:write" in problem["detail"]
    session.expire_all()
    assert offered.status is S.offered


@pytest.mark.parametrize("path", ["/api/v1/proposals", "/api/v1/regions",
                                  "/api/v1/students/{student}",
                                  "/api/v1/students/{student}/recommendations"])
def test_her_token_opens_nothing_but_her_own_area(mine, world, path):
    response = mine().get(path.format(student=world.home.student.id))
    assert "bereik" in assert_problem(response, 403)["detail"]  # the scope it lacks


def test_a_staff_token_never_reads_the_students_own_area(api, world, offers):
    offered, _hidden, _classmates = offers
    for user in (world.admin, world.home.counsellor):
        assert_problem(api(user).get("/api/v1/me/proposals"), 403)
        assert_problem(api(user).post(f"/api/v1/me/proposals/{offered.id}/answer",
                                      json={"answer": "accept"}), 403)


def test_a_revoked_token_is_a_401(mine, session, world, client):
    own = mine()
    tokens = personal_tokens.personal_tokens_of(session=session,
                                                student=world.home.student_user)
    revoke_token(session=session, actor=world.home.student_user, token=tokens[0])
    response = own.get("/api/v1/me/proposals")
    assert "ingetrokken" in assert_problem(response, 401)["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_withdrawn_consent_or_a_switched_off_account_is_a_401(mine, session, world):
    own = mine()
    assert own.get("/api/v1/me/proposals").status_code == 200
    students.withdraw_consent(session=session, student=world.home.student,
                              withdrawn_by=world.home.counsellor)
    assert_problem(own.get("/api/v1/me/proposals"), 401)
    world.home.student_user.is_active = False
    session.commit()
    assert_problem(own.get("/api/v1/me/proposals"), 401)


def test_every_use_is_logged(mine, session, offers):
    own = mine()
    own.get("/api/v1/me/proposals")
    uses = session.exec(select(ApiTokenUse)).all()
    assert [(u.method, u.path, u.status) for u in uses] == [("GET", "/api/v1/me/proposals",
                                                             200)]


def test_her_recommendations_are_her_voor_jou_list(mine, world):
    body = mine(["me:read"]).get("/api/v1/me/recommendations")
    assert body.status_code == 200, body.get_json()
    found = body.get_json()
    assert found["student_id"] == world.home.student.id
    assert found["items"] and all(item["why"] for item in found["items"])
