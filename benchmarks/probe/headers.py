"""The security headers every answer of the app carries, and each role's pages checked for
them."""

from __future__ import annotations

from benchmarks.probe.browser import Answer, Browser
from benchmarks.probe.world import Probe

ALWAYS = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
          "Referrer-Policy", "Permissions-Policy")


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
