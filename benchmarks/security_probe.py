"""The issue 17 probe, from scratch, against gunicorn: races, a fuzzer, erasure and headers.

    .venv/bin/python benchmarks/security_probe.py [--database sqlite|postgresql|both] [--runs 3]
        [--workers 4] [--fuzz-requests 1500] [--crawl-pages 120] [--seed 17]

For each database a fresh one is made (an SQLite file in a scratch folder, or a scratch
PostgreSQL database that is dropped afterwards), migrated as ``talentmatch init-db`` does and
filled with a small world (tests/factories.py, one known password hashed once). Then
``gunicorn -w N "app:create_app()"`` serves it in production mode (CSRF on, Redis as the
login throttle's storage) and everything below goes over HTTP, logged in as a browser is:

1. races, each ``--runs`` times on fresh proposals, all requests of a race released together:
   a company's decline of one candidate sent 10 times while both places of the placement are
   held, then two more students saying yes to it at once; a company's accept and decline of one
   candidate sent at once (5 of each); 8 students clicking "yes" 5 times each on a placement
   with 3 places. After each run the database is counted: students holding a place against
   capacity, ``places_taken`` against the holders, decision-log rows per proposal;
2. ``talentmatch check`` on the database;
3. the security headers of each role's personal pages and of the public ones;
4. erasure: a student with a dream job, a pin note, company feedback, notifications and
   e-mails naming her asks to be deleted, her counsellor carries it out on the website, and
   every text column of every table is searched for what identified her;
5. a fuzzer: each role crawls what it can reach and posts one or two odd values among
   sensible ones to every form found (the CSRF token kept valid), sends odd query values and
   odd ids; answers are counted by status. A fixed seed makes runs repeatable.

The figures issue 17 asks for: 0 overbookings, 0 drift and 0 double logs in every race, 0
answers of 500, 0 traces of the student after erasure and no missing header. The exit code is
1 when any figure is not that (2 when the probe could not run, e.g. gunicorn is missing).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib.util
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file, not with -m: the checkout's packages first
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_babel import force_locale  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session, func, select  # noqa: E402
from werkzeug.exceptions import MethodNotAllowed, NotFound  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from app.db import dispose_engine, get_engine  # noqa: E402
from app.models import (  # noqa: E402
    Company,
    DecisionLog,
    MatchProposal,
    PinKind,
    Placement,
    ProposalStatus,
    School,
    StudentProfile,
    TalentObservation,
    Theme,
    User,
    utcnow,
)
from app.models.lifecycle import HOLDS_PLACE  # noqa: E402
from app.services import bootstrap, matching, notifications  # noqa: E402
from benchmarks.environment import print_environment  # noqa: E402
from matching.taxonomy import load_themes  # noqa: E402
from tests import factories  # noqa: E402
from tests.crawl import ODD_VALUES, Form, read_page, same_site  # noqa: E402

S = ProposalStatus
PASSWORD = "probe-" + secrets.token_hex(8)
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS_URI = "redis://127.0.0.1:6379"
TIMEOUT = 60  # seconds for one request; a worker killed on its own timeout answers nothing
FUZZ_ROLES = ("student", "company", "coordinator", "counsellor", "admin")
# Forms that end the session or take something away go last in each round (as in
# tests/app/test_fuzz_every_form.py); after one of them the role logs in again.
ENDING = ("logout", "anonymise", "privacy", "delete", "remove", "withdraw", "close", "password")
PAGES_PER_ENDPOINT = 2
ODD_IDS = ("0", "2147483647", "2147483648", "99999999999999999999")
ALWAYS = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
          "Referrer-Policy", "Permissions-Policy")


# -- a browser over urllib ----------------------------------------------------------------------

@dataclass
class Answer:
    status: int                      # 0: no answer at all (connection reset, timeout)
    headers: dict[str, str]
    body: str = ""
    error: str = ""

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path

    @property
    def html(self) -> bool:
        return self.headers.get("content-type", "").startswith("text/html")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302 is an answer to count, not to follow
        return None


class _Submits(HTMLParser):
    """The named submit input of each form (a browser posts the button it clicked; the
    crawl reader leaves them out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.action = ""
        self.found: dict[str, tuple[str, str]] = {}

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = urllib.parse.urlsplit(a.get("action", "")).path
        elif (tag == "input" and a.get("type") == "submit" and a.get("name")
              and self.action not in self.found):
            self.found[self.action] = (a["name"], a.get("value", ""))


class Browser:
    """One person's browser: a cookie jar, the CSRF token of its session, no redirects
    followed (each answer is counted as it comes)."""

    def __init__(self, base: str, email: str = "") -> None:
        self.base, self.email = base, email
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.csrf = ""
        self.logins = 0

    def clone(self) -> Browser:
        """Another tab of the same browser session (same cookies, its own connection)."""
        other = Browser(self.base, self.email)
        for cookie in self.jar:
            other.jar.set_cookie(copy.copy(cookie))
        other.csrf = self.csrf
        return other

    def prepare(self, method: str, path: str, values=None, files=None) -> urllib.request.Request:
        data, headers = None, {}
        if method == "POST":
            if files:
                data, kind = _multipart(values or {}, files)
            else:
                data = urllib.parse.urlencode(values or {}, doseq=True).encode()
                kind = "application/x-www-form-urlencoded"
            headers["Content-Type"] = kind
        # The base is always the probe's own http://127.0.0.1 server.
        return urllib.request.Request(self.base + path, data=data,  # noqa: S310
                                      method=method, headers=headers)

    def send(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                answer = _answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            with error:
                answer = _answer(error.code, error.headers, error.read())
        except (OSError, urllib.error.URLError) as error:
            return Answer(0, {}, error=f"{type(error).__name__}: {error}")
        if answer.html:
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', answer.body)
            if token:
                self.csrf = token.group(1)
        return answer

    def get(self, path: str) -> Answer:
        return self.send(self.prepare("GET", path))

    def post(self, path: str, values=None, files=None) -> Answer:
        return self.send(self.prepare("POST", path, values, files))

    def login(self, password: str) -> bool:
        """As a person does: the login page, its form, e-mail, password and CSRF token."""
        self.jar.clear()
        page = self.get("/login")
        form = _form(page, "/login", "/login")
        if form is None:
            return False
        values = {name: f.value for name, f in form.fields.items() if f.kind == "hidden"}
        values.update(email=self.email, password=password)
        answer = self.post("/login", values)
        self.logins += 1
        if answer.status != 302 or answer.location.startswith("/login"):
            return False
        return self.get("/home").status == 200 and bool(self.csrf)


def _answer(status: int, headers, raw: bytes) -> Answer:
    plain = {k.lower(): v for k, v in headers.items()}
    text = raw.decode("utf-8", "replace") if plain.get("content-type", "").startswith(
        "text/") else ""
    return Answer(status, plain, text)


def _multipart(values: dict, files: dict[str, tuple[bytes, str]]) -> tuple[bytes, str]:
    boundary = "----probe" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{item}\r\n".encode())
    for name, (content, filename) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                     + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _form(page: Answer, base: str, action: str) -> Form | None:
    """The POST form on ``page`` whose action is ``action``."""
    if not page.html:
        return None
    for form in read_page(page.body, base).forms:
        if form.method == "post" and form.path == action:
            return form
    return None


def _posted(page: Answer, base: str, action: str, **typed: str) -> dict[str, str]:
    """What the browser sends for the form ``action`` on ``page``: its hidden inputs (the CSRF
    token), the submit button, and what the person typed."""
    form = _form(page, base, action)
    if form is None:
        raise ProbeError(f"no form posting to {action} on {base} (answer {page.status})")
    values = {name: f.value for name, f in form.fields.items()
              if f.kind in ("hidden", "submit")}
    submits = _Submits()
    submits.feed(page.body)
    if action in submits.found:
        name, value = submits.found[action]
        values[name] = value
    values.update(typed)
    return values


def at_once(calls: list[tuple[Browser, str, dict]]) -> list[Answer]:
    """POSTs each (browser, path, values) from its own thread, all released together."""
    barrier = threading.Barrier(len(calls))
    answers: list[Answer] = [Answer(0, {}, error="not sent")] * len(calls)

    def run(i: int, browser: Browser, path: str, values: dict) -> None:
        request = browser.prepare("POST", path, values)
        try:
            barrier.wait(timeout=TIMEOUT)
        except threading.BrokenBarrierError:
            return
        answers[i] = browser.send(request)

    threads = [threading.Thread(target=run, args=(i, b.clone(), p, v))
               for i, (b, p, v) in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


class ProbeError(RuntimeError):
    """The probe itself could not go on (not a figure of the app)."""


# -- the database and the server ------------------------------------------------------------------

@contextlib.contextmanager
def fresh_database(kind: str, folder: Path, server: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'probe.sqlite3'}"
        return
    name = f"talentmatch_probe_{secrets.token_hex(4)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _redis_state() -> str:
    with socket.socket() as probe:
        probe.settimeout(2)
        try:
            probe.connect(("127.0.0.1", 6379))
        except OSError:
            return "NOT reachable: the login throttle fails open"
    return "reachable"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TALENTMATCH_ENV="production", SECRET_KEY=secrets.token_hex(32), DATABASE_URL=url,
               SESSION_COOKIE_SECURE="false", REMEMBER_COOKIE_SECURE="false",
               RATELIMIT_STORAGE_URI=REDIS_URI)
    # RATELIMIT_KEY_PREFIX is not read from the environment (app/config.py ENV_VARS); the
    # probe's accounts get e-mail addresses of their own per run instead, so throttle counts
    # of an earlier run never meet them.
    return env


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b",
               f"127.0.0.1:{port}", "app:create_app()"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,  # noqa: S603
                                   stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while Browser(base).get("/healthz").status != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise ProbeError("gunicorn did not answer /healthz:\n"
                                 + log.read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def talentmatch_check(env: dict[str, str]) -> tuple[int, str]:
    entry = Path(sys.executable).with_name("talentmatch")
    command = [str(entry)] if entry.exists() else [
        sys.executable, "-c", "from app.cli import main; main()"]
    done = subprocess.run([*command, "check"], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=300, check=False)
    said = " | ".join(line for line in (done.stdout + done.stderr).splitlines() if line.strip())
    return done.returncode, said


# -- the world ----------------------------------------------------------------------------------

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
    """The tests' world (two regions, each role), themes, and something in every state of the
    road, so that every form shows up somewhere for the fuzzer."""
    with probe.db() as session:
        session.add_all(Theme(slug=t.slug, label_nl=t.label_nl, label_en=t.label_en,
                              synonyms=list(t.synonyms), esco_codes=list(t.esco_codes),
                              technical=t.technical) for t in load_themes())
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
    return browser, path, _posted(page, "/me/proposals/", path)


# -- the races ----------------------------------------------------------------------------------

@dataclass
class RaceFigures:
    name: str
    runs: int = 0
    overbookings: int = 0
    drift: int = 0
    double_logs: int = 0
    unexpected: list[str] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        broken = any(status >= 500 or status == 0 for status in self.answers)
        return not (self.overbookings or self.drift or self.double_logs or self.unexpected
                    or broken)

    def line(self) -> str:
        shown = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return (f"race {self.name}: runs {self.runs}, overbookings {self.overbookings}, "
                f"drift {self.drift}, double logs {self.double_logs}, unexpected "
                f"{len(self.unexpected)} (answers {_statuses(self.answers)}; {shown})")


@dataclass
class Counted:
    status: dict[int, ProposalStatus]
    logs: dict[int, list[str]]


def count_race(probe: Probe, figures: RaceFigures, placement_id: int,
               proposal_ids: list[int]) -> Counted:
    """Holders against capacity, places_taken against holders, log rows per proposal."""
    with probe.db() as session:
        placement = session.get(Placement, placement_id)
        proposals = session.exec(select(MatchProposal).where(
            MatchProposal.placement_id == placement_id)).all()
        flagged = sum(p.holds_place for p in proposals)
        by_status = sum(p.status in HOLDS_PLACE for p in proposals)
        if max(flagged, by_status) > placement.capacity:
            figures.overbookings += 1
        figures.drift += (placement.places_taken != flagged) + sum(
            p.holds_place != (p.status in HOLDS_PLACE) for p in proposals)
        logs: dict[int, list[str]] = {pid: [] for pid in proposal_ids}
        for entry in session.exec(select(DecisionLog).where(
                DecisionLog.proposal_id.in_(proposal_ids)).order_by(DecisionLog.id)).all():
            logs[entry.proposal_id].append(entry.action)
        figures.double_logs += sum(n - 1 for log in logs.values()
                                   for n in Counter(log).values() if n > 1)
        return Counted({p.id: p.status for p in proposals}, logs)


def race_company_decline(probe: Probe, figures: RaceFigures) -> None:
    """Both places held; the company's decline of one candidate sent 10 times at once; then
    two more students say yes at once: one of them gets the freed place, the other waits."""
    placement, made = offered(probe, capacity=2, count=4, name="Racea")
    (first, first_user), (other, other_user), *late = made
    for proposal_id, user_id in ((first, first_user), (other, other_user)):
        browser, path, values = say_yes(probe, proposal_id, user_id)
        browser.post(path, values)
    company = probe.browser(probe.users["company"])
    page = company.get(f"/candidates/{first}")
    path = f"/candidates/{first}/decline"
    values = _posted(page, f"/candidates/{first}", path, reason="Helaas, we zitten vol.")
    answers = at_once([(company, path, values)] * 10)
    answers += at_once([say_yes(probe, pid, uid) for pid, uid in late])
    figures.answers.update(a.status for a in answers)
    counted = count_race(probe, figures, placement, [p for p, _u in made])
    late_status = sorted(counted.status[p].value for p, _u in late)
    figures.outcomes[f"late yes: {' + '.join(late_status)}"] += 1
    if counted.logs[first] != ["student_accept", "send_to_company", "company_decline"]:
        figures.unexpected.append(f"declined candidate's log {counted.logs[first]}")
    if counted.status[other] is not S.sent_to_company:
        figures.unexpected.append(f"the other candidate is {counted.status[other]}")
    if late_status != ["sent_to_company", "student_accepted"]:
        figures.unexpected.append(f"the two late yeses ended {late_status}")


def race_company_answers(probe: Probe, figures: RaceFigures) -> None:
    """Accept and decline of one candidate sent at once by the company, 5 of each."""
    placement, [(proposal, user)] = offered(probe, capacity=2, count=1, name="Raceb")
    browser, path, values = say_yes(probe, proposal, user)
    browser.post(path, values)
    company = probe.browser(probe.users["company"])
    base = f"/candidates/{proposal}"
    page = company.get(base)
    accept = (company, f"{base}/accept", _posted(page, base, f"{base}/accept"))
    decline = (company, f"{base}/decline",
               _posted(page, base, f"{base}/decline", reason="Helaas, we zitten vol."))
    answers = at_once([accept, decline] * 5)
    figures.answers.update(a.status for a in answers)
    counted = count_race(probe, figures, placement, [proposal])
    answer = counted.logs[proposal][2:]
    figures.outcomes[f"answer {'+'.join(answer) or 'none'}"] += 1
    if answer not in (["company_accept"], ["company_decline"]):
        figures.unexpected.append(f"the company's answers logged {answer}")


def race_student_yes(probe: Probe, figures: RaceFigures) -> None:
    """8 students click "yes" 5 times each at once on a placement with 3 places."""
    placement, made = offered(probe, capacity=3, count=8, name="Racec")
    calls = [say_yes(probe, pid, uid) for pid, uid in made]
    answers = at_once([call for call in calls for _click in range(5)])
    figures.answers.update(a.status for a in answers)
    counted = count_race(probe, figures, placement, [p for p, _u in made])
    sent = sum(counted.status[p] is S.sent_to_company for p, _u in made)
    figures.outcomes[f"sent {sent} of 8"] += 1
    for proposal, _u in made:
        log = counted.logs[proposal]
        if log not in (["student_accept"], ["student_accept", "send_to_company"]):
            figures.unexpected.append(f"proposal {proposal} logged {log}")
    if sent != 3:
        figures.unexpected.append(f"{sent} of 8 sent to a placement with 3 places")


RACES: tuple[tuple[str, Callable[[Probe, RaceFigures], None]], ...] = (
    ("company-decline x10 then 2 yes", race_company_decline),
    ("company accept+decline x5+x5", race_company_answers),
    ("student-yes 8x5 on 3 places", race_student_yes),
)


# -- headers ------------------------------------------------------------------------------------

def header_problems(answer: Answer, logged_in: bool) -> list[str]:
    found = answer.headers
    problems = [name for name in ALWAYS if not found.get(name.lower())]
    policy = found.get("content-security-policy", "")
    if "unsafe-inline" in policy:
        problems.append("CSP allows 'unsafe-inline'")
    if policy and "frame-ancestors 'none'" not in policy:
        problems.append("CSP lacks frame-ancestors 'none'")
    if found.get("x-content-type-options", "nosniff") != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    if logged_in and "no-store" not in found.get("cache-control", ""):
        problems.append("Cache-Control no-store")
    return problems


def check_headers(probe: Probe) -> tuple[int, list[str]]:
    student, candidate = probe.ids["student"], probe.ids["candidate"]
    pages = {
        None: ["/login", "/healthz", "/no-such-page"],
        "student": ["/home", "/me/profile", "/me/proposals/", "/me/privacy", "/notifications/"],
        "counsellor": ["/home", "/review/", "/review/students", f"/students/{student}",
                       "/students/deletions", "/matching/"],
        "company": ["/home", "/candidates/", f"/candidates/{candidate}",
                    f"/placements/{probe.ids['placement']}"],
        "coordinator": ["/home", "/monitor/", "/fairness/", "/group-events/"],
        "admin": ["/home", "/review/", f"/students/{student}", "/monitor/"],
    }
    expected = {"/no-such-page": 404}
    answers, missing = 0, []
    for role, paths in pages.items():
        browser = Browser(probe.base) if role is None else probe.browser(probe.users[role])
        for path in paths:
            answer = browser.get(path)
            answers += 1
            if answer.status != expected.get(path, 200):
                missing.append(f"{role or 'anonymous'} {path}: answered {answer.status}")
            missing += [f"{role or 'anonymous'} {path}: {p}"
                        for p in header_problems(answer, logged_in=role is not None)]
    return answers, missing


# -- erasure ------------------------------------------------------------------------------------

FIRST, LAST = "Zoraida", "Quintelmeijer"
NUMBER, POSTCODE, DREAM = "ERA-77431", "7001", "dronepiloot bij de brandweer"


def _free_postcode(probe: Probe) -> str:
    """A postcode no text holds yet: four digits turn up in ids and hashes by chance."""
    with probe.db() as session:
        texts = [value for _t, _c, value in text_values(session)]
    for candidate in [POSTCODE, *(str(n) for n in range(7002, 7100))]:
        pattern = re.compile(rf"(?<![0-9A-Za-z]){candidate}(?![0-9A-Za-z])")
        if not any(pattern.search(text) for text in texts):
            return candidate
    raise ProbeError("no free postcode for the erasure subject")


def text_columns(engine: sa.Engine) -> list[tuple[str, list[str]]]:
    """Every column of every table that can hold text (strings, enums, JSON), by inspection."""
    inspector = sa.inspect(engine)
    found = []
    for table in sorted(inspector.get_table_names()):
        names = []
        for column in inspector.get_columns(table):
            try:
                kind = column["type"].python_type
            except NotImplementedError:  # JSON and the like: text inside
                kind = str
            if kind in (str, dict, list):
                names.append(column["name"])
        if names:
            found.append((table, names))
    return found


def text_values(session: Session) -> Iterator[tuple[str, str, str]]:
    for table, columns in text_columns(session.get_bind()):
        quoted = ", ".join(f'"{c}"' for c in columns)
        for row in session.execute(sa.text(f'SELECT {quoted} FROM "{table}"')):  # noqa: S608
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                yield table, column, text


def traces(session: Session, terms: dict[str, re.Pattern]) -> list[str]:
    return [f"{table}.{column} holds the {what}"
            for table, column, text in text_values(session)
            for what, pattern in terms.items() if pattern.search(text)]


def erasure(probe: Probe) -> tuple[int, int, list[str]]:
    """Returns (text columns searched, mentions before, traces after)."""
    postcode = _free_postcode(probe)
    counsellor = probe.users["counsellor"]
    with probe.db() as session:
        school = session.get(School, probe.ids["school"])
        company = session.get(Company, probe.ids["company"])
        subject = factories.make_student(session, school, password_hash=probe.password_hash,
                                         first_name=FIRST)
        subject.last_name, subject.student_number = LAST, NUMBER
        subject.postcode, subject.dream_job = postcode, DREAM
        subject.interests_text = f"Ik ben {FIRST} en ik bouw drones."
        user = session.get(User, subject.user_id)
        user.email = f"{FIRST}.{LAST}@{probe.tag}.example".lower()
        user.display_name = f"{FIRST} {LAST}"
        factories.give_consent(session, subject).given_by_name = f"ouder van {FIRST} {LAST}"
        observation = TalentObservation(
            activity_id=session.exec(select(TalentObservation.activity_id)).first(),
            student_id=subject.id, observer_id=counsellor, strength=4,
            skills=f"{FIRST} soldeert heel precies", observed_on=date.today())
        session.add(observation)
        declined, kept, pinned = (factories.make_placement(session, company) for _i in range(3))
        no = factories.make_proposal(session, subject, declined, status=S.offered)
        yes = factories.make_proposal(session, subject, kept, status=S.offered)
        noted = factories.make_proposal(session, subject, pinned, status=S.proposed)
        session.commit()
        matching.set_pin(session=session, student=subject, placement=pinned, kind=PinKind.pin,
                         actor=session.get(User, counsellor),
                         note=f"{FIRST} {LAST} wil hier graag heen")
        ids = {"subject": subject.id, "user": user.id, "no": no.id, "yes": yes.id,
               "noted": noted.id, "email": user.email}

    # Her road on the website: a no with a reason (her counsellor is told, by name), a yes
    # that the company accepts, places, completes and comments on, her own feedback, her
    # counsellor's note, and her deletion request.
    student = probe.browser(ids["user"])
    page = student.get("/me/proposals/")
    path = f"/me/proposals/{ids['no']}/decline"
    student.post(path, _posted(page, "/me/proposals/", path,
                               reason=f"{FIRST} wil liever iets met drones"))
    browser, path, values = say_yes(probe, ids["yes"], ids["user"])
    browser.post(path, values)
    company = probe.browser(probe.users["company"])
    base = f"/candidates/{ids['yes']}"
    for step in ("accept", "placed", "complete"):
        company.post(f"{base}/{step}", _posted(company.get(base), base, f"{base}/{step}"))
    company.post(f"{base}/feedback", _posted(company.get(base), base, f"{base}/feedback",
                                             would_host_again="yes",
                                             comment=f"{FIRST} was geweldig"))
    mine = f"/candidates/mine/{ids['yes']}/feedback"
    student.post(mine, _posted(student.get(mine), mine, mine, would_recommend="yes",
                               learned=f"Ik, {FIRST} {LAST}, leerde solderen"))
    desk = probe.browser(counsellor)
    review = f"/review/{ids['noted']}"
    desk.post(f"{review}/note", _posted(desk.get(review), review, f"{review}/note",
                                        note=f"Gesproken met {FIRST} over drones"))
    student.post("/me/privacy", _posted(student.get("/me/privacy"), "/me/privacy",
                                        "/me/privacy", confirm="y"))

    terms = {what: re.compile(pattern, re.IGNORECASE) for what, pattern in {
        "first name": re.escape(FIRST), "last name": re.escape(LAST),
        "full name": re.escape(f"{FIRST} {LAST}"), "e-mail": re.escape(ids["email"]),
        "student number": re.escape(NUMBER), "dream job": re.escape(DREAM),
        "postcode": rf"(?<![0-9A-Za-z]){postcode}(?![0-9A-Za-z])"}.items()}
    with probe.db() as session:
        before = len(traces(session, terms))
        requested = session.get(StudentProfile, ids["subject"]).deletion_requested_at
    if requested is None:
        raise ProbeError("the student's deletion request did not arrive")
    page = desk.get("/students/deletions")
    path = f"/students/{ids['subject']}/anonymise"
    answer = desk.post(path, _posted(page, "/students/deletions", path))
    with probe.db() as session:
        erased = session.get(StudentProfile, ids["subject"]).anonymised_at is not None
        found = traces(session, terms)
        columns = sum(len(c) for _t, c in text_columns(session.get_bind()))
    if not erased:
        found.append(f"the anonymise form answered {answer.status} and erased nothing")
    return columns, before, found


# -- the fuzzer ---------------------------------------------------------------------------------

@dataclass
class FuzzFigures:
    requests: int = 0
    crawled: int = 0
    forms: int = 0
    relogins: int = 0
    csrf_refused: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    header_gaps: Counter = field(default_factory=Counter)
    csrf_text: str = ""              # the site's answer to a wrong CSRF token
    by_gunicorn: Counter = field(default_factory=Counter)


def _odd(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.5:
        return rng.choice(ODD_VALUES)
    if pick < 0.75:
        return str(rng.randint(-(2**70), 2**70))
    return "".join(chr(rng.randrange(0x300)) for _i in range(rng.randrange(21)))


_BY_NAME = (("postcode", "6901"), ("kvk", "12345678"), ("school_year", "2026-2027"),
            ("website", "https://example.nl"), ("url", "https://example.nl"),
            ("year", "2026-2027"), ("email", "fuzz@example.nl"))


def _sensible(found, rng: random.Random):
    choices = [v for v in [found.value, *found.options] if v]
    if found.kind == "checkbox" or (found.kind == "select" and len(choices) > 1):
        return rng.sample(choices, k=min(len(choices), rng.randint(1, 3))) if choices else []
    if choices:
        return rng.choice(choices)
    if found.kind == "number":
        return "2"
    if found.kind == "date":
        return (date.today() + timedelta(days=30)).isoformat()
    if found.kind == "email":
        return "fuzz@example.nl"
    return next((value for part, value in _BY_NAME if part in found.name), "Fuzz tekst")


def fuzz_values(form: Form, rng: random.Random, csrf: str) -> tuple[dict, dict]:
    """Sensible values with one or two odd ones (sometimes none, sometimes all odd); the CSRF
    token stays the session's own."""
    names = sorted(n for n in form.fields if n != "csrf_token")
    roll = rng.random()
    if not names or roll < 0.1:
        odd: set[str] = set()
    elif roll < 0.2:
        odd = set(names)
    else:
        odd = set(rng.sample(names, k=min(len(names), 1 if roll < 0.65 else 2)))
    values: dict = {}
    files: dict = {}
    for name in names:
        found = form.fields[name]
        if found.kind == "file":
            files[name] = (rng.randbytes(rng.randrange(300)) if name in odd
                           else b"naam;klas\nFuzz;3B\n", "fuzz.csv")
        elif name in odd:
            many = found.kind == "checkbox" or found.kind == "select" and len(found.options) > 1
            values[name] = ([_odd(rng) for _i in range(rng.randint(0, 3))] if many
                            else _odd(rng))
        else:
            values[name] = _sensible(found, rng)
    if "csrf_token" in form.fields:
        values["csrf_token"] = csrf
    return values, files


def _endpoint(adapter, path: str, method: str = "GET") -> str | None:
    try:
        endpoint, _args = adapter.match(urllib.parse.urlsplit(path).path, method=method)
    except (NotFound, MethodNotAllowed):
        return None
    except Exception:  # a redirect (a missing trailing slash): its target is crawled
        return None
    return endpoint


def crawl(probe: Probe, browser: Browser, budget: int, figures: FuzzFigures
          ) -> tuple[list[str], list[Form], set[str]]:
    """The pages this browser reaches by links and filter forms (a few per endpoint), the POST
    forms on them and the query names seen."""
    adapter = probe.app.url_map.bind("localhost")
    start = ["/home"] + sorted(rule.rule for rule in probe.app.url_map.iter_rules()
                               if "GET" in rule.methods and not rule.arguments)
    queue, seen, pages, names = list(start), set(), [], set()
    forms: dict[tuple, Form] = {}
    per_endpoint: Counter = Counter()
    while queue and figures.crawled < budget:
        path = queue.pop(0)
        endpoint = _endpoint(adapter, path)
        if path in seen or endpoint in (None, "static", "auth.set_language"):
            continue
        seen.add(path)
        key = endpoint + ("?" if "?" in path else "")
        if per_endpoint[key] >= PAGES_PER_ENDPOINT:
            continue
        per_endpoint[key] += 1
        answer = browser.get(path)
        figures.crawled += 1
        note(figures, "GET", path, {}, answer, browser.email)
        if answer.status != 200:
            continue
        pages.append(path)
        names.update(k for k, _v in urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
        if not answer.html:
            continue
        page = read_page(answer.body, urllib.parse.urlsplit(path).path)
        for form in page.forms:
            action = same_site(form.action)
            if action is None:
                continue
            if form.method == "get":
                values = {n: f.value or (f.options[0] if f.options else "")
                          for n, f in form.fields.items()}
                names.update(values)
                queue.append(form.path + "?" + urllib.parse.urlencode({**form.query, **values}))
            else:
                target = _endpoint(adapter, form.path, "POST") or form.path
                forms.setdefault((target, tuple(sorted(form.fields))), form)
        queue.extend(link for link in map(same_site, page.links) if link)
    return pages, list(forms.values()), names


def note(figures: FuzzFigures, method: str, path: str, values: dict, answer: Answer,
         who: str) -> None:
    if _from_gunicorn(answer):
        figures.by_gunicorn[answer.status] += 1
    else:
        for gap in header_problems(answer, logged_in=False) if answer.status else []:
            figures.header_gaps[f"{answer.status} {method} {path[:80]}: {gap}"] += 1
    if answer.status >= 500 or answer.status == 0:
        shown = {k: (v[:60] + "...") if isinstance(v, str) and len(v) > 60 else v
                 for k, v in values.items() if k != "csrf_token"}
        figures.failures.append(f"{answer.status or answer.error} {method} {path} as {who} "
                                f"{shown!r}")


def _from_gunicorn(answer: Answer) -> bool:
    """gunicorn's own refusal (a request line over its 4094-byte limit, a bad header): the app
    never saw the request, so its headers cannot be there. A proxy in front answers these in
    production."""
    return (400 <= answer.status < 500 and "content-security-policy" not in answer.headers
            and "<h1><p>" in answer.body)


def fuzz(probe: Probe, budget: int, crawl_budget: int) -> FuzzFigures:
    figures = FuzzFigures(csrf_text=csrf_message(probe.base))
    rng = probe.rng
    per_role = budget // len(FUZZ_ROLES)
    for role in FUZZ_ROLES:
        browser = probe.browser(probe.users[role], fresh=True)
        pages, forms, names = crawl(probe, browser, figures.crawled + crawl_budget, figures)
        posts = [form for form in forms if not _ending(form)]
        endings = [form for form in forms if _ending(form)]
        figures.forms += len(forms)
        names_list = sorted(names) or ["q"]
        odd_ids = [p for p in pages if re.search(r"/\d+(/|$|\?)", p)]
        sent = 0
        while sent < per_role:
            rng.shuffle(posts)
            rng.shuffle(pages)
            targets: list[tuple[str, object]] = []
            for i in range(max(len(posts), len(pages))):
                if i < len(posts):
                    targets.append(("post", posts[i]))
                if i < len(pages):
                    targets.append(("get", pages[i]))
                if odd_ids and i % 4 == 0:
                    targets.append(("id", rng.choice(odd_ids)))
            targets += [("post", form) for form in endings]
            for kind, target in targets:
                if sent >= per_role:
                    break
                answer, ended = _fuzz_one(browser, kind, target, rng, names_list, figures)
                sent += 1
                figures.requests += 1
                figures.statuses[answer.status] += 1
                if ended and not browser.login(PASSWORD):
                    figures.failures.append(f"{role}: could not log in again after "
                                            f"{kind} {getattr(target, 'action', target)}")
                    sent = per_role
                elif ended:
                    figures.relogins += 1
    return figures


def _ending(form: Form) -> bool:
    return any(word in form.path for word in ENDING)


def _fuzz_one(browser: Browser, kind: str, target, rng: random.Random, names: list[str],
              figures: FuzzFigures) -> tuple[Answer, bool]:
    """One request; whether the session ended (a logout, a new password, a lost account)."""
    if kind == "post":
        values, files = fuzz_values(target, rng, browser.csrf)
        path = same_site(target.action) or target.path
        answer = browser.post(path, values, files)
        note(figures, "POST", path, {**values, **files}, answer, browser.email)
        if answer.status == 400 and figures.csrf_text and figures.csrf_text in answer.body:
            figures.csrf_refused += 1
    else:
        parts = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(parts.query))
        if kind == "id":
            path = re.sub(r"/\d+(?=/|$)", lambda _m: "/" + rng.choice(ODD_IDS), parts.path,
                          count=1)
        else:
            path = parts.path
            query.update({name: _odd(rng) for name in rng.sample(names, k=min(
                len(names), rng.randint(1, 3)))})
        path += "?" + urllib.parse.urlencode(query) if query else ""
        answer = browser.get(path)
        note(figures, "GET", path, {}, answer, browser.email)
    ended = answer.status == 302 and answer.location.startswith("/login") or (
        kind == "post" and "logout" in target.path)
    return answer, ended


def csrf_message(base: str) -> str:
    """What the site answers to a form whose CSRF token is wrong (read off the site itself),
    so that the fuzzer can tell such a refusal from the form's own 400."""
    answer = Browser(base).post("/login", {"csrf_token": "wrong", "email": "x@example.nl",
                                           "password": "x"})
    found = re.search(r'<section class="card narrow">\s*<h1>(.*?)</h1>', answer.body, re.S)
    if answer.status != 400 or not found:
        raise ProbeError(f"a wrong CSRF token got {answer.status}, not the expected 400 page")
    return found.group(1).strip()


# -- one database -------------------------------------------------------------------------------

def _statuses(counter: Counter) -> str:
    return "{" + ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(counter.items())) + "}"


def _tracebacks(log: Path, limit: int = 3) -> list[str]:
    """The first few distinct tracebacks (and worker timeouts) in gunicorn's log."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    blocks: list[list[str]] = []
    inside = False
    for line in lines:
        if any(mark in line for mark in ("Exception on ", "WORKER TIMEOUT",
                                         "Error handling request")):
            blocks.append([line])
            inside = True
        elif inside and line.startswith("["):  # the next log record
            inside = False
        elif inside:
            blocks[-1].append(line)
    distinct: dict[str, str] = {}
    for block in blocks:
        last = next((line for line in reversed(block) if line.strip()), block[0])
        distinct.setdefault(last, "\n".join(block))
    return list(distinct.values())[:limit]


def probe_database(kind: str, args, password_hash: str) -> bool:
    folder = Path(tempfile.mkdtemp(prefix=f"security-probe-{kind}-"))
    log = folder / "gunicorn.log"
    ok = True
    try:
        with fresh_database(kind, folder, args.postgres_url) as url:
            shown = url if kind == "postgresql" else "an SQLite file in a scratch folder"
            print(f"\n== database: {kind} ({shown})")
            app = create_app({"DATABASE_URL": url, "TALENTMATCH_ENV": "testing",
                              "SECRET_KEY": "probe-in-process"})
            try:
                with app.app_context():
                    bootstrap.init_db(engine=get_engine())  # as `talentmatch init-db`
                probe = Probe(base="", app=app, password_hash=password_hash,
                              tag=f"probe-{secrets.token_hex(4)}", rng=random.Random(args.seed))
                print(build_world(probe))
                env = server_env(url)
                with gunicorn(env, args.workers, log) as base:
                    probe.base = base
                    print(f"gunicorn: {args.workers} workers (sync) on {base}, "
                          f"TALENTMATCH_ENV=production, CSRF on, rate limits in {REDIS_URI} "
                          f"({_redis_state()})")
                    ok &= run_phases(probe, args, env)
            finally:
                dispose_engine(app)
        problems = _tracebacks(log)
        if problems:
            ok = False
            print(f"gunicorn logged {len(problems)} distinct traceback(s):")
            for block in problems:
                print("    " + block.replace("\n", "\n    "))
    except ProbeError as error:
        print(f"probe could not go on: {error}")
        for block in _tracebacks(log):
            print("    " + block.replace("\n", "\n    "))
        ok = False
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return ok


def run_phases(probe: Probe, args, env: dict[str, str]) -> bool:
    ok = True
    answers, missing = check_headers(probe)
    for name, race in RACES:
        figures = RaceFigures(name)
        for _run in range(args.runs):
            race(probe, figures)
            figures.runs += 1
        print(figures.line())
        for problem in figures.unexpected[:5]:
            print(f"    unexpected: {problem}")
        ok &= figures.ok
    code, said = talentmatch_check(env)
    print(f"talentmatch check after the races: exit {code}: {said}")
    ok &= code == 0
    print(f"headers: {answers} responses, {len(missing)} missing")
    for problem in missing[:10]:
        print(f"    {problem}")
    ok &= not missing
    columns, before, found = erasure(probe)
    print(f"erasure: {len(found)} traces in {columns} text columns "
          f"({before} mentions of the student before her deletion)")
    for problem in found[:10]:
        print(f"    {problem}")
    ok &= not found and before > 0
    figures = fuzz(probe, args.fuzz_requests, args.crawl_pages)
    print(f"fuzz: {figures.requests} requests, statuses {_statuses(figures.statuses)}, "
          f"500s {sum(v for k, v in figures.statuses.items() if k >= 500)} "
          f"(no answer {figures.statuses[0]}; crawl {figures.crawled} pages, "
          f"{figures.forms} forms; CSRF refused {figures.csrf_refused}; "
          f"logged in again {figures.relogins}x; refused by gunicorn itself "
          f"{_statuses(figures.by_gunicorn)}; headers missing on "
          f"{sum(figures.header_gaps.values())} answers of the app)")
    for problem in figures.failures[:10] + list(figures.header_gaps)[:10]:
        print(f"    {problem}")
    ok &= not figures.failures and not figures.header_gaps
    code, said = talentmatch_check(env)
    print(f"talentmatch check after the fuzz: exit {code}: {said}")
    ok &= code == 0
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, default=3, help="repeats of each race")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--fuzz-requests", type=int, default=1500, help="per database")
    parser.add_argument("--crawl-pages", type=int, default=120, help="per role")
    parser.add_argument("--seed", type=int, default=17, help="draws the fuzzer's values")
    parser.add_argument("--postgres-url", default=POSTGRES_SERVER,
                        help="a PostgreSQL server's maintenance database; the probe creates "
                             "and drops a scratch database beside it")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("gunicorn") is None:
        print(f"gunicorn is not installed in {sys.executable}: the probe needs a real "
              "multi-process server. Install it (`.venv/bin/pip install gunicorn`, or the "
              "`prod` extra) and run again.")
        return 2
    from gunicorn import __version__ as gunicorn_version

    print_environment()
    print(f"platform: {platform.platform()}")
    print(f"gunicorn {gunicorn_version}, {args.workers} workers; runs {args.runs}; "
          f"fuzz budget {args.fuzz_requests} per database, seed {args.seed}")
    password_hash = generate_password_hash(PASSWORD)  # once: hashing is slow by design
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    ok = True
    for kind in kinds:
        ok &= probe_database(kind, args, password_hash)
    print("\nresult: " + ("every figure is what issue 17 asks for" if ok
                          else "some figure is NOT what issue 17 asks for (see above)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
