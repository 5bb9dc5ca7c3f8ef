"""A browser over urllib: cookies, the session's CSRF token, forms filled as a person does, and
requests released together from threads."""

from __future__ import annotations

import copy
import re
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar

from benchmarks.probe import ProbeError
from tests.crawl import Form, read_page

TIMEOUT = 60  # seconds for one request; a worker killed on its own timeout answers nothing


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


def posted(page: Answer, base: str, action: str, **typed: str) -> dict[str, str]:
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


def status_counts(counter: Counter) -> str:
    """Answers counted by status, as the figures show them."""
    return "{" + ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(counter.items())) + "}"
