"""Tokens for integrations, without the pages: who may make one for whom, what is stored, which
tokens open the API, scopes, revocation, the use log, and erasure."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.models import (
    API_SCOPES,
    STUDENT_SCOPES,
    ApiArea,
    ApiToken,
    ApiTokenUse,
    Role,
    StudentProfile,
    User,
    metadata,
    utcnow,
)
from app.models.base import local_today
from app.services import api_tokens as service
from app.services import personal_data

TODAY = date(2026, 12, 7)


def make(session, creator, acting, *, scopes=("students:read",), days=90, name="Magister"):
    return service.create_token(session=session, creator=creator, acting_user_id=acting.id,
                                name=name, scopes=list(scopes),
                                expires_on=local_today() + timedelta(days=days))


def stored_text(session) -> str:
    """Every value of the token table, as text."""
    rows = session.connection().execute(sa.select(metadata.tables["api_token"])).all()
    return " ".join(str(value) for row in rows for value in row)


# --- what is stored -----------------------------------------------------------------------

def test_the_token_is_shown_once_and_only_its_hash_is_stored(session, world):
    token, raw = make(session, world.admin, world.home.counsellor)
    assert raw.startswith(f"tm_{token.prefix}_") and len(raw) >= 3 + 8 + 1 + 43
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    secret = raw.split("_", 2)[2]
    text = stored_text(session)
    assert secret not in text and raw not in text
    assert token.prefix in text and token.secret_hash in text


def test_two_tokens_differ_in_prefix_and_secret(session, world):
    first, raw_first = make(session, world.admin, world.home.counsellor)
    second, raw_second = make(session, world.admin, world.home.counsellor)
    assert first.prefix != second.prefix and raw_first != raw_second


def test_the_scopes_are_stored_once_in_a_fixed_order(session, world):
    token, _raw = make(session, world.admin, world.home.counsellor,
                       scopes=["students:write", "reference:read", "students:write"])
    assert token.scopes == ["reference:read", "students:write"]


# --- who may make a token for whom ----------------------------------------------------------

def test_a_coordinator_makes_tokens_for_themselves_and_their_regions_staff(session, world):
    home = world.home
    for acting in (home.coordinator, home.counsellor, home.company_user):
        token, _raw = make(session, home.coordinator, acting)
        assert token.user_id == acting.id and token.created_by_id == home.coordinator.id


def test_a_coordinator_cannot_make_one_for_another_regions_counsellor(session, world):
    with pytest.raises(service.ApiTokenError, match="cannot make a token for this account") as e:
        make(session, world.home.coordinator, world.away.counsellor)
    assert e.value.field == "acting_user_id"
    assert session.exec(select(ApiToken)).first() is None


@pytest.mark.parametrize("creator", ["admin", "coordinator"])
def test_nobody_makes_a_token_that_acts_as_a_student(session, world, creator):
    maker = world.admin if creator == "admin" else world.home.coordinator
    with pytest.raises(service.ApiTokenError, match="cannot act as a student"):
        make(session, maker, world.home.student_user)


def test_an_admin_makes_one_for_any_active_account_but_no_switched_off_one(session, world):
    for acting in (world.away.counsellor, world.home.coordinator, world.admin):
        make(session, world.admin, acting)
    world.away.company_user.is_active = False
    session.commit()
    with pytest.raises(service.ApiTokenError, match="cannot make a token"):
        make(session, world.admin, world.away.company_user)


@pytest.mark.parametrize("role", ["counsellor", "company_user", "student_user"])
def test_others_make_no_tokens(session, world, role):
    with pytest.raises(service.ApiTokenError, match="Only administrators and coordinators"):
        make(session, getattr(world.home, role), world.home.counsellor)


def test_the_accounts_a_coordinator_may_choose_are_their_region_staff_and_themselves(
        session, world):
    home = world.home
    chosen = {u.id for u in service.choosable_accounts(session=session, actor=home.coordinator)}
    assert {home.coordinator.id, home.counsellor.id, home.company_user.id} <= chosen
    assert home.student_user.id not in chosen
    assert world.away.counsellor.id not in chosen and world.admin.id not in chosen
    every = {u.id for u in service.choosable_accounts(session=session, actor=world.admin)}
    assert world.away.counsellor.id in every and home.student_user.id not in every


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name": "  "}, "name", "Give the token a name"),
    ({"name": "x" * 121}, "name", "at most 120 characters"),
    ({"scopes": []}, "scopes", "at least one scope"),
    ({"scopes": ["students:delete"]}, "scopes", "from the list"),
    ({"expires_on": None}, "expires_on", "Choose the date"),
    ({"expires_on": TODAY}, "expires_on", "from tomorrow"),
    ({"expires_on": TODAY + timedelta(days=366)}, "expires_on", "365 days"),
    ({"acting_user_id": None}, "acting_user_id", "Choose the account"),
])
def test_a_token_needs_a_name_a_scope_and_an_expiry_within_a_year(session, world, change,
                                                                   field, message):
    values = {"name": "Magister", "scopes": ["students:read"],
              "expires_on": TODAY + timedelta(days=90),
              "acting_user_id": world.home.counsellor.id, **change}
    with pytest.raises(service.ApiTokenError, match=message) as error:
        service.create_token(session=session, creator=world.admin, today=TODAY, **values)
    assert error.value.field == field


def test_an_expiry_a_year_ahead_is_allowed_and_lasts_through_that_day(session, world):
    token, _raw = service.create_token(
        session=session, creator=world.admin, acting_user_id=world.home.counsellor.id,
        name="Zermelo", scopes=["activities:write"], expires_on=TODAY + timedelta(days=365),
        today=TODAY)
    assert service.last_day_of(token) == TODAY + timedelta(days=365)
    assert token.expires_at == service.expiry_of(TODAY + timedelta(days=365))


# --- using a token --------------------------------------------------------------------------

def test_a_fresh_token_opens_the_api(session, world):
    token, raw = make(session, world.admin, world.home.counsellor)
    assert service.authenticate_token(session=session, raw=raw).id == token.id


@pytest.mark.parametrize("bad", [
    None, "", "Bearer x", "tm_abc", "tm_ABCDEFGH_" + "a" * 43, "tm_abcdefgh_" + "a" * 44,
    "x" * 5000])
def test_a_malformed_token_is_rejected(session, world, bad):
    with pytest.raises(service.TokenRejected) as error:
        service.authenticate_token(session=session, raw=bad)
    assert error.value.reason == "malformed"


def test_a_wrong_secret_with_a_real_prefix_is_rejected(session, world):
    _token, raw = make(session, world.admin, world.home.counsellor)
    last = raw[-1]
    wrong = raw[:-1] + ("A" if last != "A" else "B")
    with pytest.raises(service.TokenRejected) as error:
        service.authenticate_token(session=session, raw=wrong)
    assert error.value.reason == "unknown"


def test_an_unknown_prefix_is_rejected(session, world):
    _token, raw = make(session, world.admin, world.home.counsellor)
    other = "tm_zzzzzzzz_" + raw.split("_", 2)[2]
    with pytest.raises(service.TokenRejected, match="not valid"):
        service.authenticate_token(session=session, raw=other)


def test_an_expired_token_is_rejected(session, world):
    token, raw = make(session, world.admin, world.home.counsellor, days=1)
    with pytest.raises(service.TokenRejected, match="expired"):
        service.authenticate_token(session=session, raw=raw,
                                   now=token.expires_at + timedelta(seconds=1))
    assert service.authenticate_token(session=session, raw=raw,
                                      now=token.expires_at - timedelta(seconds=1))


def test_a_revoked_token_is_rejected(session, world):
    token, raw = make(session, world.home.coordinator, world.home.counsellor)
    service.revoke_token(session=session, actor=world.home.coordinator, token=token)
    assert token.revoked_by_id == world.home.coordinator.id
    with pytest.raises(service.TokenRejected, match="revoked"):
        service.authenticate_token(session=session, raw=raw)
    with pytest.raises(service.ApiTokenError, match="already revoked"):
        service.revoke_token(session=session, actor=world.admin, token=token)


def test_a_token_of_a_switched_off_account_is_rejected(session, world):
    _token, raw = make(session, world.admin, world.home.counsellor)
    world.home.counsellor.is_active = False
    session.commit()
    with pytest.raises(service.TokenRejected) as error:
        service.authenticate_token(session=session, raw=raw)
    assert error.value.reason == "account"


def test_a_token_goes_with_its_account(session, world):
    token, raw = make(session, world.admin, world.away.company_user)
    service.record_token_use(session=session, token=token, method="GET", path="/api/v1/x",
                             status=200)
    session.delete(world.away.company_user)
    session.commit()
    session.expunge_all()
    assert session.exec(select(ApiToken)).first() is None
    assert session.exec(select(ApiTokenUse)).first() is None
    with pytest.raises(service.TokenRejected):
        service.authenticate_token(session=session, raw=raw)


# --- scopes ---------------------------------------------------------------------------------

def test_write_implies_read_and_each_area_stands_alone():
    token = ApiToken(user_id=1, name="x", prefix="p", secret_hash="h",
                     scopes=["students:write", "monitor:read"], expires_at=utcnow())
    assert token.allows(ApiArea.students, write=True)
    assert token.allows("students", write=False)
    assert token.allows(ApiArea.monitor, write=False)
    assert not token.allows(ApiArea.monitor, write=True)
    assert not token.allows(ApiArea.placements, write=False)
    assert not token.allows(ApiArea.reference, write=False)


def test_every_staff_area_has_a_read_and_a_write_scope_and_me_is_the_students_own():
    assert len(API_SCOPES) == 2 * (len(ApiArea) - 1) == 12
    assert {"reference:read", "proposals:write", "monitor:read"} <= set(API_SCOPES)
    assert STUDENT_SCOPES == ("me:read", "me:write")
    assert not set(STUDENT_SCOPES) & set(API_SCOPES)


# --- the log and the lists ------------------------------------------------------------------

def test_every_use_is_logged_and_the_last_use_kept(session, world):
    token, _raw = make(session, world.admin, world.home.counsellor)
    assert token.last_used_at is None
    for n, status in enumerate((200, 404, 201)):
        service.record_token_use(session=session, token=token, method="post",
                                 path=f"/api/v1/students/{n}?cursor=abc", status=status)
    uses = service.uses_of(session=session, token=token)
    assert [u.status for u in uses] == [201, 404, 200]
    assert uses[0].path == "/api/v1/students/2" and uses[0].method == "POST"
    assert token.last_used_at == uses[0].at
    assert len(service.uses_of(session=session, token=token, limit=2)) == 2


def test_a_long_path_is_cut_to_the_column(session, world):
    token, _raw = make(session, world.admin, world.home.counsellor)
    use = service.record_token_use(session=session, token=token, method="GET",
                                   path="/api/v1/" + "x" * 500, status=414)
    assert len(use.path) == 300


def test_a_coordinator_lists_their_own_and_their_regions_tokens_an_admin_all(session, world):
    home, away = world.home, world.away
    mine, _ = make(session, home.coordinator, home.counsellor)
    by_admin_in_my_region, _ = make(session, world.admin, home.company_user)
    elsewhere, _ = make(session, away.coordinator, away.counsellor)
    listed = {row.token.id for row in service.tokens_for(session=session, actor=home.coordinator)}
    assert listed == {mine.id, by_admin_in_my_region.id}
    every = {row.token.id for row in service.tokens_for(session=session, actor=world.admin)}
    assert every == {mine.id, by_admin_in_my_region.id, elsewhere.id}
    assert service.tokens_for(session=session, actor=home.counsellor) == []


# --- erasure --------------------------------------------------------------------------------

def test_erasing_a_student_forgets_addresses_that_named_their_number(session, world):
    student = world.home.student
    token, _raw = make(session, world.admin, world.home.counsellor)
    number = student.student_number
    for path in (f"/api/v1/students/{number}", f"/api/v1/students/{number}/observations",
                 f"/api/v1/students/{number}9", "/api/v1/regions"):
        service.record_token_use(session=session, token=token, method="GET", path=path,
                                 status=200)
    personal_data.erase_student(session=session, student=student)
    paths = sorted(u.path for u in session.exec(select(ApiTokenUse)).all())
    assert paths == ["", "", "/api/v1/regions", f"/api/v1/students/{number}9"]


def test_erasing_an_account_deletes_its_tokens(session, world):
    """Erasure removes every token acting as the student (a legacy staff-made row here; her own
    personal tokens in tests/services/test_personal_tokens.py)."""
    student = world.home.student
    session.add(ApiToken(user_id=student.user_id, name="x", prefix="legacy01",
                         secret_hash="0" * 64, scopes=["students:read"],
                         expires_at=utcnow() + timedelta(days=1)))
    session.commit()
    personal_data.erase_student(session=session, student=student)
    session.expunge_all()
    assert session.exec(select(ApiToken)).first() is None
    assert session.get(StudentProfile, student.id).anonymised_at is not None
    assert session.exec(select(User).where(User.role == Role.student,
                                           User.id == student.user_id)).first() is None



@pytest.mark.parametrize(("last_day", "ends_utc"), [
    (date(2026, 12, 7), datetime(2026, 12, 7, 23, 0, tzinfo=UTC)),  # winter: UTC+1
    (date(2027, 7, 7), datetime(2027, 7, 7, 22, 0, tzinfo=UTC)),  # summer: UTC+2
])
def test_a_token_works_until_midnight_in_the_netherlands_on_its_last_day(last_day, ends_utc):
    assert service.expiry_of(last_day) == ends_utc
    token = ApiToken(name="x", prefix="x", secret_hash="x", user_id=1, expires_at=ends_utc)
    assert service.last_day_of(token) == last_day
    assert service.status_of(token, now=ends_utc - timedelta(seconds=1)) == "active"
    assert service.status_of(token, now=ends_utc) == "expired"
