"""The administration screens: who may open what, each form's happy path and a refusal,
and the admin log keeping before and after."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AdminLogEntry, OutboxEmail, Region, Role, School, User
from tests.web.activities.builders import in_english


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BASE_URL": "https://talentmatch.example"}


def as_user(login, client, user):
    login(user)
    return in_english(client)


# --- who may open what ------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/admin/users", "/admin/schools", "/admin/users/new",
                                 "/admin/schools/new"])
def test_admins_and_coordinators_open_the_lists(client, login, world, url):
    assert as_user(login, client, world.admin).get(url).status_code == 200
    assert as_user(login, client, world.home.coordinator).get(url).status_code == 200


@pytest.mark.parametrize("url", ["/admin/regions", "/admin/regions/new", "/admin/log",
                                 "/admin/log.csv"])
def test_regions_and_the_log_are_for_admins(client, login, world, url):
    assert as_user(login, client, world.admin).get(url).status_code == 200
    assert as_user(login, client, world.home.coordinator).get(url).status_code == 403


@pytest.mark.parametrize("role", ["student", "counsellor", "company"])
def test_others_are_refused(client, login, world, role):
    user = {"student": world.home.student_user, "counsellor": world.home.counsellor,
            "company": world.home.company_user}[role]
    assert as_user(login, client, user).get("/admin/users").status_code == 403


def test_a_coordinator_sees_only_the_accounts_of_the_region(client, login, world):
    page = as_user(login, client, world.home.coordinator).get("/admin/users").text
    assert world.home.counsellor.email in page
    assert world.home.company_user.email in page
    assert world.away.counsellor.email not in page
    assert world.admin.email not in page
    assert world.home.coordinator.email not in page


def test_a_coordinator_gets_404_for_other_accounts(client, login, world):
    as_user(login, client, world.home.coordinator)
    for user in (world.away.counsellor, world.admin, world.home.coordinator,
                 world.away.company_user):
        assert client.get(f"/admin/users/{user.id}").status_code == 404
        assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 404
    assert client.get(f"/admin/users/{world.home.counsellor.id}").status_code == 200
    assert client.get(f"/admin/schools/{world.away.school.id}").status_code == 404
    assert client.get(f"/admin/schools/{world.home.school.id}").status_code == 200


def test_the_list_searches_and_filters(client, login, world):
    as_user(login, client, world.admin)
    page = client.get("/admin/users", query_string={"q": world.home.counsellor.email}).text
    assert world.home.counsellor.email in page and world.away.counsellor.email not in page
    page = client.get("/admin/users", query_string={"role": "admin"}).text
    assert world.admin.email in page and world.home.counsellor.email not in page


# --- changing an account ----------------------------------------------------------------

def test_an_admin_moves_a_counsellor_and_the_log_keeps_before_and_after(client, login, world,
                                                                        session):
    counsellor = world.home.counsellor
    as_user(login, client, world.admin)
    answer = client.post(f"/admin/users/{counsellor.id}", data={
        "role": "counsellor", "school_id": world.away.school.id, "region_id": ""})
    assert answer.status_code == 302
    session.expire_all()
    assert session.get(User, counsellor.id).school_id == world.away.school.id
    entry = session.exec(select(AdminLogEntry)).one()
    assert entry.action == "user.change" and entry.actor_id == world.admin.id
    assert entry.before["school_id"] == world.home.school.id
    assert entry.after["school_id"] == world.away.school.id
    log = client.get("/admin/log").text
    assert "user.change" in log
    csv = client.get("/admin/log.csv").text
    assert "user.change" in csv


def test_a_counsellor_without_a_school_is_refused(client, login, world, session):
    as_user(login, client, world.admin)
    answer = client.post(f"/admin/users/{world.home.counsellor.id}",
                         data={"role": "counsellor", "school_id": "", "region_id": ""})
    assert answer.status_code == 200
    assert "A student or counsellor needs a school" in answer.text
    session.expire_all()
    assert session.get(User, world.home.counsellor.id).school_id == world.home.school.id


def test_a_coordinator_cannot_make_an_admin(client, login, world, session):
    as_user(login, client, world.home.coordinator)
    answer = client.post(f"/admin/users/{world.home.counsellor.id}",
                         data={"role": "admin", "school_id": "", "region_id": ""})
    assert answer.status_code == 200
    session.expire_all()
    assert session.get(User, world.home.counsellor.id).role is Role.counsellor


def test_switching_off_ends_the_sessions_and_switching_on_again(client, login, world, session):
    counsellor = world.home.counsellor
    token = counsellor.session_token
    as_user(login, client, world.home.coordinator)
    assert client.post(f"/admin/users/{counsellor.id}/deactivate").status_code == 302
    session.expire_all()
    user = session.get(User, counsellor.id)
    assert not user.is_active and user.session_token != token
    assert client.post(f"/admin/users/{counsellor.id}/activate").status_code == 302
    session.expire_all()
    assert session.get(User, counsellor.id).is_active
    actions = [e.action for e in session.exec(select(AdminLogEntry)).all()]
    assert actions == ["user.deactivate", "user.activate"]


def test_a_reset_e_mail_is_sent(client, login, world, session):
    as_user(login, client, world.admin)
    answer = client.post(f"/admin/users/{world.home.counsellor.id}/reset",
                         follow_redirects=True)
    assert "A link to choose a new password is sent." in answer.text
    assert session.exec(select(OutboxEmail)
                        .where(OutboxEmail.to_address == world.home.counsellor.email)).first()


def test_an_invitation_to_an_account_with_a_password_is_refused(client, login, world):
    as_user(login, client, world.admin)
    answer = client.post(f"/admin/users/{world.home.counsellor.id}/invite",
                         follow_redirects=True)
    assert "No invitation was sent" in answer.text


# --- a new account ----------------------------------------------------------------------

def test_a_coordinator_makes_a_counsellor_who_gets_an_invitation(client, login, world, session):
    as_user(login, client, world.home.coordinator)
    answer = client.post("/admin/users/new", data={
        "email": "Nieuw@School.nl", "display_name": "Nieuwe Decaan", "role": "counsellor",
        "school_id": world.home.school.id})
    assert answer.status_code == 302
    user = session.exec(select(User).where(User.email == "nieuw@school.nl")).one()
    assert user.role is Role.counsellor and user.school_id == world.home.school.id
    assert session.exec(select(OutboxEmail)
                        .where(OutboxEmail.to_address == "nieuw@school.nl")).first()


def test_a_new_account_for_a_school_of_another_region_is_refused(client, login, world,
                                                                 session):
    as_user(login, client, world.home.coordinator)
    answer = client.post("/admin/users/new", data={
        "email": "x@school.nl", "display_name": "X", "role": "counsellor",
        "school_id": world.away.school.id})
    assert answer.status_code == 200
    assert session.exec(select(User).where(User.email == "x@school.nl")).first() is None


def test_a_taken_e_mail_address_is_refused(client, login, world):
    as_user(login, client, world.admin)
    answer = client.post("/admin/users/new", data={
        "email": world.home.counsellor.email, "display_name": "Dubbel",
        "role": "counsellor", "school_id": world.home.school.id})
    assert answer.status_code == 200
    assert "There is already an account" in answer.text


# --- schools and regions ----------------------------------------------------------------

def test_an_admin_adds_a_region_and_a_school(client, login, world, session):
    as_user(login, client, world.admin)
    answer = client.post("/admin/regions/new", data={"name": "Rivierenland", "slug": "",
                                                     "answer_days": "10"})
    assert answer.status_code == 302
    region = session.exec(select(Region).where(Region.name == "Rivierenland")).one()
    answer = client.post("/admin/schools/new", data={
        "region_id": region.id, "code": "12AB", "name": "Het Rivier College", "kind": "vmbo",
        "postcode": "6901", "place": ""})
    assert answer.status_code == 302
    school = session.exec(select(School).where(School.code == "12AB")).one()
    assert school.region_id == region.id
    actions = [e.action for e in session.exec(select(AdminLogEntry)).all()]
    assert actions == ["region.create", "school.create"]


def test_a_bad_brin_code_is_refused(client, login, world, session):
    as_user(login, client, world.home.coordinator)
    answer = client.post("/admin/schools/new", data={
        "code": "nonsense", "name": "Fout", "kind": "vmbo", "postcode": "6901"})
    assert answer.status_code == 200
    assert session.exec(select(School).where(School.name == "Fout")).first() is None


def test_a_coordinator_edits_a_school_of_the_region(client, login, world, session):
    school = world.home.school
    as_user(login, client, world.home.coordinator)
    answer = client.post(f"/admin/schools/{school.id}", data={
        "code": "34CD", "name": "Nieuwe Naam", "kind": school.kind.value,
        "postcode": school.postcode, "place": school.place})
    assert answer.status_code == 302
    session.expire_all()
    assert session.get(School, school.id).name == "Nieuwe Naam"
    entry = session.exec(select(AdminLogEntry)).one()
    assert entry.after["name"] == "Nieuwe Naam" and entry.before["name"] != "Nieuwe Naam"


def test_a_taken_region_name_is_refused(client, login, world):
    as_user(login, client, world.admin)
    answer = client.post(f"/admin/regions/{world.away.region.id}",
                         data={"name": world.home.region.name, "slug": "", "answer_days": ""})
    assert answer.status_code == 200
