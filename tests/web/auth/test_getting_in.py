"""Getting in without a password through the pages: a reset link by e-mail, a code from a
printed sheet, and accounts that are switched off or have no password (issue 19)."""

from __future__ import annotations

import re
import time
import uuid

import pytest
import redis
from sqlmodel import select

from app import create_app
from app.models import OutboxEmail, User
from app.services import accounts
from app.web.auth import recovery
from tests.conftest import PASSWORD
from tests.web.activities.builders import in_english

NEW_PASSWORD = "een lang nieuw wachtwoord"


@pytest.fixture(autouse=True)
def quick_answers(monkeypatch):
    """The reset form's floor on its answer time is tested once, below; elsewhere it waits."""
    monkeypatch.setattr(recovery, "RESET_ANSWER_SECONDS", 0.0)


def outbox(session, to=None) -> list[OutboxEmail]:
    session.expire_all()
    query = select(OutboxEmail).order_by(OutboxEmail.id)
    if to is not None:
        query = query.where(OutboxEmail.to_address == to)
    return list(session.exec(query).all())


def link_in(email: OutboxEmail) -> str:
    return re.search(r"http://localhost(/\S+)", email.body).group(1)


def ask_reset(client, email, address="198.51.100.7"):
    return client.post("/password/forgot", data={"email": email},
                       environ_base={"REMOTE_ADDR": address})


def log_in(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password, "next": ""})


# --- the login page -----------------------------------------------------------------------

def test_the_login_page_offers_the_other_ways_in(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and "Wachtwoord vergeten?" in page
    assert 'href="/code"' in page and "Ik heb een code van school" in page


def test_logged_in_users_are_sent_home_from_the_ways_in(login, student_user):
    client = login(student_user)
    for path in ("/password/forgot", "/code"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/home")


# --- password reset -----------------------------------------------------------------------

def test_known_and_unknown_addresses_get_the_same_answer(client, session, counsellor_user):
    known = ask_reset(client, counsellor_user.email)
    unknown = ask_reset(client, "nobody@test.example")
    assert known.status_code == unknown.status_code == 200
    assert (known.get_data(as_text=True).replace(counsellor_user.email, "ADDRESS")
            == unknown.get_data(as_text=True).replace("nobody@test.example", "ADDRESS"))
    assert 'data-testid="forgot-password-sent"' in known.get_data(as_text=True)
    assert [email.to_address for email in outbox(session)] == [counsellor_user.email]


def test_the_answer_takes_as_long_for_known_and_unknown_addresses(
        client, counsellor_user, monkeypatch):
    monkeypatch.setattr(recovery, "RESET_ANSWER_SECONDS", 0.3)
    timings = {}
    for name, email in (("known", counsellor_user.email), ("unknown", "nobody@test.example")):
        started = time.monotonic()
        ask_reset(client, email)
        timings[name] = time.monotonic() - started
    assert all(0.3 <= seconds < 0.6 for seconds in timings.values()), timings


def test_the_reset_link_sets_a_new_password_and_logs_in(app, client, session, counsellor_user):
    other_device = app.test_client()
    log_in(other_device, counsellor_user.email)
    ask_reset(client, counsellor_user.email)
    link = link_in(outbox(session)[0])
    assert link.startswith("/password/reset/")
    in_english(client)
    page = client.get(link).get_data(as_text=True)
    assert "Choose a new password" in page and counsellor_user.email in page
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    assert client.get("/home").status_code == 200
    assert other_device.get("/home").status_code == 302  # every other session ended
    fresh = app.test_client()
    assert log_in(fresh, counsellor_user.email).status_code == 401
    assert log_in(fresh, counsellor_user.email, NEW_PASSWORD).status_code == 302
    used = client.get(link)
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)


def test_a_switched_off_account_gets_no_reset_e_mail(client, session, counsellor_user):
    counsellor_user.is_active = False
    session.add(counsellor_user)
    session.commit()
    response = ask_reset(client, counsellor_user.email)
    assert 'data-testid="forgot-password-sent"' in response.get_data(as_text=True)
    assert outbox(session) == []


@pytest.fixture
def limited_app(app_config, engine):
    app = create_app({**app_config, "RATELIMIT_ENABLED": True, "ACCESS_CODE_RATE_LIMIT":
                      "3 per hour", "RATELIMIT_KEY_PREFIX": f"tm-test-{uuid.uuid4().hex}"})
    app.extensions["talentmatch.engine"] = engine
    return app


def test_the_reset_form_cannot_fill_a_mailbox(limited_app, session, counsellor_user):
    client = limited_app.test_client()
    answers = {ask_reset(client, counsellor_user.email, f"192.0.2.{n}").get_data(as_text=True)
               for n in range(6)}
    assert len(answers) == 1  # the same answer every time ...
    assert len(outbox(session, counsellor_user.email)) == 3  # ... but three e-mails an hour


def test_one_machine_cannot_send_resets_to_a_list_of_addresses(limited_app, session, world):
    client = limited_app.test_client()
    users = [world.home.counsellor, world.away.counsellor, world.home.coordinator,
             world.away.coordinator, world.admin]
    for n in range(25):
        ask_reset(client, users[n % len(users)].email, "203.0.113.66")
    assert len(outbox(session)) == 15  # 20 an hour from one address, 3 to each of 5


# --- one-time codes -----------------------------------------------------------------------

def printed_sheet(login, world, session, class_name="3B") -> str:
    """A class whose students have no account yet gets a printed sheet; returns its HTML."""
    side = world.home
    for student in (side.student, side.classmate):
        user = session.get(User, student.user_id)
        student.user_id = None
        session.add(student)
        session.flush()
        session.delete(user)
    session.commit()
    client = login(side.counsellor)
    response = client.post(f"/invitations/schools/{side.school.id}/codes",
                           data={"class_name": class_name})
    assert response.status_code == 200
    client.post("/logout")
    return response.get_data(as_text=True)


def sheet_entries(page: str) -> list[tuple[str, str]]:
    logins = re.findall(r'class="sheet-login">([^<]+)<', page)
    codes = re.findall(r'class="sheet-code">([^<]+)<', page)
    return list(zip(logins, codes, strict=True))


def test_a_student_sets_a_password_with_the_code_on_the_sheet(app, login, world, session):
    [(login_name, code), _second] = sheet_entries(printed_sheet(login, world, session))
    client = in_english(app.test_client())
    response = client.post("/code", data={"code": code.lower(), "password": NEW_PASSWORD,
                                          "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    home = client.get("/home").get_data(as_text=True)
    assert 'data-testid="student-home"' in home and login_name in home
    client.post("/logout")
    assert log_in(client, login_name, NEW_PASSWORD).status_code == 302
    client.post("/logout")
    again = client.post("/code", data={"code": code, "password": "another password",
                                       "confirm": "another password"})
    assert "already been used" in again.get_data(as_text=True)


def test_a_wrong_code_says_so_at_the_field(app, login, world, session):
    printed_sheet(login, world, session)
    client = in_english(app.test_client())
    page = client.post("/code", data={"code": "ABCDE-FGHJK", "password": NEW_PASSWORD,
                                      "confirm": NEW_PASSWORD}).get_data(as_text=True)
    assert 'id="code-errors"' in page and "This code is not right" in page


def test_guessing_codes_from_one_network_is_stopped(limited_app, login, world, session):
    client = limited_app.test_client()
    codes = [client.post("/code", data={"code": f"ABCDE-FGHJ{n}", "password": NEW_PASSWORD,
                                        "confirm": NEW_PASSWORD}).status_code
             for n in range(2, 7)]
    assert codes == [200, 200, 200, 429, 429]


# --- accounts that cannot be got into ----------------------------------------------------

def test_a_switched_off_account_loses_its_open_session(app, client, session, student_user):
    assert log_in(client, student_user.email).status_code == 302
    assert client.get("/home").status_code == 200
    student_user.is_active = False
    session.add(student_user)
    session.commit()
    response = client.get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert log_in(client, student_user.email).status_code == 401


def test_an_account_without_a_password_cannot_be_logged_into(client, session, student_user):
    student_user.password_hash = accounts.unusable_password_hash()
    session.add(student_user)
    session.commit()
    for attempt in ("", student_user.password_hash, student_user.password_hash[1:], PASSWORD):
        assert log_in(client, student_user.email, attempt).status_code in (200, 401)
    assert client.get("/home").status_code == 302


@pytest.fixture
def redis_store():
    """A key prefix of this test's own in the Redis the production setting names; its keys
    are removed afterwards."""
    prefix = f"tm-test-{uuid.uuid4().hex}"
    store = redis.Redis.from_url("redis://127.0.0.1:6379")
    yield prefix, store
    keys = list(store.scan_iter(match=f"*{prefix}*"))
    if keys:
        store.delete(*keys)
    store.close()


def test_the_reset_quota_counts_in_redis_and_fails_open_without_it(
        monkeypatch, redis_store, app_config, engine, session, counsellor_user, caplog):
    prefix, store = redis_store
    for uri, emails in (("redis://127.0.0.1:6379", 3), ("redis://127.0.0.1:1", 5)):
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", uri)
        app = create_app({**app_config, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_KEY_PREFIX": prefix})
        app.extensions["talentmatch.engine"] = engine
        client = app.test_client()
        before = len(outbox(session))
        for _ in range(5):
            ask_reset(client, counsellor_user.email)
        assert len(outbox(session)) - before == emails
    assert list(store.scan_iter(match=f"*{prefix}quota*"))
    assert "quota storage unavailable" in caplog.text
