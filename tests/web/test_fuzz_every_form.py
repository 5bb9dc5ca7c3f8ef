"""Property-based, over the whole site: no form and no query parameter answers 500 (issue 17).

For each role the test follows every link that role sees, starting from every page without
parameters, and collects every form on the pages it reaches. Hypothesis then posts generated
values (control characters, numbers beyond any column, dates that do not exist, unknown
choices, 5,000-character texts) to each form, sends them as every query parameter a view reads
(found in the pages' links and filter forms and in the views' source), and puts odd numbers in
every ``<int:...>`` of every route. A 500 surfaces as the exception itself, since the test app
propagates errors.

A coverage test keeps this honest: every route of every blueprint must be reached by the crawl
or the path fuzz, and every route taking a POST by a form the crawl found, so a new page or form
is fuzzed without anyone listing it here.
"""

from __future__ import annotations

import io
import os
import re
from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlmodel import select
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import AnyConverter, IntegerConverter

from app.models import ProposalStatus
from app.models.base import local_today
from tests import factories
from tests.crawl import ODD_VALUES, Form, read_page, same_site
from tests.crawl import Field as FormField
from tests.web.talent_gap.test_talent_gap_page import upcoming

ROLES = ("anonymous", "student", "counsellor", "company", "coordinator", "admin", "observer")
APP_DIR = Path(__file__).resolve().parents[2] / "app"
# Endpoints the crawl does not reach through a page of its own, and why that is right.
NOT_CRAWLED = {
    "static": "files: no parameters but the file name",
    "main.healthz": "for the load balancer: no parameters",
    "jobs.show": "reached by the redirect after starting a round or a large import, and from "
                 "the matching page while a round waits or runs (tests/web/jobs)",
    "jobs.status": "polled by the progress page's script (tests/web/jobs, tests/browser)",
    "integrations.created": "reached by the redirect after making a token, which it shows once "
                            "(tests/web/api_tokens)",
    "profile.app_created": "reached by the redirect after a student makes her own link, which "
                           "it shows once (tests/web/profile/test_apps.py)",
}
# Routes that only take a POST but have no form anywhere: none. Listed here with the reason
# if one is ever added (an API for scripts, say), so the coverage test names it.
NO_FORM: dict[str, str] = {}
# Enough to see a proposal page in each of its states (their forms differ).
PAGES_PER_ENDPOINT = 14
# Six examples per role in the suite; TALENTMATCH_FUZZ_EXAMPLES=200 for a long run. No
# shrinking: a failure lists the requests that failed with their values, and shrinking would
# replay hundreds of requests per step.
FUZZ = settings(max_examples=int(os.environ.get("TALENTMATCH_FUZZ_EXAMPLES", "6")),
                phases=[Phase.explicit, Phase.reuse, Phase.generate], deadline=None,
                derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

odd_text = st.text(st.characters(max_codepoint=0x2FF, exclude_categories=("Cs",)), max_size=20)
odd_value = st.one_of(odd_text, st.sampled_from(ODD_VALUES),
                      st.integers(min_value=-(2**70), max_value=2**70).map(str))


# -- a world with something in every state, so every form shows up somewhere ---------------

def lived_in(app, session, world, password_hash) -> tuple[object, str]:
    """The test world with something in every state, so that each form shows up on some page:
    a proposal in every status, a scout at an activity, a draft and a published group event,
    a notification for everyone, a pin, a deletion request and an open invitation link.
    Returns the scout and the invitation's address."""
    from app.models import ActivityKind, PinKind, Role, TalentObservation, User, utcnow
    from app.services import (
        api_tokens,
        companies,
        group_events,
        matching,
        notifications,
        personal_tokens,
    )
    from app.services.activities import assign_observer

    side = world.home
    scout = factories.make_user(session, Role.observer, password_hash=password_hash,
                                region=side.region)
    for status in ProposalStatus:
        placement = factories.make_placement(session, side.company)
        # A first day: an agreed placement then offers its calendar file.
        placement.starts_on = local_today() + timedelta(days=60)
        student = factories.make_student(session, side.school, password_hash=password_hash,
                                         first_name=f"Kim{status.value[:4]}")
        factories.give_consent(session, student)
        factories.make_proposal(session, student, placement, status=status)
        factories.make_proposal(session, side.student, placement, status=status)
    factories.give_consent(session, side.student)
    side.classmate.deletion_requested_at = utcnow()
    # Talent seen lately and no stated interest: the talent list offers an invitation.
    side.student.interests_text = ""
    observation = session.exec(select(TalentObservation)
                               .where(TalentObservation.student_id == side.student.id)).one()
    observation.observed_on = local_today() - timedelta(days=10)
    session.commit()
    upcoming(session, side)
    with app.test_request_context():
        assign_observer(session=session, activity=side.activity, email=scout.email)
        held_on = local_today() + timedelta(days=30)
        for title in ("Techniekdag", "Open dag"):
            event = group_events.create_event(session=session, user=side.coordinator,
                                              kind=ActivityKind.tech_week, title=title,
                                              held_on=held_on)
            group_events.add_group(session=session, event=event, school_id=side.school.id,
                                   name="3B", size=20)
            group_events.add_host(session=session, event=event, company_id=side.company.id,
                                  capacity=30)
            group_events.run_assignment(session=session, event=event)
        group_events.publish(session=session, event=event)
        matching.set_pin(session=session, student=side.student, placement=side.placement,
                         kind=PinKind.pin, actor=side.counsellor, note="past goed")
        notifications.notify(session=session, users=session.exec(select(User)).all(), kind="test",
                             message=lambda: "Er is nieuws", link="/home")
        # A token for an integration, used once: its page, use log and revoke form.
        api_token, _raw = api_tokens.create_token(
            session=session, creator=side.coordinator, acting_user_id=side.counsellor.id,
            name="Magister", scopes=["students:read"],
            expires_on=local_today() + timedelta(days=30))
        api_tokens.record_token_use(session=session, token=api_token, method="GET",
                                    path="/api/v1/students", status=200)
        # The student's own link (she has consent): her list's switch-off form.
        personal_tokens.create_personal_token(
            session=session, student=side.student_user, name="Mijn planner",
            scopes=["me:read"], expires_on=local_today() + timedelta(days=30))
        token = companies.invite_contact(session=session, company=side.company,
                                         email="nieuw@bedrijf.example",
                                         display_name="Nieuwe Collega").token
        session.commit()
    return scout, f"/invitations/{token}"


def _user(world, role, scout):
    side = world.home
    return {"anonymous": None, "student": side.student_user, "counsellor": side.counsellor,
            "company": side.company_user, "coordinator": side.coordinator,
            "admin": world.admin, "observer": scout}[role]


def _client(app, login, user, session=None):
    """A client logged in as ``user``; with ``session``, as the user is now (a logout or a new
    password gives the account a new session token)."""
    if session is not None and user is not None:
        session.expire(user)
    return app.test_client() if user is None else login(user)


# -- the crawl --------------------------------------------------------------------------------

def _endpoint(app, path: str, method: str = "GET") -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(path.split("?")[0], method=method)
    except (NotFound, MethodNotAllowed):
        return None
    except Exception:  # a redirect (a missing trailing slash): the target is crawled
        return None
    return endpoint


def _start_pages(app) -> list[str]:
    return ["/home"] + sorted(rule.rule for rule in app.url_map.iter_rules()
                              if "GET" in rule.methods and not rule.arguments)


@dataclass
class Crawl:
    pages: dict[str, str]            # endpoint -> the first page of it reached
    forms: list[Form]                # one per (method, endpoint, field names)
    query_names: set[str]            # in links and in filter and search forms


def crawl(app, client, extra=()) -> Crawl:
    """Every page this client reaches by links (a few per endpoint) and the forms on them."""
    pages: dict[str, list[str]] = {}
    forms: dict[tuple[str, str, tuple[str, ...]], Form] = {}
    queue = deque([*_start_pages(app), *extra])
    seen: set[str] = set()
    names: set[str] = set()
    budget_used: dict[str, int] = {}
    while queue:
        path = queue.popleft()
        endpoint = _endpoint(app, path)
        if path in seen or endpoint in (None, "static"):
            continue
        seen.add(path)
        names.update(key for key, _value in parse_qsl(urlsplit(path).query))
        # Searches and filters (a query string) have a budget of their own.
        budget = endpoint + ("?" if "?" in path else "")
        if budget_used.get(budget, 0) >= PAGES_PER_ENDPOINT:
            continue
        budget_used[budget] = budget_used.get(budget, 0) + 1
        pages.setdefault(endpoint, [])
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code >= 400:
            continue
        pages[endpoint].append(path)
        if response.status_code != 200:  # a redirect: its target is a start page or a link
            continue
        if response.mimetype != "text/html":  # a download or JSON: nothing to follow
            continue
        page = read_page(response.get_data(as_text=True), path)
        for form in page.forms:
            if form.method == "get":  # a search or filter: pressed as it stands
                values = {name: f.value or (f.options[0] if f.options else "")
                          for name, f in form.fields.items()}
                queue.append(form.path + "?" + urlencode({**form.query, **values}))
            key = (form.method, _endpoint(app, form.action, form.method.upper()) or form.path,
                   tuple(sorted(form.fields)))
            forms.setdefault(key, form)
        queue.extend(link for link in map(same_site, page.links) if link)
    return Crawl({endpoint: paths[0] for endpoint, paths in pages.items() if paths},
                 list(forms.values()), names)


def query_names_in_source() -> set[str]:
    """Query parameters the views read, found in their source: the crawl sees only those in
    links and filter forms."""
    patterns = (r'_arg\(\s*"(\w+)"', r'request\.(?:args|values)(?:\.get)?[(\[]\s*"(\w+)"',
                r'"(\w+)" (?:not )?in request\.(?:args|values)')
    names: set[str] = set()
    for source in APP_DIR.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for pattern in patterns:
            names.update(re.findall(pattern, text))
    return names


@pytest.fixture
def crawled(app, world, session, password_hash, login):
    scout, invitation = lived_in(app, session, world, password_hash)
    found = {}
    for role in ROLES:
        user = _user(world, role, scout)
        found[role] = crawl(app, _client(app, login, user),
                            extra=[invitation] if user is None else ())
    return scout, found


def test_the_crawl_reaches_every_route_and_a_form_for_every_post(app, crawled):
    _scout, found = crawled
    reached = set(NOT_CRAWLED) | {endpoint for seen in found.values() for endpoint in seen.pages}
    posted = set(NO_FORM) | {_endpoint(app, form.action, "POST")
                             for seen in found.values() for form in seen.forms
                             if form.method == "post"}
    # The JSON API has no pages or forms: its description drives its own probes (docs/api.md).
    rules = [rule for rule in app.url_map.iter_rules() if not rule.endpoint.startswith("api_")]
    not_reached = sorted({rule.endpoint for rule in rules if "GET" in rule.methods}
                         - reached)
    no_form = sorted({rule.endpoint for rule in rules if "POST" in rule.methods} - posted)
    assert (not_reached, no_form) == ([], [])


def test_every_query_parameter_the_views_read_is_found_in_their_source():
    # The source scan is what puts parameters no link or form shows into the fuzz: it must
    # keep finding the ones we know of, whatever helper reads them.
    assert {"status", "scope", "school", "region", "round", "page", "q", "role_model", "year",
            "next", "kind"} <= query_names_in_source()


# -- the fuzz -----------------------------------------------------------------------------

# Forms that end the session or take something away go last, so the rest still find their
# world; each form is posted from a fresh login, so a logout does not end the run.
ENDING = ("logout", "anonymise", "privacy", "delete", "remove", "withdraw", "close")


# A plausible value per kind of input, so that a form with one odd value among sensible ones
# gets past its other checks and the odd value reaches the service and the database.
_BY_NAME = (("postcode", "6901"), ("kvk", "12345678"), ("school_year", "2026-2027"),
            ("website", "https://example.nl"), ("url", "https://example.nl"),
            ("year", "2026-2027"), ("email", "fuzz@example.nl"))


def _sensible(found: FormField) -> str:
    if found.value or found.options:
        return found.value or found.options[0]
    if found.kind == "number":
        return "2"
    if found.kind == "date":
        return (local_today() + timedelta(days=30)).isoformat()
    if found.kind == "email":
        return "fuzz@example.nl"
    return next((value for part, value in _BY_NAME if part in found.name), "Fuzz tekst")


def _field_value(found: FormField, odd: bool):
    if found.kind == "file":
        body = st.binary(max_size=300) if odd else st.just(b"naam;klas\nFuzz;3B\n")
        return st.tuples(body.map(io.BytesIO), st.just("fuzz.csv"))
    choices = [value for value in [found.value, *found.options] if value]
    sensible = st.sampled_from(choices) if choices else st.just(_sensible(found))
    if found.kind == "checkbox" or (found.kind == "select" and len(choices) > 1):
        item = odd_value if odd else sensible
        return st.lists(item, min_size=0 if odd else 1, max_size=3)
    return odd_value if odd else sensible


def _form_values(form: Form, draw) -> dict[str, object]:
    """Sensible values with one or two odd ones (sometimes none, sometimes all odd)."""
    names = sorted(form.fields)
    odd = set(draw(st.one_of(st.sets(st.sampled_from(names), max_size=2),
                             st.just(set(names)))) if names else ())
    return {name: draw(_field_value(form.fields[name], name in odd)) for name in names}


def _path_values(rule, draw) -> dict[str, object]:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = draw(st.one_of(st.integers(0, 50),
                                          st.integers(2**31 - 2, 2**40)))
        elif isinstance(converter, AnyConverter):  # any other word is no route at all
            values[name] = draw(st.sampled_from(sorted(converter.items)))
        else:
            values[name] = draw(odd_text.filter(lambda text: "/" not in text and text.strip()))
    return values


@pytest.mark.parametrize("role", ROLES)
def test_no_form_query_parameter_or_address_answers_500(app, world, session, password_hash,
                                                         login, role):
    scout, invitation = lived_in(app, session, world, password_hash)
    user = _user(world, role, scout)
    client = _client(app, login, user)
    seen = crawl(app, client, extra=[invitation] if user is None else ())
    names = sorted(seen.query_names | query_names_in_source()
                   | {name for form in seen.forms if form.method == "get" for name in form.fields})
    posts = sorted((form for form in seen.forms if form.method == "post"),
                   key=lambda form: (any(word in form.path for word in ENDING), form.path))
    rules = sorted((rule for rule in app.url_map.iter_rules()
                    if rule.arguments and rule.endpoint != "static"), key=lambda rule: rule.rule)
    adapter = app.url_map.bind("localhost")

    sent = []

    @FUZZ
    @given(data=st.data())
    def check(data):
        failures = []
        for path in seen.pages.values():
            query = {**dict(parse_qsl(urlsplit(path).query)),
                     **data.draw(st.dictionaries(st.sampled_from(names), odd_value, max_size=5))}
            response = client.get(urlsplit(path).path, query_string=query)
            if response.status_code >= 500:
                failures.append(("GET", path, query))
        for form in posts:
            _client(app, login, user, session)
            values = _form_values(form, data.draw)
            response = client.post(form.path, query_string=form.query, data=values,
                                   content_type="multipart/form-data")
            if response.status_code >= 500:
                failures.append(("POST", form.action, values))
        for rule in rules:
            path = adapter.build(rule.endpoint, _path_values(rule, data.draw))
            method = "GET" if "GET" in rule.methods else "POST"
            _client(app, login, user, session)
            if client.open(path, method=method).status_code >= 500:
                failures.append((method, path))
        sent.append(len(seen.pages) + len(posts) + len(rules))
        assert failures == []

    check()
    # Shown with -s: the figure quoted for a long run.
    print(f"\n{role}: {len(seen.pages)} pages, {len(posts)} forms, {sum(sent)} requests, no 500")
