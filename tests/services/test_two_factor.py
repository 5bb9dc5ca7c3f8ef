"""Second factors: setting up, codes in the window either side, no code twice, recovery codes
used once, turning off, an admin's reset. Time is given, nothing sleeps."""

from __future__ import annotations

import pyotp
import pytest

from app.models import Role, TwoFactor
from app.services import two_factor as service
from tests import factories

NOW = 1_800_000_015.0  # 15 seconds into a 30-second step
STEP = int(NOW // 30)


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


@pytest.fixture
def counsellor(world):
    return world.home.counsellor


@pytest.fixture
def enrolled(session, counsellor):
    """The counsellor with a second factor turned on at step STEP - 5; its recovery codes."""
    secret = service.pending_secret(session=session, user=counsellor)
    codes = service.confirm(session=session, user=counsellor, code=code_at(secret, STEP - 5),
                            now=(STEP - 5) * 30 + 1)
    return secret, codes


def test_the_pending_secret_stays_the_same_until_it_is_confirmed(session, counsellor):
    first = service.pending_secret(session=session, user=counsellor)
    assert service.pending_secret(session=session, user=counsellor) == first
    assert len(first) == 32 and set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert service.enabled_factor(session=session, user=counsellor) is None
    uri = service.provisioning_uri(secret=first, email=counsellor.email)
    assert uri.startswith("otpauth://totp/Talentmatch:") and f"secret={first}" in uri


def test_confirming_turns_it_on_and_gives_ten_different_recovery_codes(session, counsellor,
                                                                       enrolled):
    _secret, codes = enrolled
    factor = session.get(TwoFactor, counsellor.id)
    assert factor.enabled_at is not None and factor.last_used_step == STEP - 5
    assert len(codes) == len(set(codes)) == 10
    assert all(len(code) == 19 and code.count("-") == 3 for code in codes)
    # Only hashes are kept.
    assert not any(code.replace("-", "") in factor.recovery_code_hashes for code in codes)
    assert service.recovery_codes_left(session=session, user=counsellor) == 10


def test_a_wrong_first_code_leaves_it_pending(session, counsellor):
    secret = service.pending_secret(session=session, user=counsellor)
    wrong = f"{(int(code_at(secret, STEP)) + 1) % 1_000_000:06d}"
    with pytest.raises(service.WrongCode):
        service.confirm(session=session, user=counsellor, code=wrong, now=NOW)
    assert service.enabled_factor(session=session, user=counsellor) is None


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_code_of_this_step_or_one_either_side_is_accepted(session, counsellor, enrolled,
                                                            offset):
    secret, _codes = enrolled
    assert service.verify(session=session, user=counsellor, code=code_at(secret, STEP + offset),
                          now=NOW) == "code"


@pytest.mark.parametrize("offset", [-2, 2])
def test_a_code_two_steps_away_is_refused(session, counsellor, enrolled, offset):
    secret, _codes = enrolled
    with pytest.raises(service.WrongCode):
        service.verify(session=session, user=counsellor, code=code_at(secret, STEP + offset),
                       now=NOW)


def test_a_code_works_once_and_an_older_one_not_after_it(session, counsellor, enrolled):
    secret, _codes = enrolled
    service.verify(session=session, user=counsellor, code=code_at(secret, STEP), now=NOW)
    for step in (STEP, STEP - 1):
        with pytest.raises(service.WrongCode):
            service.verify(session=session, user=counsellor, code=code_at(secret, step), now=NOW)
    assert service.verify(session=session, user=counsellor, code=code_at(secret, STEP + 1),
                          now=NOW) == "code"
    assert session.get(TwoFactor, counsellor.id).last_used_step == STEP + 1


def test_spaces_in_a_code_are_ignored(session, counsellor, enrolled):
    secret, _codes = enrolled
    code = code_at(secret, STEP)
    assert service.verify(session=session, user=counsellor, code=f" {code[:3]} {code[3:]} ",
                          now=NOW) == "code"


def test_a_recovery_code_works_once_typed_any_way(session, counsellor, enrolled):
    _secret, codes = enrolled
    typed = codes[3].replace("-", " ").upper()
    assert service.verify(session=session, user=counsellor, code=typed, now=NOW) \
        == "recovery code"
    assert service.recovery_codes_left(session=session, user=counsellor) == 9
    with pytest.raises(service.WrongCode):
        service.verify(session=session, user=counsellor, code=codes[3], now=NOW)
    assert service.verify(session=session, user=counsellor, code=codes[4], now=NOW) \
        == "recovery code"


def test_new_recovery_codes_replace_the_old_ones(session, counsellor, enrolled):
    secret, old = enrolled
    new = service.new_recovery_codes(session=session, user=counsellor,
                                     code=code_at(secret, STEP), now=NOW)
    assert set(new).isdisjoint(old)
    with pytest.raises(service.WrongCode):
        service.verify(session=session, user=counsellor, code=old[0], now=NOW)
    assert service.verify(session=session, user=counsellor, code=new[0], now=NOW) \
        == "recovery code"


def test_new_recovery_codes_need_a_right_code(session, counsellor, enrolled):
    _secret, old = enrolled
    with pytest.raises(service.WrongCode):
        service.new_recovery_codes(session=session, user=counsellor, code="000000x", now=NOW)
    assert service.verify(session=session, user=counsellor, code=old[0], now=NOW) \
        == "recovery code"


def test_who_needs_what(session, world, password_hash, counsellor, enrolled):
    side = world.home
    scout = factories.make_user(session, Role.observer, password_hash=password_hash,
                                region=side.region)
    session.commit()
    assert service.needs_code(session=session, user=counsellor, required=True) == "code"
    assert service.needs_code(session=session, user=counsellor, required=False) == "code"
    for user in (side.coordinator, world.admin):
        assert service.needs_code(session=session, user=user, required=True) == "enrol"
        assert service.needs_code(session=session, user=user, required=False) == ""
    for user in (side.company_user, scout, side.student_user):
        assert service.needs_code(session=session, user=user, required=True) == ""
    assert not service.may_use(side.student_user)
    with pytest.raises(service.NotForStudents):
        service.pending_secret(session=session, user=side.student_user)


def test_an_optional_role_turns_it_off_with_a_code_a_required_one_cannot(session, world,
                                                                        counsellor, enrolled):
    secret, _codes = enrolled
    with pytest.raises(service.StillRequired):
        service.turn_off(session=session, user=counsellor, code=code_at(secret, STEP),
                         required=True, now=NOW)
    contact = world.home.company_user
    contact_secret = service.pending_secret(session=session, user=contact)
    service.confirm(session=session, user=contact, code=code_at(contact_secret, STEP), now=NOW)
    with pytest.raises(service.WrongCode):
        service.turn_off(session=session, user=contact, code=code_at(contact_secret, STEP),
                         required=True, now=NOW)  # already used
    service.turn_off(session=session, user=contact, code=code_at(contact_secret, STEP + 1),
                     required=True, now=NOW)
    assert service.factor_of(session=session, user=contact) is None
    # With the site setting off, a counsellor may turn it off too.
    service.turn_off(session=session, user=counsellor, code=code_at(secret, STEP),
                     required=False, now=NOW)
    assert service.factor_of(session=session, user=counsellor) is None


def test_a_reset_removes_the_factor_and_a_new_secret_is_made(session, world, counsellor,
                                                            enrolled):
    secret, _codes = enrolled
    user, removed = service.reset_by_email(session=session, email=f" {counsellor.email.upper()}")
    assert user.id == counsellor.id and removed
    assert service.factor_of(session=session, user=counsellor) is None
    assert service.needs_code(session=session, user=counsellor, required=True) == "enrol"
    assert service.pending_secret(session=session, user=counsellor) != secret
    assert service.reset(session=session, user=world.admin) is False  # had none


def test_a_reset_of_an_unknown_address_says_so(session, world):
    with pytest.raises(service.TwoFactorError, match="nobody@test.example"):
        service.reset_by_email(session=session, email="nobody@test.example")


def test_the_admin_list_holds_accounts_with_a_factor_found_by_address_or_name(
        session, world, counsellor, enrolled):
    service.pending_secret(session=session, user=world.home.coordinator)
    everyone = service.accounts_with_factor(session=session)
    assert [row.user.id for row in everyone.rows] == sorted(
        [counsellor.id, world.home.coordinator.id],
        key=lambda i: {counsellor.id: counsellor.email,
                       world.home.coordinator.id: world.home.coordinator.email}[i])
    assert everyone.total == 2 and everyone.pages == 1
    found = service.accounts_with_factor(session=session, query=counsellor.email.upper())
    assert [row.user.id for row in found.rows] == [counsellor.id]
    assert found.rows[0].factor.enabled_at is not None
    assert service.accounts_with_factor(session=session, query="100%_").total == 0
    assert service.accounts_with_factor(session=session, page=99).page == 1
