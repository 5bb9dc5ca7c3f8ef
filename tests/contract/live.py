"""A live API to test from outside: a fresh database (an SQLite file or a scratch PostgreSQL
database), migrated and filled with the demo data and one matching round by the commands an
operator runs (through ``docker/entrypoint.sh``, as tests/deploy does), tokens for the demo
counsellor, company contact and coordinator made through the token service, and gunicorn in
production mode serving it all (``web`` of the entrypoint, 2 workers).

Everything after :func:`live_api` yields goes over HTTP. Only this setup reads the database:
to make the tokens (a demo student's own one too), to prepare one candidate for the company
(the story has no student's token, so her "yes" is given here) and to name the objects the
IDOR probes ask for.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask_babel import force_locale
from sqlmodel import Session, col, select

from app import create_app
from app.db import dispose_engine, get_engine
from app.models import (
    API_SCOPES,
    Activity,
    Company,
    CompanyContact,
    MatchProposal,
    MatchRound,
    Participation,
    Placement,
    PlacementStatus,
    ProposalStatus,
    Region,
    School,
    StudentProfile,
    TalentObservation,
    User,
)
from app.models.base import local_today
from app.models.consent import may_show_to_companies
from app.services import api_tokens, offers, personal_tokens, review
from benchmarks.probe.server import POSTGRES_SERVER, fresh_database, server_env
from tests.deploy.processes import Deployment, free_port

ADMIN = "admin@talentmatch.example"
ACCOUNTS = {"counsellor": "counsellor@talentmatch.example",
            "company": "company@talentmatch.example",
            "coordinator": "coordinator@talentmatch.example"}
START_TIMEOUT = 120  # seconds for gunicorn to pass its health check


@dataclass
class LiveApi:
    kind: str                      # sqlite or postgresql
    base: str                      # http://127.0.0.1:PORT
    deployment: Deployment
    tokens: dict[str, str] = field(default_factory=dict)          # role -> raw token
    # role -> objects that account may NOT see, as {kind: [ids]} (the IDOR probes' targets)
    foreign: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    # role -> objects of its own of the same kinds (the probes' control: those do open)
    own: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)                 # what the setup did

    def story_env(self) -> dict[str, str]:
        """What the HTTP-only integration story gets: the address and the tokens."""
        env = {"TALENTMATCH_API_BASE": self.base}
        env.update({f"TALENTMATCH_API_TOKEN_{role.upper()}": raw
                    for role, raw in self.tokens.items()})
        return env


@contextlib.contextmanager
def live_api(kind: str, folder: Path) -> Iterator[LiveApi]:
    with fresh_database(kind, folder, POSTGRES_SERVER) as url:
        env = server_env(url)  # production, a generated SECRET_KEY, the throttle on Redis
        env.update(
            PORT=str(free_port()), WEB_CONCURRENCY="2", MIGRATE_AT_START="false",
            TALENTMATCH_ROLE_FILE=str(folder / "role"),
            # Schemathesis sends a few thousand requests a minute with one token; the limit
            # itself has tests of its own (tests/web/api).
            API_RATE_LIMIT="100000 per minute",
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        env.pop("BROKER_URL", None)  # every task in the web process: no worker to wait for
        deployment = Deployment(folder, env)
        try:
            deployment.run("migrate", "migrate")
            deployment.run("seed", "talentmatch", "seed")  # the demo data `serve` adds
            live = LiveApi(kind=kind, base=deployment.base, deployment=deployment)
            _prepare(live, url)
            deployment.start("web", "web")
            deployment.wait_for("the web's health check", lambda: deployment.healthy("web"),
                                START_TIMEOUT)
            yield live
        finally:
            deployment.stop()


def _prepare(live: LiveApi, url: str) -> None:
    app = create_app({"DATABASE_URL": url, "TALENTMATCH_ENV": "testing",
                      "SECRET_KEY": "contract-setup-in-process"})
    try:
        with app.test_request_context(), force_locale("nl"), Session(
                get_engine(app), expire_on_commit=False) as session:
            users = {role: _user(session, email) for role, email in ACCOUNTS.items()}
            school = session.get(School, users["counsellor"].school_id)
            assert school is not None
            live.deployment.run("round", "talentmatch", "match", "--region",
                                _region_slug(session, school.region_id), "--seed", "22")
            admin = _user(session, ADMIN)
            for role, user in users.items():
                _token, raw = api_tokens.create_token(
                    session=session, creator=admin, acting_user_id=user.id,
                    name=f"contract test: {role}", scopes=API_SCOPES,
                    expires_on=local_today() + timedelta(days=30))
                live.tokens[role] = raw
            live.notes.append(_candidate_for_company(session, users))
            _probe_targets(live, session, users)
            _student_token(live, session)
    finally:
        dispose_engine(app)


def _user(session: Session, email: str) -> User:
    return session.exec(select(User).where(User.email == email)).one()


def _region_slug(session: Session, region_id: int) -> str:
    region = session.get(Region, region_id)
    assert region is not None
    return region.slug


def _company_id(session: Session, user: User) -> int:
    return session.exec(select(CompanyContact.company_id).where(
        CompanyContact.user_id == user.id)).one()


def _candidate_for_company(session: Session, users: dict[str, User]) -> str:
    """One proposal of the round sent to the demo company, as after a student's yes: the
    counsellor approves it and the student accepts it through the services. (The story has
    no student's own token, so it cannot give that yes over HTTP.) The round's other
    proposals stay ``proposed`` for the story's counsellor to decide."""
    counsellor, company = users["counsellor"], _company_id(session, users["company"])
    round_id = session.exec(select(MatchRound.id).order_by(col(MatchRound.id).desc())).first()
    rows = session.exec(
        select(MatchProposal, StudentProfile).join(
            Placement, col(Placement.id) == MatchProposal.placement_id).join(
            StudentProfile, col(StudentProfile.id) == MatchProposal.student_id).where(
            MatchProposal.round_id == round_id, Placement.company_id == company,
            MatchProposal.status == ProposalStatus.proposed,
            col(StudentProfile.user_id).is_not(None))
        .order_by(col(MatchProposal.id))).all()
    for proposal, student in rows:
        if not may_show_to_companies(session=session, student=student, today=local_today()):
            continue
        review.approve(session=session, proposal=proposal, actor=counsellor)
        student_user = session.get(User, student.user_id)
        assert student_user is not None
        offers.student_accept(session=session, proposal=proposal, actor=student_user)
        session.refresh(proposal)
        return (f"round {round_id}: proposal {proposal.id} approved and accepted by its "
                f"student, now {proposal.status.value}")
    return (f"round {round_id}: no proposal at the demo company's placements for a student "
            "it may see; the company has no candidate to answer")


def _probe_targets(live: LiveApi, session: Session, users: dict[str, User]) -> None:
    """For each account, objects of another school, company or region (that the web answers
    404 for), and objects of its own of the same kinds."""
    counsellor, coordinator = users["counsellor"], users["coordinator"]
    company = _company_id(session, users["company"])
    other_school = session.exec(select(School.id).where(
        School.region_id == coordinator.region_id, School.id != counsellor.school_id)
        .order_by(col(School.id))).first()
    away_school = session.exec(select(School.id).where(
        School.region_id != coordinator.region_id).order_by(col(School.id))).first()
    assert other_school is not None and away_school is not None

    def school_family(school_ids: list[int]) -> dict[str, list[int]]:
        students = list(session.exec(select(StudentProfile.id).where(
            col(StudentProfile.school_id).in_(school_ids)).order_by(
            col(StudentProfile.id)).limit(3)).all())
        return {
            "school": school_ids,
            "student": students,
            "participation": _first(session, Participation, Participation.student_id,
                                    school_ids),
            "observation": _first(session, TalentObservation, TalentObservation.student_id,
                                  school_ids),
            "proposal": _first(session, MatchProposal, MatchProposal.student_id, school_ids),
        }

    region = coordinator.region_id
    away_activity = session.exec(select(Activity.id).where(Activity.region_id != region)
                                 .order_by(col(Activity.id))).first()
    home_activity = session.exec(select(Activity.id).where(Activity.region_id == region)
                                 .order_by(col(Activity.id))).first()
    # Placements staff of the region may not see: another region's, and a draft of their own
    # region's (a draft is its company's own business until it is published).
    hidden_placements = list(session.exec(select(Placement.id).join(
        Company, col(Company.id) == Placement.company_id).where(
        (Company.region_id != region) | (Placement.status == PlacementStatus.draft))
        .order_by(col(Placement.status) == PlacementStatus.draft, col(Placement.id))
        .limit(2)).all())
    away_company = session.exec(select(Company.id).where(Company.region_id != region)
                                .order_by(col(Company.id))).first()
    staff_foreign = {"activity": [away_activity] if away_activity else [],
                     "placement": hidden_placements,
                     "company": [away_company] if away_company else []}
    live.foreign["counsellor"] = {**school_family([other_school, away_school]),
                                  **staff_foreign}
    live.own["counsellor"] = {**school_family([counsellor.school_id or 0]),
                              "activity": [home_activity] if home_activity else []}
    live.foreign["coordinator"] = {**school_family([away_school]), **staff_foreign}
    # A coordinator follows the region's schools and activities, not single students (the
    # web's table: another student answers 404 to a coordinator too), so only those open.
    live.own["coordinator"] = {"school": [other_school],
                               "activity": [home_activity] if home_activity else []}

    def placements(where) -> list[int]:
        return list(session.exec(select(Placement.id).join(
            Company, col(Company.id) == Placement.company_id).where(where).order_by(
            col(Placement.id)).limit(1)).all())

    # Another company's placements: an open one in the company's own region, one in another
    # region and one not open (the web answers 404 for each: a company sees only its own).
    others = col(Placement.company_id) != company
    foreign_placements = (
        placements(others & (Company.region_id == coordinator.region_id)
                   & (Placement.status == PlacementStatus.open))
        + placements(others & (Company.region_id != coordinator.region_id))
        + placements(others & (Placement.status != PlacementStatus.open)))
    foreign_proposals = list(session.exec(select(MatchProposal.id).join(
        Placement, col(Placement.id) == MatchProposal.placement_id).where(others)
        .order_by(col(MatchProposal.id)).limit(3)).all())
    live.foreign["company"] = {"placement": foreign_placements, "proposal": foreign_proposals,
                               "company": [away_company] if away_company else [],
                               "activity": [away_activity] if away_activity else [],
                               "student": live.foreign["counsellor"]["student"],
                               "school": [away_school]}
    live.own["company"] = {
        "placement": placements(col(Placement.company_id) == company),
        "company": [company],
        "proposal": list(session.exec(select(MatchProposal.id).join(
            Placement, col(Placement.id) == MatchProposal.placement_id).where(
            Placement.company_id == company,
            MatchProposal.status == ProposalStatus.sent_to_company)).all()),
    }


def _first(session: Session, model, student_column, school_ids: list[int]) -> list[int]:
    return list(session.exec(select(model.id).join(
        StudentProfile, col(StudentProfile.id) == student_column).where(
        col(StudentProfile.school_id).in_(school_ids)).order_by(col(model.id)).limit(2)).all())


def _student_token(live: LiveApi, session: Session) -> None:
    """A demo student's own token, as she makes it on /me/apps, and other students' proposals
    for her probes (an answer to one must be a 404); none when no demo student may make one."""
    rows = session.exec(select(StudentProfile, User).join(
        User, col(User.id) == StudentProfile.user_id).where(
        col(User.is_active), col(StudentProfile.anonymised_at).is_(None))
        .order_by(col(StudentProfile.id))).all()
    chosen = next(((student, user) for student, user in rows
                   if personal_tokens.refusal_for(session=session, user=user) is None), None)
    if chosen is None:
        live.notes.append("no demo student may make her own token: no student probes")
        return
    student, user = chosen
    _token, raw = personal_tokens.create_personal_token(
        session=session, student=user, name="contract test: student", scopes=["me:write"],
        expires_on=local_today() + timedelta(days=30))
    live.tokens["student"] = raw
    # Offered and later ones first: those are what their own students may answer.
    live.foreign["student"] = {"proposal": list(session.exec(select(MatchProposal.id).where(
        MatchProposal.student_id != student.id).order_by(
        col(MatchProposal.status) == ProposalStatus.proposed, col(MatchProposal.id))
        .limit(3)).all())}
    live.own["student"] = {}
