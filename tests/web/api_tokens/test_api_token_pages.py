"""The Koppelingen pages: who opens them, a new token shown once, revoking it, the use log,
and 404 for a token that is not yours."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import ApiToken
from app.models.base import local_today
from app.services import api_tokens as service

BASE = "/admin/api-tokens/"


def new_token(client, acting, **change):
    data = {"name": "Magister Het Liemers College", "acting_user_id": str(acting.id),
            "scopes": ["students:read", "activities:write"],
            "expires_on": (local_today() + timedelta(days=90)).isoformat(), **change}
    return client.post(BASE + "new", data=data)


def secret_on(page: str) -> str | None:
    found = re.search(r'value="(tm_[a-z0-9]{8}_[A-Za-z0-9_-]{43})"', page)
    return found.group(1) if found else None


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_admins_and_coordinators_open_the_list_and_the_form(client, login, world, who):
    login(world.admin if who == "admin" else world.home.coordinator)
    page = client.get(BASE)
    assert page.status_code == 200 and "Koppelingen (API-tokens)" in page.text
    form = client.get(BASE + "new").text
    assert 'name="scopes" type="checkbox" value="students:write"' in form
    assert (local_today() + timedelta(days=90)).isoformat() in form  # the default expiry


@pytest.mark.parametrize("who", ["student_user", "counsellor", "company_user"])
def test_others_are_refused(client, login, world, who):
    login(getattr(world.home, who))
    assert client.get(BASE).status_code == 403


def test_the_admin_pages_link_to_it(client, login, world):
    login(world.home.coordinator)
    assert 'href="/admin/api-tokens/"' in client.get("/admin/users").text


def test_a_coordinator_chooses_only_from_their_regions_staff(client, login, world):
    login(world.home.coordinator)
    form = client.get(BASE + "new").text
    assert f'value="{world.home.counsellor.id}"' in form
    assert f'value="{world.home.coordinator.id}"' in form
    assert f'value="{world.away.counsellor.id}"' not in form
    assert f'value="{world.home.student_user.id}"' not in form


def test_a_new_token_is_shown_once_and_never_again(client, login, world, session):
    login(world.home.coordinator)
    response = new_token(client, world.home.counsellor)
    assert response.status_code == 302
    first = client.get(response.headers["Location"])
    raw = secret_on(first.text)
    assert raw is not None and "will not be shown again" not in first.text  # Dutch by default
    assert "het wordt niet nog eens getoond" in first.text
    assert first.headers["Cache-Control"] == "no-store"
    token = session.exec(select(ApiToken)).one()
    assert raw.startswith(f"tm_{token.prefix}_") and raw not in str(token.secret_hash)
    assert service.authenticate_token(session=session, raw=raw).id == token.id
    again = client.get(response.headers["Location"])
    assert again.status_code == 200 and secret_on(again.text) is None and raw not in again.text
    assert raw not in client.get(BASE + f"{token.id}").text
    assert raw not in client.get(BASE).text


def test_a_refused_token_says_why_at_its_field(client, login, world, session):
    login(world.home.coordinator)
    page = new_token(client, world.away.counsellor).text  # not among the choices
    assert 'id="acting_user_id-errors"' in page
    page = new_token(client, world.home.counsellor, scopes=[], name="").text
    assert "Geef het token een naam" in page
    page = new_token(client, world.home.counsellor,
                     expires_on=(local_today() + timedelta(days=400)).isoformat()).text
    assert "hoogstens 365 dagen vooruit" in page
    assert session.exec(select(ApiToken)).first() is None


def test_a_coordinator_cannot_make_one_for_a_student(client, login, world, session):
    login(world.home.coordinator)
    page = new_token(client, world.home.student_user)
    assert page.status_code == 200 and session.exec(select(ApiToken)).first() is None


def test_revoking_asks_first_and_the_token_is_rejected_afterwards(client, login, world, session):
    token, raw = service.create_token(session=session, creator=world.home.coordinator,
                                      acting_user_id=world.home.counsellor.id, name="Zermelo",
                                      scopes=["students:read"],
                                      expires_on=local_today() + timedelta(days=30))
    login(world.home.coordinator)
    confirm = client.get(BASE + f"{token.id}/revoke")
    assert confirm.status_code == 200 and "Ja, intrekken" in confirm.text
    session.refresh(token)
    assert token.revoked_at is None
    done = client.post(BASE + f"{token.id}/revoke", data={})
    assert done.status_code == 302
    session.refresh(token)
    assert token.revoked_by_id == world.home.coordinator.id
    with pytest.raises(service.TokenRejected):
        service.authenticate_token(session=session, raw=raw)
    assert "Ingetrokken" in client.get(BASE).text


def test_the_use_log_shows_the_latest_uses(client, login, world, session):
    token, _raw = service.create_token(session=session, creator=world.admin,
                                       acting_user_id=world.home.counsellor.id, name="Zermelo",
                                       scopes=["students:read"],
                                       expires_on=local_today() + timedelta(days=30))
    for n in range(103):
        service.record_token_use(session=session, token=token, method="GET",
                                 path=f"/api/v1/students/{n}", status=200 if n % 2 else 404)
    login(world.admin)
    page = client.get(BASE + f"{token.id}").text
    assert "/api/v1/students/102<" in page and "/api/v1/students/3<" in page
    assert "/api/v1/students/2<" not in page  # only the last 100


def test_another_coordinator_gets_404_for_someone_elses_token(client, login, world, session):
    token, _raw = service.create_token(session=session, creator=world.home.coordinator,
                                       acting_user_id=world.home.counsellor.id, name="Zermelo",
                                       scopes=["students:read"],
                                       expires_on=local_today() + timedelta(days=30))
    login(world.away.coordinator)
    for path in ("", "/revoke", "/created"):
        assert client.get(BASE + f"{token.id}{path}").status_code == 404
    assert client.post(BASE + f"{token.id}/revoke", data={}).status_code == 404
    assert "Zermelo" not in client.get(BASE).text
    session.refresh(token)
    assert token.revoked_at is None
    login(world.admin)
    assert client.get(BASE + f"{token.id}").status_code == 200
