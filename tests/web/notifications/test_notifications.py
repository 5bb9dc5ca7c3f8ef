"""The notifications page: own notifications only, read on opening, and the e-mail switch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import login_user
from flask_login.utils import _create_identifier

from app import create_app
from app.models import Notification, User
from app.models.base import utcnow
from tests.web.query_count import get_counted


def add_note(session, user, message, link="", minutes_ago=0, read=False):
    note = Notification(user_id=user.id, kind="candidate", message=message, link=link,
                        created_at=utcnow() - timedelta(minutes=minutes_ago),
                        read_at=utcnow() if read else None)
    session.add(note)
    session.commit()
    return note


def reload(session, model, id_):
    session.expire_all()
    return session.get(model, id_)


@pytest.mark.parametrize("role", ["student_user", "counsellor", "company_user", "coordinator"])
def test_every_role_sees_its_own_notifications_newest_first(world, session, login, role):
    user = getattr(world.home, role)
    add_note(session, user, "Oud bericht", minutes_ago=60, read=True)
    add_note(session, user, "Nieuw bericht", link="/home")
    add_note(session, world.away.counsellor, "Van iemand anders")
    page = login(user).get("/notifications/").get_data(as_text=True)
    assert 'lang="nl"' in page and "Opslaan" in page  # Dutch by default
    assert page.index("Nieuw bericht") < page.index("Oud bericht")
    assert "Van iemand anders" not in page
    assert page.count("data-unread") == 1


def test_the_page_needs_a_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_opening_a_notification_marks_it_read_and_follows_its_link(world, session, login):
    user = world.home.company_user
    note = add_note(session, user, "Een nieuwe kandidaat", link="/candidates/3")
    response = login(user).get(f"/notifications/{note.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/candidates/3")
    assert reload(session, Notification, note.id).read_at is not None


def test_a_link_off_the_site_is_not_followed(world, session, login):
    user = world.home.company_user
    note = add_note(session, user, "Vreemd", link="//evil.example/x")
    response = login(user).get(f"/notifications/{note.id}")
    assert response.headers["Location"].endswith("/notifications/")


def test_someone_elses_notification_is_not_found_and_stays_unread(world, session, login):
    note = add_note(session, world.away.counsellor, "Niet voor jou", link="/home")
    response = login(world.home.counsellor).get(f"/notifications/{note.id}")
    assert response.status_code == 404
    assert reload(session, Notification, note.id).read_at is None
    assert login(world.home.counsellor).get("/notifications/999999").status_code == 404


def test_mark_all_read_marks_only_my_own(world, session, login):
    user = world.home.student_user
    mine = [add_note(session, user, f"Bericht {i}") for i in range(3)]
    other = add_note(session, world.home.counsellor, "Van een ander")
    response = login(user).post("/notifications/read-all")
    assert response.status_code == 302
    assert all(reload(session, Notification, n.id).read_at for n in mine)
    assert reload(session, Notification, other.id).read_at is None
    page = login(user).get("/notifications/").get_data(as_text=True)
    assert "data-unread" not in page


def test_the_email_switch_is_saved(world, session, login):
    user = world.home.counsellor
    client = login(user)
    page = client.get("/notifications/").get_data(as_text=True)
    assert user.email in page and 'name="email_notifications"' in page
    assert client.post("/notifications/settings", data={}).status_code == 302
    assert reload(session, User, user.id).email_notifications is False
    assert 'name="email_notifications" type="checkbox" value="y">' in \
        client.get("/notifications/").get_data(as_text=True)
    client.post("/notifications/settings", data={"email_notifications": "y"})
    assert reload(session, User, user.id).email_notifications is True


def test_unread_count_is_available_to_the_layout(world, session, app):
    user = world.home.counsellor
    add_note(session, user, "Eén")
    add_note(session, user, "Twee")
    add_note(session, user, "Gelezen", read=True)
    with app.test_request_context():
        login_user(user)
        processors = app.template_context_processors[None]
        context = {}
        for processor in processors:
            context.update(processor())
        assert context["unread_notifications"]() == 2


def test_forms_need_a_csrf_token(app_config, engine, world):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    app.extensions["talentmatch.engine"] = engine
    client = app.test_client()
    user = world.home.counsellor
    with app.test_request_context():
        identifier = _create_identifier()
    with client.session_transaction() as sess:
        sess.update({"_user_id": user.get_id(), "_fresh": True, "_id": identifier})
    assert client.post("/notifications/settings", data={}).status_code == 400
    assert client.post("/notifications/read-all").status_code == 400


def test_a_logged_in_page_finds_user_and_unread_count_in_one_query(
        world, session, login, engine):
    """The layout's count comes with the user (issue 20): the notifications page asks for
    the user once and for the list once, and shows the count the user has."""
    user = world.home.counsellor
    for n in range(3):
        add_note(session, user, f"Nieuw voorstel {n}")
    client = login(user)
    answer, sent = get_counted(client, engine, "/notifications/")
    assert sent.queries == 2
    assert sum("count(" in s.lower() for s in sent.statements) == 1
    assert '<span class="badge">3</span>' in answer.get_data(as_text=True)
