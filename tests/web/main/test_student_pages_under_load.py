"""The student's home and proposals pages under load: the same queries however much the
student did, and what each shows in which order."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from app.models import (
    Activity,
    Attendance,
    Participation,
    ProposalStatus,
    StudentTheme,
    TalentObservation,
    Theme,
)
from app.models.base import local_today
from tests import factories
from tests.web.query_count import get_counted

S = ProposalStatus


def add_history(world, session, count: int, *, start: int = 0) -> None:
    """``count`` more of everything the home student's pages list: activities taken part in
    (each with an observation), activities registered for, themes and placements."""
    home = world.home
    student = home.student
    themes = session.exec(select(Theme).order_by(Theme.id)).all()
    if len(themes) < start + count:
        for n in range(len(themes), start + count):
            session.add(Theme(slug=f"thema-{n}", label_nl=f"Thema {n}", label_en=f"Theme {n}"))
        session.flush()
        themes = session.exec(select(Theme).order_by(Theme.id)).all()
    for n in range(start, start + count):
        past = factories.make_activity(session, home.region, school=home.school)
        past.title, past.starts_on = f"Gedaan {n}", date(2025, 3, 1) + timedelta(days=n)
        ahead = factories.make_activity(session, home.region, school=home.school)
        ahead.title, ahead.starts_on = f"Komt nog {n}", local_today() + timedelta(days=30 + n)
        session.add_all([past, ahead])
        session.add(Participation(activity_id=past.id, student_id=student.id,
                                  attendance=Attendance.attended))
        session.add(Participation(activity_id=ahead.id, student_id=student.id,
                                  attendance=Attendance.registered))
        session.add(TalentObservation(activity_id=past.id, student_id=student.id, strength=3,
                                      observed_on=past.starts_on))
        session.add(StudentTheme(student_id=student.id, theme_id=themes[n].id))
        placement = factories.make_placement(session, home.company)
        placement.title = f"Stage {n}"
        factories.make_proposal(session, student, placement,
                                status=S.placed if n % 2 else S.offered)
    session.commit()


def test_the_student_home_makes_the_same_queries_for_one_and_for_eight_of_everything(
        world, session, engine, login):
    client = login(world.home.student_user)
    add_history(world, session, 1)
    small, few = get_counted(client, engine, "/home")
    add_history(world, session, 7, start=1)
    large, many = get_counted(client, engine, "/home")
    page = large.text
    assert all(f"Gedaan {n}" in page and f"Komt nog {n}" in page for n in range(8))
    assert "Stage 7" in page and "Stage 0" not in page  # placed ones only, not offers
    assert "Gedaan 0" in small.text and "Komt nog 0" in small.text
    assert many.queries == few.queries, many.statements


def test_the_student_home_lists_what_happened_newest_first_and_what_comes_soonest_first(
        world, session, login):
    add_history(world, session, 3)
    page = login(world.home.student_user).get("/home").text
    took_part = page[page.index('data-testid="took-part"'):]
    registered = page[page.index('data-testid="registered-for"'):page.index(
        'data-testid="took-part"')]
    assert took_part.index("Gedaan 2") < took_part.index("Gedaan 1") < took_part.index(
        "Gedaan 0")
    assert registered.index("Komt nog 0") < registered.index("Komt nog 1")
    assert "Komt nog" not in took_part and "Gedaan" not in registered
    assert "Week van de Techniek · " in took_part  # each with its kind and day
    # Observations until today: the world's own one and one per activity added.
    assert "4 observaties over jou." in took_part


def test_an_activity_registered_for_that_has_begun_is_in_neither_list(world, session, login):
    activity = session.exec(select(Activity).where(Activity.id == world.home.activity.id)).one()
    participation = session.exec(select(Participation).where(
        Participation.activity_id == activity.id)).one()
    participation.attendance = Attendance.registered  # never marked attended
    session.add(participation)
    session.commit()
    page = login(world.home.student_user).get("/home").text
    assert activity.title not in page[page.index('data-testid="student-home"'):]


def test_the_proposals_page_makes_the_same_queries_for_two_and_for_eight_offers(
        world, session, engine, login):
    client = login(world.home.student_user)
    # One offered and one placed (whose start details the page shows), then six more.
    add_history(world, session, 2)
    small, few = get_counted(client, engine, "/me/proposals/")
    add_history(world, session, 6, start=2)
    large, many = get_counted(client, engine, "/me/proposals/")
    assert small.text.count('data-testid="offer"') == 2
    assert large.text.count('data-testid="after-yes"') == 4
    assert large.text.count('data-testid="offer"') == 8
    assert many.queries == few.queries, many.statements


def test_the_start_details_of_agreed_offers_reuse_the_rows_the_page_loaded(
        world, session, engine, login):
    """The page loads each offer with its placement and company; the after-"ja" block must
    not read them (nor the student and their account) again."""
    client = login(world.home.student_user)
    add_history(world, session, 4)
    page, sent = get_counted(client, engine, "/me/proposals/")
    assert page.text.count('data-testid="after-yes"') >= 1
    rereads = [s for s in sent.statements
               if s.lstrip().startswith(("SELECT placement.", "SELECT company.",
                                         "SELECT studentprofile.id, studentprofile.user_id"))]
    assert len(rereads) <= 1, rereads  # the student's own profile, read by the view
