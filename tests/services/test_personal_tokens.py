"""A student's personal tokens: she makes them herself, for her own proposals only, for at most
90 days, with consent when she may be under 16; at every use the token stops when her account,
her record or the consent it was made under goes."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import ApiToken, ApiTokenUse, User
from app.models.base import local_today
from app.services import api_tokens, personal_data, personal_tokens, students
from tests import factories

TODAY = local_today()


def make(session, student_user, *, scopes=("me:write",), days=30, name="Mijn planner"):
    return personal_tokens.create_personal_token(
        session=session, student=student_user, name=name, scopes=list(scopes),
        expires_on=TODAY + timedelta(days=days))


@pytest.fixture
def consented(session, world):
    """The home student (15, so maybe under 16) with a consent on file."""
    factories.give_consent(session, world.home.student)
    session.commit()
    return world.home.student_user


# --- making one ---------------------------------------------------------------------------

def test_a_student_with_consent_makes_a_token_acting_as_herself_shown_once(session, consented):
    token, raw = make(session, consented)
    assert token.user_id == consented.id and token.created_by_id == consented.id
    assert token.personal and token.scopes == ["me:write"]
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(session.get(ApiToken, token.id).model_dump())
    assert api_tokens.authenticate_token(session=session, raw=raw).id == token.id


def test_without_consent_a_student_who_may_be_under_16_makes_none(session, world):
    with pytest.raises(api_tokens.ApiTokenError, match="must first consent"):
        make(session, world.home.student_user)
    assert session.exec(select(ApiToken)).first() is None


def test_a_student_of_16_or_older_needs_no_consent(session, world):
    world.home.student.birth_year = TODAY.year - 17
    session.commit()
    token, _raw = make(session, world.home.student_user, scopes=["me:read"])
    assert token.scopes == ["me:read"]


@pytest.mark.parametrize(("days", "allowed"), [(1, True), (90, True), (91, False),
                                               (0, False), (365, False)])
def test_a_personal_token_lives_at_most_90_days(session, consented, days, allowed):
    if allowed:
        token, _raw = make(session, consented, days=days)
        assert api_tokens.last_day_of(token) == TODAY + timedelta(days=days)
    else:
        with pytest.raises(api_tokens.ApiTokenError, match="90 days") as error:
            make(session, consented, days=days)
        assert error.value.field == "expires_on"


@pytest.mark.parametrize(("scopes", "message"), [
    ([], "Choose what the app may do"),
    (["students:read"], "Choose from the list"),
    (["me:read", "proposals:write"], "Choose from the list"),
])
def test_a_personal_token_has_only_the_me_scopes(session, consented, scopes, message):
    with pytest.raises(api_tokens.ApiTokenError, match=message) as error:
        make(session, consented, scopes=scopes)
    assert error.value.field == "scopes"


@pytest.mark.parametrize("role", ["counsellor", "coordinator", "company_user"])
def test_staff_make_no_personal_tokens(session, world, role):
    with pytest.raises(api_tokens.ApiTokenError, match="Only a student"):
        make(session, getattr(world.home, role))


def test_the_token_page_gives_a_staff_token_no_me_scope(session, world):
    with pytest.raises(api_tokens.ApiTokenError, match="from the list"):
        api_tokens.create_token(session=session, creator=world.admin,
                                acting_user_id=world.home.counsellor.id, name="x",
                                scopes=["me:read"], expires_on=TODAY + timedelta(days=30))


# --- using one ----------------------------------------------------------------------------

def reason_of(session, raw) -> str:
    with pytest.raises(api_tokens.TokenRejected) as error:
        api_tokens.authenticate_token(session=session, raw=raw)
    return error.value.reason


def test_withdrawing_the_consent_stops_the_token_and_a_new_consent_does_not_revive_it(
        session, world, consented):
    _token, raw = make(session, consented)
    students.withdraw_consent(session=session, student=world.home.student,
                              withdrawn_by=world.home.counsellor)
    assert reason_of(session, raw) == "consent"
    factories.give_consent(session, world.home.student)
    session.commit()
    assert reason_of(session, raw) == "consent"
    _new, fresh = make(session, consented)
    assert api_tokens.authenticate_token(session=session, raw=fresh)


def test_switching_the_students_account_off_stops_the_token(session, consented):
    _token, raw = make(session, consented)
    consented.is_active = False
    session.commit()
    assert reason_of(session, raw) == "account"


def test_erasing_the_student_deletes_her_tokens(session, world, consented):
    _token, raw = make(session, consented)
    personal_data.erase_student(session=session, student=world.home.student)
    session.expunge_all()
    assert session.exec(select(ApiToken)).first() is None
    assert reason_of(session, raw) == "unknown"


def test_a_token_acting_as_a_student_that_she_did_not_make_opens_nothing(session, world,
                                                                         consented):
    """The token page cannot make one; a row that says so anyway is refused at use."""
    token, raw = make(session, consented)
    token.created_by_id = world.admin.id
    session.commit()
    assert reason_of(session, raw) == "account"


def test_a_staff_account_with_the_me_scopes_opens_nothing(session, world):
    token, raw = api_tokens.create_token(
        session=session, creator=world.admin, acting_user_id=world.home.counsellor.id,
        name="x", scopes=["proposals:read"], expires_on=TODAY + timedelta(days=3))
    token.scopes = ["me:read"]
    token.created_by_id = world.home.counsellor.id
    session.commit()
    assert reason_of(session, raw) == "account"


# --- looking after them -------------------------------------------------------------------

def test_she_revokes_her_own_token_but_not_another_students(session, world, consented):
    token, raw = make(session, consented)
    with pytest.raises(api_tokens.ApiTokenError):
        api_tokens.revoke_token(session=session, token=token,
                                actor=session.get(User, world.home.classmate.user_id))
    api_tokens.revoke_token(session=session, actor=consented, token=token)
    assert token.revoked_by_id == consented.id
    assert reason_of(session, raw) == "revoked"


def test_her_tokens_are_listed_for_her_and_only_counted_for_staff(session, world, consented):
    mine, _raw = make(session, consented)
    staff, _raw = api_tokens.create_token(
        session=session, creator=world.admin, acting_user_id=world.home.counsellor.id,
        name="Magister", scopes=["students:read"], expires_on=TODAY + timedelta(days=30))
    assert [t.id for t in personal_tokens.personal_tokens_of(session=session,
                                                             student=consented)] == [mine.id]
    for actor in (world.admin, world.home.coordinator):
        listed = {row.token.id for row in api_tokens.tokens_for(session=session, actor=actor)}
        assert listed == {staff.id}
    assert api_tokens.personal_token_count(session=session) == 1
    end = api_tokens.expiry_of(TODAY + timedelta(days=30))  # the chosen last day is over
    assert api_tokens.personal_token_count(session=session,
                                           now=end - timedelta(microseconds=1)) == 1
    assert api_tokens.personal_token_count(session=session, now=end) == 0
    api_tokens.revoke_token(session=session, actor=consented, token=mine)
    assert api_tokens.personal_token_count(session=session) == 0



def test_her_export_lists_her_tokens_without_their_hash(session, world, consented):
    token, raw = make(session, consented, name=f"Planner van {consented.display_name}")
    exported = personal_data.export_student(session=session, student=world.home.student)
    assert [(t["name"], t["prefix"], t["scopes"]) for t in exported["api_tokens"]] == [
        (token.name, token.prefix, ["me:write"])]
    assert token.secret_hash not in str(exported) and raw not in str(exported)


def test_her_export_lists_what_her_apps_asked_and_erasure_deletes_it(session, world, consented):
    token, _raw = make(session, consented, name="Planner")
    staff, _raw = api_tokens.create_token(
        session=session, creator=world.admin, acting_user_id=world.home.counsellor.id,
        name="Magister", scopes=["students:read"], expires_on=TODAY + timedelta(days=30))
    api_tokens.record_token_use(session=session, token=token, method="get",
                                path="/api/v1/me/proposals?page=2", status=200)
    api_tokens.record_token_use(session=session, token=staff, method="get",
                                path="/api/v1/students", status=200)
    exported = personal_data.export_student(session=session, student=world.home.student)
    [use] = exported["api_requests_of_your_apps"]
    assert (use["app"], use["method"], use["path"], use["status"]) == (
        "Planner", "GET", "/api/v1/me/proposals", 200)
    personal_data.erase_student(session=session, student=world.home.student)
    session.expunge_all()
    assert [u.path for u in session.exec(select(ApiTokenUse)).all()] == ["/api/v1/students"]
