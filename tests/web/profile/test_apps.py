"""Koppelingen on the student's own pages: a personal token made there and shown once, the
consent it needs, switching it off, and what the staff's token page shows of it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import ApiToken
from app.models.base import local_today
from app.services import api_tokens
from tests import factories

BASE = "/me/apps"


def secret_on(page: str) -> str | None:
    found = re.search(r'value="(tm_[a-z0-9]{8}_[A-Za-z0-9_-]{43})"', page)
    return found.group(1) if found else None


def new_link(client, **change):
    data = {"name": "Mijn planner", "scopes": "me:write",
            "expires_on": (local_today() + timedelta(days=30)).isoformat(), **change}
    return client.post(BASE, data=data)


@pytest.fixture
def consented(session, world, client, login):
    factories.give_consent(session, world.home.student)
    session.commit()
    login(world.home.student_user)
    return client


def test_her_privacy_page_links_to_it(consented):
    page = consented.get("/me/privacy").text
    assert f'href="{BASE}"' in page and "Apps die voor mij mogen antwoorden" in page


def test_a_link_is_made_shown_once_and_acts_as_her(consented, session, world):
    form = consented.get(BASE).text
    assert (local_today() + timedelta(days=30)).isoformat() in form  # the default lifetime
    response = new_link(consented)
    assert response.status_code == 302
    first = consented.get(response.headers["Location"])
    raw = secret_on(first.text)
    assert raw is not None and first.headers["Cache-Control"] == "no-store"
    token = session.exec(select(ApiToken)).one()
    assert token.user_id == token.created_by_id == world.home.student_user.id
    assert api_tokens.authenticate_token(session=session, raw=raw).id == token.id
    again = consented.get(response.headers["Location"]).text
    assert secret_on(again) is None and raw not in again
    listed = consented.get(BASE).text
    assert "Mijn planner" in listed and f"tm_{token.prefix}" in listed and raw not in listed


def test_more_than_90_days_is_refused_at_its_field(consented, session):
    page = new_link(consented, expires_on=(local_today() + timedelta(days=91)).isoformat()).text
    assert "90 dagen" in page
    assert session.exec(select(ApiToken)).first() is None


def test_without_consent_she_is_told_who_must_consent_first(client, login, world, session):
    login(world.home.student_user)
    page = client.get(BASE).text
    assert "ouder of voogd" in page and 'name="name"' not in page
    assert new_link(client).status_code == 200
    assert session.exec(select(ApiToken)).first() is None


def test_she_switches_a_link_off(consented, session):
    new_link(consented)
    token = session.exec(select(ApiToken)).one()
    assert consented.post(f"{BASE}/{token.id}/revoke").status_code == 302
    session.expire_all()
    assert api_tokens.status_of(token) == "revoked"


def test_after_the_consent_is_withdrawn_her_link_reads_stopped_and_she_can_switch_it_off(
        consented, session, world):
    from app.services import students

    new_link(consented)
    token = session.exec(select(ApiToken)).one()
    assert "Actief" in consented.get(BASE).text
    students.withdraw_consent(session=session, student=world.home.student,
                              withdrawn_by=world.home.counsellor)
    row = consented.get(BASE).text.split('data-testid="personal-token"')[1]
    assert "Gestopt: geen toestemming" in row and "Actief" not in row
    factories.give_consent(session, world.home.student)  # a new consent does not revive it
    session.commit()
    assert "Gestopt: geen toestemming" in consented.get(BASE).text
    assert consented.post(f"{BASE}/{token.id}/revoke").status_code == 302
    session.expire_all()
    assert api_tokens.status_of(token) == "revoked"
    assert "Ingetrokken" in consented.get(BASE).text


def test_another_students_link_is_a_404(consented, session, world, client, login):
    new_link(consented)
    token = session.exec(select(ApiToken)).one()
    login(session.get(type(world.home.student_user), world.home.classmate.user_id))
    assert client.post(f"{BASE}/{token.id}/revoke").status_code == 404
    assert client.get(f"{BASE}/{token.id}/created").status_code == 404
    session.expire_all()
    assert token.revoked_at is None


@pytest.mark.parametrize("who", ["counsellor", "coordinator"])
def test_staff_have_no_such_page(client, login, world, who):
    login(getattr(world.home, who))
    assert client.get(BASE).status_code == 403


def test_the_staff_token_page_counts_students_links_without_listing_them(
        consented, session, world, client, login):
    new_link(consented)
    token = session.exec(select(ApiToken)).one()
    login(world.admin)
    page = client.get("/admin/api-tokens/").text
    assert "Mijn planner" not in page and "1 actief" in page
    form = client.get("/admin/api-tokens/new").text
    assert 'value="me:read"' not in form and 'value="me:write"' not in form
    login(world.home.coordinator)
    assert client.get(f"/admin/api-tokens/{token.id}").status_code == 404
    assert "Mijn planner" not in client.get("/admin/api-tokens/").text
