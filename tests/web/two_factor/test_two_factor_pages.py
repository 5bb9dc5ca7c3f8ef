"""After the password, staff set up or give a second factor before any other page opens; the
mark lasts for that login only; students never see it; company contacts choose."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.config import ConfigError
from app.models import TwoFactor
from tests.conftest import PASSWORD
from tests.web.test_security_headers import inline_parts
from tests.web.two_factor.steps import code, enrol, secret_on


def log_in(app, user):
    """A fresh browser through the real login form: a new login, a new session."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "next": ""})
    assert response.status_code == 302
    return client


def test_a_counsellor_without_a_factor_is_sent_to_set_one_up(app, counsellor_user):
    client = log_in(app, counsellor_user)
    response = client.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/two-factor?next=/home")
    for path in ("/students/deletions", "/account/password", "/admin/two-factor", "/nowhere"):
        assert client.get(path).status_code == 302, path
    page = client.get("/two-factor")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-testid="two-factor-enrol"' in text and "<svg" in text
    assert len(secret_on(text)) == 32
    # The QR code passes the strict Content-Security-Policy: nothing inline.
    assert inline_parts(text) == []


def test_setting_up_shows_ten_recovery_codes_once_and_opens_the_site(app, session,
                                                                      counsellor_user):
    client = log_in(app, counsellor_user)
    secret, codes = enrol(client)
    assert client.get("/home").status_code == 200
    factor = session.get(TwoFactor, counsellor_user.id)
    session.refresh(factor)
    assert factor.enabled_at is not None
    assert not any(c.replace("-", "") in factor.recovery_code_hashes for c in codes)
    # The set-up page is gone: the code page sends a verified user on.
    assert client.get("/two-factor").status_code == 302
    assert secret


def test_a_wrong_first_code_keeps_the_same_key_and_says_so(app, counsellor_user):
    client = log_in(app, counsellor_user)
    secret = secret_on(client.get("/two-factor").get_data(as_text=True))
    wrong = f"{(int(code(secret)) + 5) % 1_000_000:06d}"
    response = client.post("/two-factor", data={"code": wrong})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Die code klopt niet" in text
    assert secret_on(text) == secret
    assert client.get("/home").status_code == 302


def test_the_next_login_asks_for_a_code_and_goes_where_it_was_going(app, counsellor_user,
                                                                     world):
    secret, _codes = enrol(log_in(app, counsellor_user))
    client = log_in(app, counsellor_user)
    target = f"/students/{world.home.student.id}"
    response = client.get(target)
    assert response.status_code == 302
    verify = client.get(response.headers["Location"])
    assert 'data-testid="two-factor-verify"' in verify.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/two-factor?next={target}")
    answer = client.post("/two-factor", data={"code": code(secret, 1), "next": target})
    assert answer.status_code == 302
    assert answer.headers["Location"] == target
    assert client.get(target).status_code == 200


def test_a_code_cannot_be_used_twice(app, counsellor_user):
    secret, _codes = enrol(log_in(app, counsellor_user))
    first = log_in(app, counsellor_user)
    assert first.post("/two-factor", data={"code": code(secret, 1)}).status_code == 302
    second = log_in(app, counsellor_user)
    response = second.post("/two-factor", data={"code": code(secret, 1)})
    assert response.status_code == 400
    assert second.get("/home").status_code == 302


def test_a_recovery_code_logs_in_once_and_says_how_many_are_left(app, counsellor_user):
    _secret, codes = enrol(log_in(app, counsellor_user))
    client = log_in(app, counsellor_user)
    response = client.post("/two-factor", data={"code": codes[0]}, follow_redirects=True)
    assert response.status_code == 200
    assert "er zijn er nog 9" in response.get_data(as_text=True)
    again = log_in(app, counsellor_user)
    assert again.post("/two-factor", data={"code": codes[0]}).status_code == 400


def test_a_new_password_rotates_the_token_and_asks_for_the_code_again(app, counsellor_user):
    secret, _codes = enrol(log_in(app, counsellor_user))
    client = log_in(app, counsellor_user)
    client.post("/two-factor", data={"code": code(secret, 1)})
    assert client.get("/home").status_code == 200
    changed = client.post("/account/password", data={
        "current": PASSWORD, "new": "a brand new password", "confirm": "a brand new password"})
    assert changed.status_code == 302
    assert client.get("/home").status_code == 302


def test_logging_out_the_language_static_files_and_the_health_check_stay_open(
        app, counsellor_user):
    client = log_in(app, counsellor_user)
    assert client.get("/healthz").status_code == 200
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
    assert client.get("/lang/en?next=/two-factor").headers["Location"].endswith("/two-factor")
    assert "Set up two-step login" in client.get("/two-factor").get_data(as_text=True)
    assert client.post("/logout").headers["Location"].endswith("/login")
    assert client.get("/home").headers["Location"].startswith("/login")


def test_students_never_meet_a_second_factor(app, student_user):
    client = log_in(app, student_user)
    assert client.get("/home").status_code == 200
    assert client.get("/two-factor").headers["Location"].endswith("/home")
    assert client.get("/account/two-factor").status_code == 403


def test_a_company_contact_chooses_turns_it_on_and_off_on_the_account_page(app,
                                                                            company_user):
    client = log_in(app, company_user)
    assert client.get("/home").status_code == 200
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "staat uit" in page
    secret = secret_on(page)
    response = client.post("/account/two-factor", data={"code": code(secret)})
    recovery = re.findall(r"<li><code>([a-z2-9-]{19})</code></li>",
                          response.get_data(as_text=True))
    assert len(recovery) == 10
    assert client.get("/home").status_code == 200  # this login counts as verified

    other = log_in(app, company_user)
    assert other.get("/home").status_code == 302
    other.post("/two-factor", data={"code": code(secret, 1)})
    wrong = other.post("/account/two-factor", data={"code": "123", "turn_off": "y"})
    assert wrong.status_code == 400
    # The codes of this minute are used up; a recovery code does as well.
    off = other.post("/account/two-factor", data={"code": recovery[0], "turn_off": "y"})
    assert off.headers["Location"].endswith("/account/two-factor")
    assert log_in(app, company_user).get("/home").status_code == 200


def test_a_counsellor_makes_new_recovery_codes_but_cannot_turn_it_off(app, counsellor_user):
    secret, old = enrol(log_in(app, counsellor_user))
    client = log_in(app, counsellor_user)
    client.post("/two-factor", data={"code": old[0]})
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "9 herstelcodes over" in page and 'name="turn_off"' not in page
    refused = client.post("/account/two-factor", data={"code": code(secret), "turn_off": "y"})
    assert refused.status_code == 400
    response = client.post("/account/two-factor", data={"code": code(secret, 1),
                                                        "new_codes": "y"})
    assert response.get_data(as_text=True).count("<li><code>") == 10


def test_with_the_setting_off_staff_choose_but_a_factor_once_on_is_asked_for(
        app_config, engine, counsellor_user):
    app = create_app({**app_config, "TWO_FACTOR_REQUIRED": False})
    app.extensions["talentmatch.engine"] = engine
    client = log_in(app, counsellor_user)
    assert client.get("/home").status_code == 200
    secret = secret_on(client.get("/account/two-factor").get_data(as_text=True))
    client.post("/account/two-factor", data={"code": code(secret)})
    assert log_in(app, counsellor_user).get("/home").status_code == 302


@pytest.mark.parametrize(("raw", "value"), [("", True), ("false", False), ("On", True)])
def test_the_setting_is_read_from_the_environment(app_config, monkeypatch, raw, value):
    monkeypatch.setenv("TWO_FACTOR_REQUIRED", raw)
    config = {k: v for k, v in app_config.items() if k != "TWO_FACTOR_REQUIRED"}
    assert create_app(config).config["TWO_FACTOR_REQUIRED"] is value


def test_an_unreadable_setting_stops_the_start(app_config, monkeypatch):
    monkeypatch.setenv("TWO_FACTOR_REQUIRED", "perhaps")
    config = {k: v for k, v in app_config.items() if k != "TWO_FACTOR_REQUIRED"}
    with pytest.raises(ConfigError, match="TWO_FACTOR_REQUIRED"):
        create_app(config)
