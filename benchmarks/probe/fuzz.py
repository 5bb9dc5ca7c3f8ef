"""The fuzzer: each role crawls what it can reach and posts odd values among sensible ones to
every form found (the CSRF token kept valid), sends odd query values and odd ids."""

from __future__ import annotations

import random
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from werkzeug.exceptions import MethodNotAllowed, NotFound

from benchmarks.probe import ProbeError
from benchmarks.probe.browser import Answer, Browser
from benchmarks.probe.headers import header_problems
from benchmarks.probe.world import PASSWORD, Probe
from tests.crawl import ODD_VALUES, Form, read_page, same_site

FUZZ_ROLES = ("student", "company", "coordinator", "counsellor", "admin")
# Forms that end the session or take something away go last in each round (as in
# tests/app/test_fuzz_every_form.py); after one of them the role logs in again.
ENDING = ("logout", "anonymise", "privacy", "delete", "remove", "withdraw", "close", "password")
PAGES_PER_ENDPOINT = 2
ODD_IDS = ("0", "2147483647", "2147483648", "99999999999999999999")


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
        if not _due(adapter, path, seen, per_endpoint):
            continue
        answer = browser.get(path)
        figures.crawled += 1
        note(figures, "GET", path, {}, answer, browser.email)
        if answer.status != 200:
            continue
        pages.append(path)
        names.update(k for k, _v in urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
        if answer.html:
            page = read_page(answer.body, urllib.parse.urlsplit(path).path)
            _follow(adapter, page, queue, names, forms)
    return pages, list(forms.values()), names


def _due(adapter, path: str, seen: set[str], per_endpoint: Counter) -> bool:
    """Whether the crawl fetches ``path``: an app page not seen yet, its endpoint (with or
    without a query) fetched fewer than PAGES_PER_ENDPOINT times."""
    endpoint = _endpoint(adapter, path)
    if path in seen or endpoint in (None, "static", "auth.set_language"):
        return False
    seen.add(path)
    key = endpoint + ("?" if "?" in path else "")
    if per_endpoint[key] >= PAGES_PER_ENDPOINT:
        return False
    per_endpoint[key] += 1
    return True


def _follow(adapter, page, queue: list[str], names: set[str], forms: dict[tuple, Form]
            ) -> None:
    """Queues a page's filter forms (filled with their first choices) and links; keeps its POST
    forms, one per endpoint and set of fields."""
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
    per_role = budget // len(FUZZ_ROLES)
    for role in FUZZ_ROLES:
        browser = probe.browser(probe.users[role], fresh=True)
        pages, forms, names = crawl(probe, browser, figures.crawled + crawl_budget, figures)
        figures.forms += len(forms)
        _fuzz_role(role, browser, probe.rng, pages, forms, sorted(names) or ["q"], per_role,
                   figures)
    return figures


def _fuzz_role(role: str, browser: Browser, rng: random.Random, pages: list[str],
               forms: list[Form], names_list: list[str], per_role: int,
               figures: FuzzFigures) -> None:
    """``per_role`` requests of one role, in rounds over every form and page it reached; after
    a request that ended the session the role logs in again."""
    posts = [form for form in forms if not _ending(form)]
    endings = [form for form in forms if _ending(form)]
    odd_ids = [p for p in pages if re.search(r"/\d+(/|$|\?)", p)]
    sent = 0
    while sent < per_role:
        for kind, target in _round(rng, posts, pages, odd_ids, endings):
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


def _round(rng: random.Random, posts: list[Form], pages: list[str], odd_ids: list[str],
           endings: list[Form]) -> list[tuple[str, object]]:
    """One round's requests: forms and pages in a fresh order, interleaved, an odd id every
    fourth step, the forms that end the session last."""
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
    return targets


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
