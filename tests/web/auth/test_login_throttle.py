"""Login throttling per account and address: growing delays that never lock out a correct
password from another address, nor a class behind one school address. Time is a clock the
test moves on; nothing sleeps."""

from __future__ import annotations

import uuid

import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from app.config import ConfigError
from app.extensions import limiter
from app.models import Role
from app.services import accounts
from tests import factories
from tests.conftest import PASSWORD

SCHOOL = "192.0.2.10"
HOME = "198.51.100.7"
ATTACKER = "203.0.113.66"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # a whole minute: windows start where the test starts

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# These tests count refusals, not hashing: a cheap hash keeps hundreds of logins quick.
CHEAP_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


@pytest.fixture(autouse=True)
def cheap_unknown_accounts(monkeypatch):
    monkeypatch.setattr(accounts, "_DUMMY_HASH", CHEAP_HASH)


@pytest.fixture
def make_students(session, world):
    def make(count):
        students = [factories.make_user(session, Role.student, password_hash=CHEAP_HASH,
                                        school=world.home.school) for _ in range(count)]
        session.commit()
        return students
    return make


@pytest.fixture
def student(make_students):
    return make_students(1)[0]


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_app(app_config, engine, clock):
    def make(**settings):
        app = create_app({**app_config, "RATELIMIT_ENABLED": True, **settings})
        app.extensions["talentmatch.engine"] = engine
        app.extensions["talentmatch.login_throttle"].clock = clock
        return app
    return make


@pytest.fixture
def throttled_app(make_app):
    return make_app()


def attempt(app, email, password=PASSWORD, address=SCHOOL, client=None):
    client = client or app.test_client()
    return client.post("/login", data={"email": email, "password": password, "next": ""},
                       environ_base={"REMOTE_ADDR": address})


def test_the_throttle_counts_in_the_limiters_storage(throttled_app):
    assert throttled_app.extensions["talentmatch.login_throttle"].storage is limiter.storage


def test_wrong_passwords_from_one_address_never_refuse_the_owner_elsewhere(
        throttled_app, student, clock):
    codes = [attempt(throttled_app, student.email, "guess", ATTACKER).status_code
             for _ in range(12)]
    assert codes[:5] == [401] * 5
    assert 429 in codes  # the guessing itself is throttled ...
    refused = attempt(throttled_app, student.email, address=ATTACKER)
    assert refused.status_code == 429  # ... even a right guess waits there
    # ... but the owner at home logs in at once, without the clock moving on.
    response = attempt(throttled_app, student.email, address=HOME)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")


def test_a_class_behind_one_address_each_with_one_typo_is_never_refused(
        throttled_app, make_students):
    students = make_students(30)
    codes = []
    for student in students:
        codes.append(attempt(throttled_app, student.email, "typo", SCHOOL).status_code)
        codes.append(attempt(throttled_app, student.email, PASSWORD, SCHOOL).status_code)
    assert codes == [401, 302] * 30


def test_a_sweep_from_the_school_address_does_not_lock_out_the_class(
        throttled_app, make_students, clock):
    first, classmate = make_students(2)
    for n in range(70):  # past the 60 failures per address of a minute
        attempt(throttled_app, f"guess{n}@test.example", "guess", SCHOOL)
    # A correct password from the same address is checked and let in.
    assert attempt(throttled_app, first.email).status_code == 302
    # An account failing there now waits from its first failure, a second at first.
    assert attempt(throttled_app, classmate.email, "typo").status_code == 401
    response = attempt(throttled_app, classmate.email)
    assert response.status_code == 429
    assert "Wacht 1 seconde " in response.get_data(as_text=True)
    clock.advance(1)
    assert attempt(throttled_app, classmate.email).status_code == 302


def checked_times(app, clock, email, *, seconds, step):
    """Guesses one account from one address every ``step`` seconds; when each was checked."""
    checked = []
    for _ in range(int(seconds / step)):
        code = attempt(app, email, "guess", ATTACKER).status_code
        assert code in (401, 429)
        if code == 401:
            checked.append(clock.now)
        clock.advance(step)
    return checked


def most_in_a_minute(times):
    return max(sum(1 for t in times if start <= t < start + 60) for start in times)


@pytest.mark.parametrize("before_delay", [5, 100])  # 100: the cap alone, without delays
def test_one_address_guessing_one_account_gets_at_most_ten_checks_a_minute(
        make_app, student, clock, before_delay):
    app = make_app(LOGIN_FAILURES_BEFORE_DELAY=before_delay, LOGIN_MAX_DELAY=20)
    checked = checked_times(app, clock, student.email, seconds=300, step=1)
    assert most_in_a_minute(checked) <= 10
    assert len(checked) > 10  # guessing goes on, slowly: a throttle, not a lock


def test_the_delay_grows_and_a_success_resets_it(throttled_app, student, clock):
    client = throttled_app.test_client()
    client.get("/lang/en")
    for _ in range(5):
        assert attempt(throttled_app, student.email, "guess", client=client).status_code \
            == 401
    waits = []
    for _ in range(4):
        response = attempt(throttled_app, student.email, "guess", client=client)
        assert response.status_code == 429
        waits.append(int(response.headers["Retry-After"]))
        assert f"Wait {waits[-1]} second" in response.get_data(as_text=True)
        clock.advance(waits[-1])
        assert attempt(throttled_app, student.email, "guess", client=client).status_code \
            == 401
    assert waits == [1, 2, 4, 8]
    clock.advance(16)
    assert attempt(throttled_app, student.email, client=client).status_code == 302
    client.post("/logout")
    # Five failures again before any wait, as for a pair that never failed.
    codes = [attempt(throttled_app, student.email, "guess", client=client).status_code
             for _ in range(6)]
    assert codes == [401] * 5 + [429]


def test_the_delay_stops_growing_at_its_cap(make_app, student, clock):
    app = make_app(LOGIN_MAX_DELAY=3, LOGIN_FAILURES_BEFORE_DELAY=1)
    waits = []
    for _ in range(5):
        assert attempt(app, student.email, "guess").status_code == 401
        response = attempt(app, student.email, "guess")
        waits.append(int(response.headers["Retry-After"]))
        clock.advance(waits[-1])
    assert waits == [1, 2, 3, 3, 3]


def test_without_rate_limiting_nothing_is_throttled(app, student):
    codes = [attempt(app, student.email, "guess").status_code for _ in range(15)]
    assert codes == [401] * 15
    assert attempt(app, student.email).status_code == 302


@pytest.mark.parametrize("setting", ["LOGIN_RATE_LIMIT", "LOGIN_RATE_LIMIT_PER_ADDRESS"])
def test_an_unreadable_limit_names_the_setting(app_config, setting):
    with pytest.raises(ConfigError, match=f"{setting} must read like '10 per minute'"):
        create_app({**app_config, setting: "lots"})


def test_workers_sharing_redis_share_the_delays_and_still_let_the_owner_in(
        monkeypatch, make_app, student, clock):
    redis = pytest.importorskip("redis")
    prefix = f"talentmatch-test-{uuid.uuid4().hex}"
    store = redis.Redis.from_url("redis://127.0.0.1:6379")
    # The limiter is one object for every app and keeps the first prefix it is given.
    monkeypatch.setattr(limiter, "_key_prefix", limiter._key_prefix)
    try:
        workers = [make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
                            RATELIMIT_KEY_PREFIX=prefix) for _ in range(2)]
        codes = [attempt(workers[n % 2], student.email, "guess", ATTACKER).status_code
                 for n in range(6)]
        assert codes == [401] * 5 + [429]
        assert list(store.scan_iter(match=f"*{prefix}*"))
        assert attempt(workers[1], student.email, address=ATTACKER).status_code == 429
        assert attempt(workers[0], student.email, address=HOME).status_code == 302
        clock.advance(1)
        assert attempt(workers[1], student.email, address=ATTACKER).status_code == 302
    finally:
        keys = list(store.scan_iter(match=f"*{prefix}*"))
        if keys:
            store.delete(*keys)
        store.close()
