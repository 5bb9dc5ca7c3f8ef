"""What the phases share (the server, the database seen in-process, the accounts) and the world
they find there: the tests' factories, something in every state of the road."""

from __future__ import annotations

import contextlib
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from sqlmodel import Session, func, select

from app.db import get_engine
from app.models import (
    Company,
    MatchProposal,
    PinKind,
    ProposalStatus,
    School,
    StudentProfile,
    Theme,
    User,
    utcnow,
)
from app.models.lifecycle import HOLDS_PLACE
from app.services import matching, notifications
from benchmarks.probe import ProbeError
from benchmarks.probe.browser import Browser, posted
from matching.taxonomy import load_themes
from tests import factories

S = ProposalStatus
PASSWORD = "probe-" + secrets.token_hex(8)


@dataclass
class Probe:
    """What the phases share: the server, the database seen in-process, the accounts."""

    base: str
    app: object
    password_hash: str
    tag: str
    rng: random.Random
    users: dict[str, int] = field(default_factory=dict)   # role -> user id
    ids: dict[str, int] = field(default_factory=dict)     # what pages name
    browsers: dict[int, Browser] = field(default_factory=dict)

    @contextlib.contextmanager
    def db(self) -> Iterator[Session]:
        """A session in a request context of the in-process app (services use gettext)."""
        with self.app.test_request_context(), force_locale("nl"), Session(
                get_engine(self.app), expire_on_commit=False) as session:
            yield session

    def retag(self, session: Session) -> None:
        """Every factory address gets this run's domain (see ``server_env``)."""
        session.execute(sa.update(User).where(User.email.like("%@test.example")).values(
            email=func.replace(User.email, "@test.example", f"@{self.tag}.example")))
        session.commit()

    def browser(self, user_id: int, fresh: bool = False) -> Browser:
        """A browser logged in as this user (reused)."""
        if fresh or user_id not in self.browsers:
            with self.db() as session:
                email = session.get(User, user_id).email
            browser = Browser(self.base, email)
            if not browser.login(PASSWORD):
                raise ProbeError(f"could not log in as {email}")
            self.browsers[user_id] = browser
        return self.browsers[user_id]


def build_world(probe: Probe) -> str:
    """The tests' world (two regions, each role), and something in every state of the road,
    so that every form shows up somewhere for the fuzzer. The themes came with the migrations;
    any the taxonomy has and the database lacks are added."""
    with probe.db() as session:
        have = set(session.exec(select(Theme.slug)).all())
        session.add_all(Theme(slug=t.slug, label_nl=t.label_nl, label_en=t.label_en,
                              synonyms=list(t.synonyms), esco_codes=list(t.esco_codes),
                              technical=t.technical) for t in load_themes() if t.slug not in have)
        world = factories.build_world(session, password_hash=probe.password_hash)
        home = world.home
        probe.users = {"student": home.student_user.id, "counsellor": home.counsellor.id,
                       "company": home.company_user.id, "coordinator": home.coordinator.id,
                       "admin": world.admin.id}
        probe.ids = {"school": home.school.id, "company": home.company.id,
                     "student": home.student.id, "placement": home.placement.id}
        factories.give_consent(session, home.student)
        for status in S:
            placement = factories.make_placement(session, home.company, capacity=2)
            other = factories.make_student(session, home.school,
                                           password_hash=probe.password_hash,
                                           first_name=f"Kim{status.value[:4]}")
            factories.give_consent(session, other)
            for student in (other, home.student):
                proposal = factories.make_proposal(session, student, placement, status=status)
                if status in HOLDS_PLACE:  # consistent from the start: check must agree
                    proposal.holds_place = True
                    placement.places_taken += 1
                if status is S.sent_to_company:
                    proposal.sent_to_company_at = utcnow()
                    proposal.company_deadline = date.today() + timedelta(days=10)
                    probe.ids["candidate"] = proposal.id
        home.classmate.deletion_requested_at = utcnow()
        session.commit()
        probe.retag(session)
        matching.set_pin(session=session, student=home.student, placement=home.placement,
                         kind=PinKind.pin, actor=home.counsellor, note="past goed")
        notifications.notify(session=session, users=session.exec(select(User)).all(),
                             kind="probe", message=lambda: "Er is nieuws", link="/home")
        session.commit()
        users = session.exec(select(func.count()).select_from(User)).one()
        students = session.exec(select(func.count()).select_from(StudentProfile)).one()
        proposals = session.exec(select(func.count()).select_from(MatchProposal)).one()
    return f"world: {users} accounts, {students} students, {proposals} proposals (tests' factories)"


def offered(probe: Probe, *, capacity: int, count: int, name: str) -> tuple[int, list[tuple]]:
    """A new placement and ``count`` new students with consent, each offered it."""
    with probe.db() as session:
        company = session.get(Company, probe.ids["company"])
        school = session.get(School, probe.ids["school"])
        placement = factories.make_placement(session, company, capacity=capacity)
        made = []
        for _i in range(count):
            student = factories.make_student(session, school, password_hash=probe.password_hash,
                                             first_name=name)
            factories.give_consent(session, student)
            proposal = factories.make_proposal(session, student, placement, status=S.offered)
            made.append((proposal.id, student.user_id))
        session.commit()
        probe.retag(session)
        return placement.id, made


def say_yes(probe: Probe, proposal_id: int, user_id: int) -> tuple[Browser, str, dict]:
    """The student's browser, the path and the values of the "yes" button of this offer."""
    browser = probe.browser(user_id)
    page = browser.get("/me/proposals/")
    path = f"/me/proposals/{proposal_id}/accept"
    return browser, path, posted(page, "/me/proposals/", path)
