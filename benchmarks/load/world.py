"""The load test's database: 20,000 students seeded on PostgreSQL, one matching round, and the
demo accounts' proposals moved along so every page under test has rows to show.

Made once and reused: a database that already has a round is left as it is (``--fresh``
drops it first). The seed ends with ANALYZE (app/services/maintenance.py), and so does the
world after its round: the benchmark's server runs no autovacuum. The database is the
benchmark's own (``talentmatch_load`` by default), never ``test``, which CI and the test suite
use.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from app import create_app
from app.db import get_engine, get_session
from app.models import (
    CompanyContact,
    Consent,
    ConsentGiver,
    MatchProposal,
    MatchRound,
    Placement,
    ProposalStatus,
    StudentProfile,
    User,
)
from app.services import bootstrap, candidates, offers, review
from app.services.matching import Scope, run_matching

try:
    from app.services import maintenance
except ImportError:  # a checkout from before issue 20, loaded as the load test's baseline
    maintenance = None

PASSWORD = "talentmatch-load"  # noqa: S105 - a benchmark's scratch accounts
ROLES = {
    "student": "student@talentmatch.example",
    "counsellor": "counsellor@talentmatch.example",
    "coordinator": "coordinator@talentmatch.example",
    "company": "company@talentmatch.example",
    "admin": "admin@talentmatch.example",
}
CANDIDATES = 40  # at most this many candidates sent to the demo company


def ensure_database(url: str, *, fresh: bool) -> None:
    """Creates the database named in ``url`` on its server when it does not exist yet."""
    target = make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        if fresh:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                              {"name": target.database}).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def _app(url: str) -> Flask:
    return create_app({"TALENTMATCH_ENV": "testing", "SECRET_KEY": "load-test-world",
                       "DATABASE_URL": url})


def prepare(url: str, *, students: int, placements: int, fresh: bool = False) -> str:
    """Migrates, seeds, runs a round and moves proposals along, as far as not done yet.
    Returns what it did, for the report."""
    ensure_database(url, fresh=fresh)
    app = _app(url)
    done = []
    with app.test_request_context():  # the services' messages are translated
        bootstrap.init_db(engine=get_engine())
        session = get_session()
        if bootstrap.is_empty(session=session):
            started = time.perf_counter()
            _seed(session, students=students, placements=placements)
            done.append(f"seeded {students:,} students and {placements:,} placements "
                        f"in {time.perf_counter() - started:.0f} s")
        if session.exec(select(MatchRound)).first() is None:
            started = time.perf_counter()
            round_ = run_matching(session=session, scope=Scope(), actor=None, seed=20)
            moved = _move_along(session)
            done.append(f"round {round_.id}: {round_.summary['students_proposed']:,} "
                        f"proposals; {moved} in {time.perf_counter() - started:.0f} s")
            # The seed gathered statistics before the round wrote its proposals; gather them
            # again, as autovacuum would (it is off on the benchmark's server). Code from
            # before issue 20 (a baseline checkout) has no such step, and runs none.
            if maintenance is not None:
                maintenance.analyze(session=session)
        session.close()
    return "; ".join(done) or "reused as it was"


def _seed(session: Session, *, students: int, placements: int) -> None:
    import seeds  # only the benchmark's world needs the generator
    from app.services.accounts import hash_password

    seeds.generate(session, students=students, placements=placements, seed=2026,
                   password_hash=hash_password(PASSWORD), as_of=date.today())


def _user(session: Session, email: str) -> User:
    return session.exec(select(User).where(User.email == email)).one()


def _move_along(session: Session) -> str:
    """The demo company's candidates (half of the under-16s with consent), the demo student's
    offer, and a few company answers; the counsellor's queue stays as the round left it."""
    admin = _user(session, ROLES["admin"])
    company_user = _user(session, ROLES["company"])
    company_ids = session.exec(select(CompanyContact.company_id).where(
        CompanyContact.user_id == company_user.id)).all()
    proposals = session.exec(
        select(MatchProposal).join(Placement, col(Placement.id) == MatchProposal.placement_id)
        .where(col(Placement.company_id).in_(company_ids),
               MatchProposal.status == ProposalStatus.proposed)
        .order_by(col(MatchProposal.id))).all()[:CANDIDATES]
    sent = 0
    for i, proposal in enumerate(proposals):
        student = session.get(StudentProfile, proposal.student_id)
        owner = session.get(User, student.user_id) if student and student.user_id else None
        if owner is None:
            continue
        if i % 2 == 0:
            session.add(Consent(student_id=student.id, given_by=ConsentGiver.parent,
                                given_by_name="Ouder", recorded_by_id=admin.id))
            session.commit()
        review.approve(session=session, proposal=proposal, actor=admin)
        offers.student_accept(session=session, proposal=proposal, actor=owner)
        sent += proposal.status is ProposalStatus.sent_to_company
    answered = _company_answers(session, company_user, company_ids)
    _demo_student_offers(session, admin, company_user, company_ids)
    return f"{sent} candidates sent to the demo company, {answered} answered"


def _company_answers(session: Session, company_user: User, company_ids) -> int:
    waiting = session.exec(
        select(MatchProposal).join(Placement, col(Placement.id) == MatchProposal.placement_id)
        .where(col(Placement.company_id).in_(company_ids),
               MatchProposal.status == ProposalStatus.sent_to_company)
        .order_by(col(MatchProposal.id))).all()
    for proposal in waiting[: len(waiting) // 3]:
        candidates.company_accept(session=session, proposal=proposal, actor=company_user)
    # One deadline a year away, so the lapse check has an offer to look at and leave alone.
    for proposal in waiting[len(waiting) // 3:]:
        proposal.company_deadline = date.today() + timedelta(days=365)
        session.add(proposal)
    session.commit()
    return len(waiting) // 3


def _demo_student_offers(session: Session, admin: User, company_user: User,
                         company_ids) -> None:
    """Two proposals for the demo student, who may have got none in the round (places run
    out): at the demo company's placements, made like another student's proposal there. The
    first goes all the way to the company's yes (their home page lists it), the second waits
    for the student's answer (their proposals page asks for it)."""
    student = session.exec(select(StudentProfile).join(User, col(User.id) ==
                                                       StudentProfile.user_id)
                           .where(User.email == ROLES["student"])).one()
    owner = session.get(User, student.user_id)
    models = session.exec(
        select(MatchProposal).join(Placement, col(Placement.id) == MatchProposal.placement_id)
        .where(col(Placement.company_id).in_(company_ids),
               MatchProposal.student_id != student.id,
               col(Placement.places_taken) < col(Placement.capacity))
        .order_by(col(MatchProposal.id))).all()
    seen, made = set(), []
    for model in models:
        if model.placement_id in seen or len(made) == 2:
            continue
        seen.add(model.placement_id)
        copy = MatchProposal(
            round_id=model.round_id, student_id=student.id, placement_id=model.placement_id,
            score=model.score, components=model.components, shared_themes=model.shared_themes,
            explanation=model.explanation, explanation_parts=model.explanation_parts,
            distance_km=model.distance_km)
        session.add(copy)
        session.commit()
        review.approve(session=session, proposal=copy, actor=admin)
        made.append(copy)
    session.add(Consent(student_id=student.id, given_by=ConsentGiver.parent,
                        given_by_name="Ouder", recorded_by_id=admin.id))
    session.commit()
    offers.student_accept(session=session, proposal=made[0], actor=owner)
    candidates.company_accept(session=session, proposal=made[0], actor=company_user)
