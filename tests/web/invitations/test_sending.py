"""A counsellor's accounts pages: where each student stands, invitations by e-mail for a
student, a class or the school, and the printed code sheet (issue 19)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from app.models import AccessCode, OutboxEmail, User
from app.services import accounts
from tests.web.activities.builders import in_english

NEW_PASSWORD = "een lang nieuw wachtwoord"


def without_password(session, *users):
    for user in users:
        user.password_hash = accounts.unusable_password_hash()
        session.add(user)
    session.commit()


def outbox(session) -> list[OutboxEmail]:
    session.expire_all()
    return list(session.exec(select(OutboxEmail).order_by(OutboxEmail.id)).all())


@pytest.fixture
def waiting(session, world):
    """The home school's two students, imported with an address and no password."""
    side = world.home
    students = [session.get(User, s.user_id) for s in (side.student, side.classmate)]
    without_password(session, *students)
    return students


def test_the_counsellor_finds_the_accounts_page_from_home(login, world):
    client = login(world.home.counsellor)
    home = client.get("/home").get_data(as_text=True)
    assert f'href="/invitations/schools/{world.home.school.id}"' in home
    page = client.get(f"/invitations/schools/{world.home.school.id}").get_data(as_text=True)
    assert 'data-testid="access-school"' in page and "3B" in page


def test_the_school_page_counts_each_class(login, world, waiting):
    client = in_english(login(world.home.counsellor))
    page = client.get(f"/invitations/schools/{world.home.school.id}").get_data(as_text=True)
    row = re.search(r"<tr><td><a [^>]*>3B</a>.*?</tr>", page, re.S).group(0)
    assert re.findall(r'class="num"[^>]*>(\d+)<', row) == ["2", "0", "2", "0"]


def test_inviting_the_class_e_mails_each_student_once(login, world, session, waiting):
    side = world.home
    client = in_english(login(side.counsellor))
    url = f"/invitations/schools/{side.school.id}/send"
    response = client.post(url, data={"scope": "class", "class_name": "3B"})
    assert response.status_code == 302 and "/class?name=3B" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 invitations sent." in page and "Invited on" in page
    assert sorted(e.to_address for e in outbox(session)) == sorted(u.email for u in waiting)
    client.post(url, data={"scope": "class", "class_name": "3B"})
    page = client.get(f"/invitations/schools/{side.school.id}").get_data(as_text=True)
    assert "2 were invited less than an hour ago and are left out." in page
    assert len(outbox(session)) == 2


def test_the_invited_student_sets_a_password_from_the_e_mail(app, login, world, session,
                                                             waiting):
    side = world.home
    login(side.counsellor).post(f"/invitations/schools/{side.school.id}/send",
                                data={"scope": "student", "student": str(side.student.id)})
    [email] = outbox(session)
    assert email.to_address == waiting[0].email
    link = re.search(r"http://localhost(/invitations/\S+)", email.body).group(1)
    client = in_english(app.test_client())
    page = client.get(link).get_data(as_text=True)
    assert "An account in Talentmatch has been made for you" in page
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"].endswith("/home")
    assert 'data-testid="student-home"' in client.get("/home").get_data(as_text=True)


def test_the_student_page_has_an_invite_button_while_there_is_no_password(login, world,
                                                                          session, waiting):
    side = world.home
    client = in_english(login(side.counsellor))
    page = client.get(f"/students/{side.student.id}").get_data(as_text=True)
    assert 'data-testid="student-account"' in page and "Invite by e-mail" in page
    response = client.post(f"/invitations/schools/{side.school.id}/send",
                           data={"scope": "student", "student": str(side.student.id)})
    assert response.headers["Location"].endswith(f"/students/{side.student.id}")
    assert "1 invitation sent." in client.get(f"/students/{side.student.id}").get_data(
        as_text=True)
    page = client.get(f"/students/{world.home.other_school_student.id}")
    assert page.status_code == 404  # another school's student: not this counsellor's


def test_a_student_with_a_password_gets_no_button(login, world):
    client = in_english(login(world.home.counsellor))
    page = client.get(f"/students/{world.home.student.id}").get_data(as_text=True)
    assert "Logs in with" in page and "Invite by e-mail" not in page


def test_the_whole_school_includes_its_counsellors(login, world, session, waiting):
    side = world.home
    colleague = side.counsellor
    without_password(session, colleague)
    admin = in_english(login(world.admin))
    admin.post(f"/invitations/schools/{side.school.id}/send", data={"scope": "school"})
    assert colleague.email in {e.to_address for e in outbox(session)}
    assert len(outbox(session)) == 3


def test_other_schools_and_other_roles_get_nothing(login, world, session, waiting):
    side, away = world.home, world.away
    counsellor = login(away.counsellor)
    for path in (f"/invitations/schools/{side.school.id}",
                 f"/invitations/schools/{side.school.id}/class?name=3B"):
        assert counsellor.get(path).status_code == 404
    assert counsellor.post(f"/invitations/schools/{side.school.id}/send",
                           data={"scope": "school"}).status_code == 404
    assert counsellor.post(f"/invitations/schools/{away.school.id}/send",
                           data={"scope": "student",
                                 "student": str(side.student.id)}).status_code == 404
    assert counsellor.post(f"/invitations/schools/{side.school.id}/codes",
                           data={"class_name": "3B"}).status_code == 404
    for user in (side.student_user, side.coordinator, side.company_user):
        client = login(user)
        assert client.get(f"/invitations/schools/{side.school.id}").status_code == 403
        client.post("/logout")
    assert outbox(session) == []
    assert session.exec(select(AccessCode)).all() == []


def test_the_code_sheet_has_one_print_page_per_student(login, world, session, waiting):
    side = world.home
    client = in_english(login(side.counsellor))
    response = client.post(f"/invitations/schools/{side.school.id}/codes",
                           data={"class_name": "3B"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert page.count('data-testid="code-sheet-page"') == 2
    assert "/static/css/sheet.css" in page and "/static/js/print.js" in page
    assert "http://localhost/code" in page and "<style" not in page and "onclick" not in page
    for user in waiting:
        assert user.email in page  # students with an address log in with it
    class_page = client.get(f"/invitations/schools/{side.school.id}/class?name=3B")
    assert "Code printed on" in class_page.get_data(as_text=True)


def test_a_sheet_for_a_class_without_students_says_so(login, world):
    side = world.home
    client = in_english(login(side.counsellor))
    response = client.post(f"/invitations/schools/{side.school.id}/codes",
                           data={"class_name": "9Z"}, follow_redirects=True)
    assert "There are no students in class 9Z." in response.get_data(as_text=True)
