"""An admin resets someone's second factor (the page and the command line); wrong codes are
throttled like wrong passwords."""

from __future__ import annotations

from app import create_app
from app.models import TwoFactor
from tests.web.two_factor.steps import code, enrol
from tests.web.two_factor.test_two_factor_pages import log_in


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def verified_admin(app, admin_user):
    client = log_in(app, admin_user)
    enrol(client)
    return client


def test_the_admin_list_shows_accounts_with_a_factor_and_resets_one(app, session, world,
                                                                     counsellor_user,
                                                                     admin_user):
    enrol(log_in(app, counsellor_user))
    admin = verified_admin(app, admin_user)
    page = admin.get("/admin/two-factor?q=" + counsellor_user.email).get_data(as_text=True)
    assert counsellor_user.email in page and admin_user.email not in page
    action = f"/admin/users/{counsellor_user.id}/reset-two-factor"
    assert f'action="{action}"' in page
    response = admin.post(action, follow_redirects=True)
    assert "verwijderd" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(TwoFactor, counsellor_user.id) is None
    assert "had geen tweede factor" in admin.post(action, follow_redirects=True).get_data(
        as_text=True)
    # At the next login the counsellor sets up a new one.
    client = log_in(app, counsellor_user)
    assert client.get("/home").headers["Location"].startswith("/two-factor")
    assert 'data-testid="two-factor-enrol"' in client.get("/two-factor").get_data(as_text=True)


def test_only_admins_reset_and_an_unknown_account_is_not_found(app, world, counsellor_user,
                                                                coordinator_user, admin_user):
    coordinator = log_in(app, coordinator_user)
    enrol(coordinator)
    assert coordinator.get("/admin/two-factor").status_code == 403
    action = f"/admin/users/{counsellor_user.id}/reset-two-factor"
    assert coordinator.post(action).status_code == 403
    admin = verified_admin(app, admin_user)
    assert admin.post("/admin/users/999999/reset-two-factor").status_code == 404


def test_the_command_resets_by_e_mail_address(cli, session, world, counsellor_user):
    session.add(TwoFactor(user_id=counsellor_user.id, secret="A" * 32))
    session.commit()
    result = cli("reset-2fa", counsellor_user.email.upper())
    assert result.exit_code == 0
    assert f"The second factor of {counsellor_user.email} is removed" in result.output
    session.expire_all()
    assert session.get(TwoFactor, counsellor_user.id) is None
    assert "had no second factor" in cli("reset-2fa", counsellor_user.email).output
    missing = cli("reset-2fa", "nobody@test.example")
    assert missing.exit_code == 1
    assert "There is no account for nobody@test.example." in missing.output


def test_wrong_codes_wait_like_wrong_passwords(app_config, engine, counsellor_user):
    app = create_app({**app_config, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_KEY_PREFIX": f"two-factor-test-{counsellor_user.id}:"})
    app.extensions["talentmatch.engine"] = engine
    app.extensions["talentmatch.two_factor_throttle"].clock = clock = Clock()
    client = log_in(app, counsellor_user)
    secret, _codes = enrol(client)
    client = log_in(app, counsellor_user)
    answers = [client.post("/two-factor", data={"code": "000000x"}).status_code
               for _ in range(6)]
    assert answers == [400] * 5 + [429]
    refused = client.post("/two-factor", data={"code": code(secret, 1)})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    clock.now += 2
    assert client.post("/two-factor", data={"code": code(secret, 1)}).status_code == 302
    # A right code starts the count again.
    assert client.get("/home").status_code == 200
