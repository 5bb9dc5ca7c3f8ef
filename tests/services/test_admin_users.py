"""The account rules of the administration screens, without the pages."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AdminLogEntry, Role, User
from app.services import admin_log
from app.services import admin_users as service

EVERY_ROLE = tuple(Role)
REGIONAL = (Role.student, Role.counsellor, Role.company)


def test_a_coordinator_lists_only_the_accounts_of_the_region(session, world):
    page = service.list_users(session=session, region_id=world.home.region.id)
    emails = {row.user.email for row in page.rows}
    assert world.home.counsellor.email in emails
    assert world.home.student_user.email in emails
    assert world.home.company_user.email in emails
    assert world.away.counsellor.email not in emails
    assert world.admin.email not in emails
    assert world.home.coordinator.email not in emails


def test_the_list_pages(session, world):
    first = service.list_users(session=session, region_id=None, page_size=3)
    second = service.list_users(session=session, region_id=None, page=2, page_size=3)
    assert first.total == second.total and first.pages > 1
    assert {r.user.id for r in first.rows}.isdisjoint({r.user.id for r in second.rows})


def test_a_change_is_logged_with_before_and_after(session, world):
    counsellor = world.home.counsellor
    service.change_user(session=session, actor=world.admin, user=counsellor,
                        role="coordinator", school_id=None, region_id=world.away.region.id,
                        allowed_roles=EVERY_ROLE)
    assert counsellor.role is Role.coordinator and counsellor.region_id == world.away.region.id
    entry = session.exec(select(AdminLogEntry)).one()
    assert entry.before["role"] == "counsellor" and entry.after["role"] == "coordinator"
    assert entry.after["school_id"] is None


@pytest.mark.parametrize(("role", "message"), [
    ("counsellor", "needs a school"), ("coordinator", "needs a region"),
    ("wizard", "Choose a role"), ("admin", "cannot give an account this role")])
def test_a_change_is_refused(session, world, role, message):
    with pytest.raises(service.AdminUserError, match=message):
        service.change_user(session=session, actor=world.home.coordinator,
                            user=world.home.counsellor, role=role, school_id=None,
                            region_id=None,
                            allowed_roles=REGIONAL if role == "admin" else EVERY_ROLE)
    assert session.exec(select(AdminLogEntry)).first() is None


def test_a_school_of_another_region_is_refused_for_a_coordinator(session, world):
    with pytest.raises(service.AdminUserError, match="needs a school"):
        service.change_user(session=session, actor=world.home.coordinator,
                            user=world.home.counsellor, role="counsellor",
                            school_id=world.away.school.id, region_id=None,
                            allowed_roles=REGIONAL, scope_region_id=world.home.region.id)


def test_switching_off_rotates_the_session_token(session, world):
    user = world.home.counsellor
    token = user.session_token
    service.set_active(session=session, actor=world.admin, user=user, active=False)
    assert not user.is_active and user.session_token != token
    with pytest.raises(service.AdminUserError):
        service.set_active(session=session, actor=world.admin, user=world.admin, active=False)


def test_a_new_account_has_no_password_and_is_logged(app, session, world):
    app.config["BASE_URL"] = "https://talentmatch.example"
    with app.test_request_context():
        user, invited = service.create_user(
            session=session, actor=world.admin, email="nieuw@regio.nl", display_name="Nieuw",
            role="coordinator", school_id=None, region_id=world.home.region.id,
            allowed_roles=EVERY_ROLE)
    assert invited and user.password_hash.startswith("!")
    assert session.exec(select(User).where(User.email == "nieuw@regio.nl")).one()
    assert [e.action for e in session.exec(select(AdminLogEntry))] == ["user.create"]


def test_the_log_pages_newest_first_and_filters(session, world):
    for n in range(3):
        admin_log.note(session=session, actor=world.admin, action=f"test.{n}",
                       object_type="user", object_id=n, after={"n": n})
    page = admin_log.list_entries(session=session)
    assert [e.action for e in page.rows] == ["test.2", "test.1", "test.0"]
    assert admin_log.list_entries(session=session, action="test.1").total == 1
    rows = list(admin_log.export_rows(session=session, actor_id=world.admin.id))
    assert len(rows) == 3


def test_no_one_becomes_a_company_contact_or_changes_their_own_role_here(session, world):
    with pytest.raises(service.AdminUserError, match="invited from the company"):
        service.change_user(session=session, actor=world.admin, user=world.home.counsellor,
                            role="company", school_id=None, region_id=None,
                            allowed_roles=EVERY_ROLE)
    with pytest.raises(service.AdminUserError, match="your own role"):
        service.change_user(session=session, actor=world.admin, user=world.admin,
                            role="observer", school_id=None, region_id=None,
                            allowed_roles=EVERY_ROLE)
    assert world.admin.role is Role.admin
