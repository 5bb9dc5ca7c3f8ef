"""Demo data made today is written for today's school year, so matching finds placements ahead."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from app.models import Activity, Placement, StudentProfile, school_year_of
from app.services.matching import Scope, run_matching
from seeds import generate

TODAY = date(2026, 11, 21)


def test_a_school_year_starts_on_1_august():
    assert school_year_of(date(2026, 7, 31)) == "2025-2026"
    assert school_year_of(date(2026, 8, 1)) == "2026-2027"


def test_demo_data_as_of_a_day_moves_to_that_school_year(session, password_hash):
    generate(session, students=150, placements=40, seed=3, password_hash=password_hash,
             as_of=TODAY)
    years = set(session.exec(select(Activity.school_year)).all())
    assert years == {"2025-2026", "2026-2027"}
    assert min(session.exec(select(Placement.starts_on)).all()) >= date(2026, 8, 1)
    assert min(session.exec(select(StudentProfile.birth_year)).all()) >= 2000


def test_a_round_on_demo_data_made_today_proposes_placements(session, password_hash, app):
    generate(session, students=300, placements=120, seed=3, password_hash=password_hash,
             as_of=TODAY)
    with app.test_request_context():
        round_ = run_matching(session=session, scope=Scope(), actor=None, seed=1, today=TODAY)
    assert round_.summary["students_proposed"] > 30
