"""Getting in: reset links, invitations by e-mail and printed one-time codes (issue 19)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import flask
import pytest
from sqlmodel import select

from app.models import (
    AccessCode,
    AccountInvitation,
    OutboxEmail,
    Role,
    StudentProfile,
    User,
    utcnow,
)
from app.services import access, accounts
from app.services import companies as company_service
from app.services.access import links
from app.services.accounts import LOGIN_DOMAIN
from tests import factories
from tests.conftest import PASSWORD

NEW_PASSWORD = "een lang nieuw wachtwoord"


@pytest.fixture
def ctx(app):
    """A request in English: links are signed with the app's secret key."""
    with app.test_request_context():
        flask.session["lang"] = "en"
        yield


def mails(session, to: str | None = None) -> list[OutboxEmail]:
    query = select(OutboxEmail).order_by(OutboxEmail.id)
    if to is not None:
        query = query.where(OutboxEmail.to_address == to)
    return list(session.exec(query).all())


def token_in(email: OutboxEmail, path: str) -> str:
    return re.search(rf"http://localhost{path}(\S+)", email.body).group(1)


def without_password(session, user: User) -> User:
    """As an import leaves an account: an address, no password."""
    user.password_hash = accounts.unusable_password_hash()
    session.add(user)
    session.commit()
    return user


def without_account(session, student: StudentProfile) -> StudentProfile:
    """As an import without an e-mail column leaves a student: no account at all."""
    user = session.get(User, student.user_id)
    student.user_id = None
    session.add(student)
    session.flush()
    session.delete(user)
    session.commit()
    return student


# --- password reset ---------------------------------------------------------------------

def test_a_known_address_gets_a_reset_link_and_an_unknown_one_nothing(session, world, ctx):
    user = world.home.counsellor
    assert access.request_password_reset(session=session, email="  " + user.email.upper())
    assert not access.request_password_reset(session=session, email="nobody@test.example")
    [email] = mails(session)
    assert email.to_address == user.email
    assert "/password/reset/" in email.body and "een uur" in email.body  # in the user's Dutch
    assert user.display_name in email.body


def test_no_reset_for_a_switched_off_account_or_a_login_name(session, world, ctx):
    user = world.home.counsellor
    user.is_active = False
    session.add(user)
    session.commit()
    assert not access.request_password_reset(session=session, email=user.email)
    sheet_user = factories.make_user(session, Role.student, password_hash="!x",
                                     school=world.home.school)
    sheet_user.email = f"t1-s1@{LOGIN_DOMAIN}"
    session.commit()
    assert not access.request_password_reset(session=session, email=sheet_user.email)
    assert mails(session) == []


def test_the_reset_e_mail_is_in_the_users_language(session, world, ctx):
    user = world.home.counsellor
    user.locale = "nl"
    session.add(user)
    session.commit()
    access.request_password_reset(session=session, email=user.email)
    assert "nieuw wachtwoord" in mails(session)[0].subject


def test_without_a_site_address_no_reset_is_written(app_config, engine, session, world):
    from app import create_app

    app = create_app({**app_config, "SERVER_NAME": None, "BASE_URL": ""})
    app.extensions["talentmatch.engine"] = engine
    with app.test_request_context():
        assert not access.request_password_reset(session=session,
                                                 email=world.home.counsellor.email)
    assert mails(session) == []


def test_a_reset_link_sets_the_password_once_and_ends_every_session(session, world, ctx):
    user = world.home.counsellor
    old_session_token = user.session_token
    access.request_password_reset(session=session, email=user.email)
    token = token_in(mails(session)[0], "/password/reset/")
    assert access.check_link(session=session, token=token).kind == access.RESET
    link = access.use_link(session=session, token=token, password=NEW_PASSWORD)
    assert link.user.id == user.id and link.user.session_token != old_session_token
    assert accounts.authenticate(session=session, email=user.email, password=NEW_PASSWORD)
    with pytest.raises(access.AccessError) as error:
        access.use_link(session=session, token=token, password="yet another password")
    assert error.value.reason == "used"
    assert accounts.authenticate(session=session, email=user.email, password=NEW_PASSWORD)


def test_a_reset_link_expires_after_an_hour(session, world, ctx, monkeypatch):
    start = time.time()
    monkeypatch.setattr(links, "_now", lambda: start)
    token = access.reset_token(user=world.home.counsellor)
    monkeypatch.setattr(links, "_now", lambda: start + 3600 - 30)
    assert access.check_link(session=session, token=token)
    monkeypatch.setattr(links, "_now", lambda: start + 3600 + 30)
    with pytest.raises(access.AccessError) as error:
        access.use_link(session=session, token=token, password=NEW_PASSWORD)
    assert error.value.reason == "expired" and "one hour" in str(error.value)


def test_a_reset_link_dies_when_the_password_changes_another_way(session, world, ctx):
    user = world.home.counsellor
    token = access.reset_token(user=user)
    accounts.change_password(session=session, user=user, current=PASSWORD, new=NEW_PASSWORD)
    with pytest.raises(access.AccessError) as error:
        access.check_link(session=session, token=token)
    assert error.value.reason == "used"


def test_a_short_password_is_refused_and_the_link_stays_usable(session, world, ctx):
    token = access.reset_token(user=world.home.counsellor)
    with pytest.raises(access.AccessError) as error:
        access.use_link(session=session, token=token, password="short")
    assert error.value.field == "password"
    assert access.check_link(session=session, token=token)


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: t.replace(".", "x.", 1),
    lambda t: "nonsense",
    lambda t: "",
])
def test_a_tampered_link_is_refused(session, world, ctx, tamper):
    token = access.reset_token(user=world.home.counsellor)
    with pytest.raises(access.AccessError) as error:
        access.use_link(session=session, token=tamper(token), password=NEW_PASSWORD)
    assert error.value.reason == "invalid"


def test_a_reset_link_is_no_invitation_and_the_other_way_round(session, world, ctx):
    user = without_password(session, world.home.student_user)
    reset, invitation = access.reset_token(user=user), access.invitation_token(user=user)
    with pytest.raises(access.AccessError):
        access.check_link(session=session, token=reset, kinds=(access.INVITATION,))
    with pytest.raises(access.AccessError):
        access.check_link(session=session, token=invitation, kinds=(access.RESET,))
    assert access.check_link(session=session, token=invitation).kind == access.INVITATION


def test_a_link_for_a_switched_off_account_does_not_work(session, world, ctx):
    user = world.home.counsellor
    token = access.reset_token(user=user)
    user.is_active = False
    session.add(user)
    session.commit()
    with pytest.raises(access.AccessError) as error:
        access.use_link(session=session, token=token, password=NEW_PASSWORD)
    assert error.value.reason == "invalid"


# --- accounts without a password ----------------------------------------------------------

def test_an_account_without_a_password_cannot_log_in_at_all(session, world, ctx):
    user = without_password(session, world.home.student_user)
    for attempt in ("", user.password_hash, user.password_hash[1:], "anything at all"):
        assert accounts.authenticate(session=session, email=user.email, password=attempt) is None


def test_a_login_name_stands_for_its_address_in_the_login_domain(session, world):
    user = world.home.student_user
    user.email = f"t1-s00001@{LOGIN_DOMAIN}"
    session.add(user)
    session.commit()
    assert accounts.authenticate(session=session, email=" T1-S00001 ", password=PASSWORD)
    assert accounts.login_name(user) == "t1-s00001"
    assert not accounts.has_mailbox(user)
    assert accounts.has_mailbox(world.home.counsellor)
    assert accounts.login_name(world.home.counsellor) == world.home.counsellor.email


# --- invitations --------------------------------------------------------------------------

def test_an_invitation_e_mails_a_link_to_set_the_first_password(session, world, ctx):
    user = without_password(session, world.home.student_user)
    counsellor = world.home.counsellor
    outcome = access.invite(session=session, users=[user], invited_by=counsellor)
    assert [u.id for u in outcome.invited] == [user.id]
    [email] = mails(session, user.email)
    assert counsellor.display_name in email.body and "14 dagen" in email.body
    assert "http://localhost/login" in email.body
    sent = session.exec(select(AccountInvitation)).one()
    assert (sent.user_id, sent.invited_by_id) == (user.id, counsellor.id)
    token = token_in(email, "/invitations/")
    link = access.use_link(session=session, token=token, password=NEW_PASSWORD)
    assert link.kind == access.INVITATION
    assert accounts.authenticate(session=session, email=user.email, password=NEW_PASSWORD)
    with pytest.raises(access.AccessError) as error:
        access.check_link(session=session, token=token)
    assert error.value.reason == "used" and "counsellor" in str(error.value)


def test_an_invitation_expires_after_14_days(session, world, ctx, monkeypatch):
    user = without_password(session, world.home.student_user)
    start = time.time()
    monkeypatch.setattr(links, "_now", lambda: start)
    token = access.invitation_token(user=user)
    monkeypatch.setattr(links, "_now", lambda: start + 14 * 86400 + 60)
    with pytest.raises(access.AccessError) as error:
        access.check_link(session=session, token=token)
    assert error.value.reason == "expired" and "counsellor" in str(error.value)


def test_who_is_not_invited_and_why(session, world, ctx):
    side = world.home
    waiting = without_password(session, side.student_user)
    switched_off = without_password(session, session.get(User, side.classmate.user_id))
    switched_off.is_active = False
    session.add(switched_off)
    session.commit()
    outcome = access.invite(session=session, users=[waiting, switched_off, side.counsellor],
                            invited_by=side.counsellor)
    assert [u.id for u in outcome.invited] == [waiting.id]
    assert [u.id for u in outcome.no_mailbox] == [switched_off.id]
    assert [u.id for u in outcome.has_password] == [side.counsellor.id]
    again = access.invite(session=session, users=[waiting], invited_by=side.counsellor)
    assert again.invited == [] and [u.id for u in again.recently] == [waiting.id]
    later = access.invite(session=session, users=[waiting], invited_by=side.counsellor,
                          now=utcnow() + timedelta(hours=2))
    assert [u.id for u in later.invited] == [waiting.id]
    assert len(mails(session, waiting.email)) == 2


def test_without_a_site_address_an_invitation_says_what_to_set(app_config, engine, session,
                                                               world):
    from app import create_app

    user = without_password(session, world.home.student_user)
    app = create_app({**app_config, "SERVER_NAME": None, "BASE_URL": ""})
    app.extensions["talentmatch.engine"] = engine
    with app.test_request_context(), pytest.raises(access.AccessError) as error:
        access.invite(session=session, users=[user], invited_by=None)
    assert "BASE_URL" in str(error.value)
    assert mails(session) == []


def test_base_url_wins_over_the_server_name(app_config, engine, session, world):
    from app import create_app

    user = without_password(session, world.home.student_user)
    app = create_app({**app_config, "BASE_URL": "https://talentmatch.example.nl/"})
    app.extensions["talentmatch.engine"] = engine
    with app.test_request_context():
        access.invite(session=session, users=[user], invited_by=None)
    assert "https://talentmatch.example.nl/invitations/" in mails(session)[0].body


def test_a_class_invitation_reaches_only_that_class_and_a_school_its_counsellors_too(
        session, world, ctx):
    side = world.home
    for student in (side.student, side.classmate, side.other_school_student):
        without_password(session, session.get(User, student.user_id))
    side.classmate.class_name = "4A"
    session.add(side.classmate)
    colleague = factories.make_user(session, Role.counsellor, password_hash="!",
                                    school=side.school)
    session.commit()
    outcome = access.invite_students(session=session, school=side.school, class_name="3B",
                                     invited_by=side.counsellor)
    assert [u.id for u in outcome.invited] == [side.student.user_id]
    outcome = access.invite_students(session=session, school=side.school, class_name=None,
                                     invited_by=side.counsellor)
    assert {u.id for u in outcome.invited} == {side.classmate.user_id, colleague.id}
    assert {e.to_address for e in mails(session)} == {
        session.get(User, side.student.user_id).email,
        session.get(User, side.classmate.user_id).email, colleague.email}


def test_the_class_overview_counts_who_can_log_in_and_who_needs_what(session, world, ctx):
    side = world.home
    without_password(session, side.student_user)
    without_account(session, side.classmate)
    [row] = access.class_rows(session=session, school=side.school)
    assert (row.name, row.students, row.with_password, row.invitable, row.needs_code) == (
        "3B", 2, 0, 1, 1)
    states = {r.student.id: r.state for r in access.students_access(session=session,
                                                                     school=side.school)}
    assert states == {side.student.id: access.INVITABLE, side.classmate.id: access.NO_ACCOUNT}


# --- company contacts ---------------------------------------------------------------------

def test_an_invited_company_contact_gets_the_link_by_e_mail_too(session, world, ctx):
    result = company_service.invite_contact(
        session=session, company=world.home.company, email="noor@voltwerk.nl",
        display_name="Noor Bakker", invited_by=world.home.coordinator)
    assert result.emailed
    [email] = mails(session, "noor@voltwerk.nl")
    assert world.home.company.name in email.body
    assert f"http://localhost/invitations/{result.token}" in email.body
    assert session.exec(select(AccountInvitation)).one().user_id == result.user.id


def test_a_contact_with_a_password_gets_no_e_mail(session, world, ctx):
    result = company_service.invite_contact(session=session, company=world.home.company,
                                            email=world.away.company_user.email)
    assert not result.emailed and result.token is None
    assert mails(session) == []


# --- one-time codes -----------------------------------------------------------------------

def sheet_for(session, side, class_name="3B"):
    return access.issue_codes(session=session, school=side.school, class_name=class_name,
                              created_by=side.counsellor)


def test_a_sheet_gives_students_without_an_account_a_login_name_and_a_code(session, world, ctx):
    side = world.home
    without_account(session, side.student)
    without_password(session, session.get(User, side.classmate.user_id))
    sheet = sheet_for(session, side)
    pages = {page.student.id: page for page in sheet.pages}
    assert set(pages) == {side.student.id, side.classmate.id}
    login = pages[side.student.id].login
    assert login == f"{side.school.code.lower()}-{side.student.student_number.lower()}"
    new_account = session.get(User, side.student.user_id)
    assert (new_account.role, new_account.school_id) == (Role.student, side.school.id)
    assert not new_account.email_notifications and not accounts.has_mailbox(new_account)
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", pages[side.student.id].code)
    stored = session.exec(select(AccessCode.code_hash)).all()
    assert len(stored) == 2 and all(len(h) == 64 for h in stored)
    assert not any(page.code.replace("-", "") in h for page in sheet.pages for h in stored)
    assert sheet.expires_at - utcnow() > timedelta(days=29)


def test_a_code_sets_the_password_once(session, world, ctx):
    side = world.home
    without_account(session, side.student)
    page = sheet_for(session, side).pages[0]
    typed = " " + page.code.lower().replace("-", " ") + " "
    user = access.redeem_code(session=session, code=typed, password=NEW_PASSWORD)
    assert user.id == side.student.user_id
    assert accounts.authenticate(session=session, email=page.login, password=NEW_PASSWORD)
    with pytest.raises(access.AccessError) as error:
        access.redeem_code(session=session, code=page.code, password="another password!")
    assert error.value.reason == "used" and error.value.field == "code"
    assert accounts.authenticate(session=session, email=page.login, password=NEW_PASSWORD)


def test_a_new_sheet_replaces_the_codes_of_the_earlier_one(session, world, ctx):
    side = world.home
    without_account(session, side.student)
    first = sheet_for(session, side).pages[0]
    second = sheet_for(session, side).pages[0]
    assert first.login == second.login  # the same account, not a second one
    with pytest.raises(access.AccessError) as error:
        access.check_code(session=session, code=first.code)
    assert error.value.reason == "replaced"
    assert access.check_code(session=session, code=second.code)


def test_a_code_expires_after_30_days(session, world, ctx):
    side = world.home
    without_account(session, side.student)
    sheet = sheet_for(session, side)
    code = sheet.pages[0].code
    with pytest.raises(access.AccessError) as error:
        access.redeem_code(session=session, code=code, password=NEW_PASSWORD,
                           now=sheet.expires_at + timedelta(minutes=1))
    assert error.value.reason == "expired"
    assert access.check_code(session=session, code=code,
                             now=sheet.expires_at - timedelta(minutes=1))


@pytest.mark.parametrize("typed", ["", "ABCDE", "ABCDE-FGHJK", "ÄBCDE-FGHJK", "x" * 40])
def test_a_wrong_code_is_refused(session, world, ctx, typed):
    without_account(session, world.home.student)
    sheet_for(session, world.home)
    with pytest.raises(access.AccessError) as error:
        access.redeem_code(session=session, code=typed, password=NEW_PASSWORD)
    assert error.value.reason == "invalid" and error.value.field == "code"


def test_students_who_can_log_in_are_left_off_the_sheet(session, world, ctx):
    side = world.home
    without_account(session, side.student)
    sheet = sheet_for(session, side)
    assert [page.student.id for page in sheet.pages] == [side.student.id]
    assert [student.id for student in sheet.left_off] == [side.classmate.id]
    with pytest.raises(access.AccessError):
        sheet_for(session, side, class_name="9Z")


def test_setting_the_password_through_a_link_ends_open_codes(session, world, ctx):
    side = world.home
    user = without_password(session, side.student_user)
    code = sheet_for(session, side).pages[0].code
    token = access.invitation_token(user=user)
    access.use_link(session=session, token=token, password=NEW_PASSWORD)
    with pytest.raises(access.AccessError) as error:
        access.check_code(session=session, code=code)
    assert error.value.reason == "replaced"


def test_a_code_of_a_switched_off_account_does_not_work(session, world, ctx):
    side = world.home
    without_account(session, side.student)
    code = sheet_for(session, side).pages[0].code
    user = session.get(User, side.student.user_id)
    user.is_active = False
    session.add(user)
    session.commit()
    with pytest.raises(access.AccessError):
        access.redeem_code(session=session, code=code, password=NEW_PASSWORD)
