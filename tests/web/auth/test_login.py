"""Logging in and out through the real form. Only these tests use the login form."""

from __future__ import annotations

import pytest

from app import create_app
from tests.conftest import PASSWORD


def submit_login(client, email, password=PASSWORD, next_url=None, remember=False):
    data = {"email": email, "password": password, "next": next_url or ""}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def test_login_with_right_password_lands_on_the_role_home(client, counsellor_user):
    response = submit_login(client, counsellor_user.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    assert b'data-testid="counsellor-home"' in client.get("/home").data


def test_email_is_matched_case_insensitively(client, student_user):
    response = submit_login(client, "  " + student_user.email.upper() + " ")
    assert response.status_code == 302


@pytest.mark.parametrize("wrong", ["password", "email"])
def test_a_wrong_email_or_password_gets_the_same_clear_message(client, student_user, wrong):
    email = student_user.email if wrong == "password" else "nobody@test.example"
    password = "not the password" if wrong == "password" else PASSWORD
    response = submit_login(client, email, password)
    assert response.status_code == 401
    assert "komen niet overeen" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302


def test_an_inactive_account_cannot_log_in(client, session, student_user):
    student_user.is_active = False
    session.add(student_user)
    session.commit()
    assert submit_login(client, student_user.email).status_code == 401


def test_pages_need_a_login_and_come_back_after_it(client, counsellor_user, world):
    target = f"/students/{world.home.classmate.id}"
    response = client.get(target)
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]
    response = submit_login(client, counsellor_user.email, next_url=target)
    assert response.headers["Location"].endswith(target)


@pytest.mark.parametrize("evil", [
    "https://evil.example/steal", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example",
])
def test_next_never_leaves_the_site(client, student_user, evil):
    response = submit_login(client, student_user.email, next_url=evil)
    assert response.headers["Location"] == "/home"


def test_logout_ends_the_session_even_for_a_copied_cookie(app, client, student_user):
    submit_login(client, student_user.email, remember=True)
    stolen = app.test_client()
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        assert cookie is not None
        stolen.set_cookie(name, cookie.value)
    assert stolen.get("/home").status_code == 200

    response = client.post("/logout")
    assert response.headers["Location"].endswith("/login")
    assert client.get("/home").status_code == 302
    assert stolen.get("/home").status_code == 302


def test_logout_is_not_possible_with_a_get(client, student_user):
    submit_login(client, student_user.email)
    assert client.get("/logout").status_code == 405
    assert client.get("/home").status_code == 200


def test_a_password_change_ends_other_sessions_but_keeps_this_one(app, client, student_user):
    other_device = app.test_client()
    submit_login(client, student_user.email)
    submit_login(other_device, student_user.email)
    new_password = "a brand new passphrase"
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": new_password, "confirm": new_password})
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert other_device.get("/home").status_code == 302

    fresh = app.test_client()
    assert submit_login(fresh, student_user.email, PASSWORD).status_code == 401
    assert submit_login(fresh, student_user.email, new_password).status_code == 302


def test_a_password_change_needs_the_current_password_and_a_long_new_one(client, student_user):
    submit_login(client, student_user.email)
    response = client.post("/account/password", data={
        "current": "wrong", "new": "long enough password", "confirm": "long enough password"})
    assert response.status_code == 200
    assert "huidige wachtwoord klopt niet" in response.get_data(as_text=True)
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": "short", "confirm": "short"})
    assert "minstens 10 tekens" in response.get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(app_config, engine, student_user):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    app.extensions["talentmatch.engine"] = engine
    client = app.test_client()
    response = submit_login(client, student_user.email)
    assert response.status_code == 400
    assert client.get("/home").status_code == 302


def test_a_valid_csrf_token_lets_the_login_through(app_config, engine, student_user):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    app.extensions["talentmatch.engine"] = engine
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={
        "email": student_user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


# Login throttling is tested in test_login_throttle.py.


def test_session_cookie_is_httponly_samesite_and_secure_in_production(app_config, engine):
    app = create_app({**app_config, "TALENTMATCH_ENV": "production"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_login_cookie_is_http_only(client, student_user):
    response = submit_login(client, student_user.email)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
