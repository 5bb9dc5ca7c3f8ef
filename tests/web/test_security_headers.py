"""Security headers on every page, no-store for logged-in users, and templates without
anything inline, so the Content-Security-Policy can forbid inline script and style."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app import create_app
from app.models import MatchProposal, ProposalStatus

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, name
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def with_a_proposal(session, world):
    """A waiting proposal, so review and student pages show their full tables."""
    proposal = MatchProposal(student_id=world.home.student.id,
                             placement_id=world.home.placement.id, score=0.7,
                             status=ProposalStatus.proposed, explanation="Past goed.",
                             components={"themes": 0.8})
    session.add(proposal)
    session.commit()
    return proposal


def pages_of(role, world, proposal):
    home = world.home
    return {
        "student": ["/home", "/me/profile", "/me/privacy", "/me/proposals/",
                    "/notifications/", "/account/password"],
        "counsellor": ["/home", "/review/", "/review/students", f"/review/{proposal.id}",
                       f"/students/{home.student.id}", "/activities/",
                       f"/activities/{home.activity.id}", f"/placements/{home.placement.id}",
                       "/matching/", "/talent/", "/group-events/", "/imports/",
                       "/imports/help", f"/schools/{home.school.id}", "/notifications/"],
        "coordinator": ["/home", "/fairness/", "/monitor/", "/companies/",
                        f"/companies/{home.company.id}", "/activities/", "/activities/new",
                        "/group-events/", "/matching/", f"/placements/{home.placement.id}"],
        "company": ["/home", "/candidates/", "/placements/new",
                    f"/placements/{home.placement.id}"],
        "admin": ["/home", "/review/", "/fairness/", "/monitor/", "/students/deletions",
                  "/companies/new", f"/students/{home.student.id}"],
    }[role]


def user_of(role, world):
    return {"student": world.home.student_user, "counsellor": world.home.counsellor,
            "coordinator": world.home.coordinator, "company": world.home.company_user,
            "admin": world.admin}[role]


ROLES = ["student", "counsellor", "coordinator", "company", "admin"]


class InlineFinder(HTMLParser):
    """Collects everything a strict CSP would block: inline scripts, styles and handlers."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in names.items():
            if name == "style":
                self.found.append(f"style= on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")

    handle_startendtag = handle_starttag


def inline_parts(html):
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_inline_finder_catches_what_the_policy_blocks():
    html = ('<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
            '<style>p{}</style><script src="/static/js/review.js"></script>'
            '<a href="javascript:void(0)">b</a><rect onload="y()"/>')
    assert inline_parts(html) == [
        "style= on <p>", "onclick= on <p>", "<script> without src", "<style> element",
        "javascript: URL on <a>", "onload= on <rect>"]


def test_the_login_page_sends_every_security_header(client, world):
    response = client.get("/login")
    assert response.status_code == 200
    assert_security_headers(response)
    assert inline_parts(response.text) == []


def test_static_files_send_the_headers_and_may_be_cached(client, world, login):
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" not in response.headers.get("Cache-Control", "")
    # The same file for everybody: logged in, it is still not marked no-store.
    login(world.home.student_user)
    with client.get("/static/js/theme-picker.js") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("role", ROLES)
def test_personal_pages_of_each_role_send_the_headers_and_no_store(
        role, world, session, login):
    proposal = with_a_proposal(session, world)
    client = login(user_of(role, world))
    for path in pages_of(role, world, proposal):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize("role", ROLES)
def test_pages_of_each_role_have_no_inline_script_style_or_handler(
        role, world, session, login):
    proposal = with_a_proposal(session, world)
    client = login(user_of(role, world))
    for path in pages_of(role, world, proposal):
        response = client.get(path)
        assert response.status_code == 200, path
        assert inline_parts(response.text) == [], path


def test_a_page_the_user_may_not_see_is_not_cached_either(world, login):
    client = login(world.home.student_user)
    response = client.get(f"/students/{world.away.student.id}")
    assert response.status_code in (403, 404)
    assert response.headers["Cache-Control"] == "no-store"
    assert_security_headers(response)


def test_downloads_keep_no_store(world, login):
    client = login(world.home.student_user)
    response = client.get("/me/export.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_after_logging_out_pages_are_no_longer_marked_no_store(world, login):
    client = login(world.home.student_user)
    client.post("/logout")
    response = client.get("/login")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_no_hsts_in_testing_or_development(client, app_config, engine):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    dev = create_app({**app_config, "TALENTMATCH_ENV": "development"})
    assert "Strict-Transport-Security" not in dev.test_client().get("/login").headers


def test_hsts_in_production(app_config, engine):
    app = create_app({**app_config, "TALENTMATCH_ENV": "production"})
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert_security_headers(response)


# The parser can miss an attribute written inside a Jinja block ({% if %}style="..."{% endif %}).
INLINE_IN_SOURCE = re.compile(
    r"(?<![\w-])style\s*=|<style\b|(?<![\w.-])on[a-z]+\s*=|<script(?![^>]*\bsrc=)|javascript:",
    re.IGNORECASE)


def test_inline_in_source_catches_attributes_inside_jinja_blocks():
    source = '<td {% if x %}style="width: 3%"{% endif %}>{{ field(f, onchange="go()") }}'
    assert INLINE_IN_SOURCE.findall(source) == ['style=', 'onchange=']


def test_no_template_source_has_inline_script_style_or_handler():
    """Also the pages no test renders: every template file, macros and charts included."""
    templates = Path(__file__).resolve().parents[2] / "app" / "templates"
    files = sorted(templates.rglob("*.html"))
    assert len(files) > 20
    found = {str(f.relative_to(templates)): inline_parts(f.read_text(encoding="utf-8"))
             + INLINE_IN_SOURCE.findall(f.read_text(encoding="utf-8")) for f in files}
    assert {name: parts for name, parts in found.items() if parts} == {}
