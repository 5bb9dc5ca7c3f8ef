"""Numbers and dates read in Dutch on every page of every role (issue 21): 0,33 and 8,5 km,
18 december 2026; never 0.33 or 2026-12-18 in the text a person reads."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.web.test_fuzz_every_form import ROLES, _client, _user, crawl, lived_in

# A decimal point between digits (not a version or a time), and a date as a computer writes it.
ENGLISH_DECIMAL = re.compile(r"(?<![\d.:/\w])\d+\.\d+(?![\d.\w])")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Pages that show how a file is written (a date as 2025-10-07 is one way an import accepts,
# 7212.3 an ESCO code), not a figure to read.
WRITTEN_AS_IN_FILES = ("/imports/help",)


class _Text(HTMLParser):
    """The text a reader sees: no markup, scripts, styles or attribute values, and not what
    is in a form field already (an <input type=date> holds its value the ISO way)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "textarea", "code", "pre"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "textarea", "code", "pre"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    reader = _Text()
    reader.feed(html)
    return " ".join(reader.parts)


def english_forms(text: str) -> list[str]:
    return ENGLISH_DECIMAL.findall(text) + ISO_DATE.findall(text)


def test_the_check_finds_english_numbers_and_iso_dates_and_passes_dutch_ones():
    assert english_forms("Score 0.33, 8.5 km, uiterlijk 2026-12-18") == [
        "0.33", "8.5", "2026-12-18"]
    assert english_forms("Score 0,33, 8,5 km, uiterlijk 18 december 2026, om 14:30") == []


@pytest.mark.parametrize("role", ROLES)
def test_every_page_writes_numbers_and_dates_the_dutch_way(app, world, session, password_hash,
                                                           login, role):
    scout, invitation = lived_in(app, session, world, password_hash)
    user = _user(world, role, scout)
    client = _client(app, login, user)
    found = crawl(app, client, extra=[invitation] if user is None else ())
    client.get("/lang/nl")  # the crawl follows the language link too
    problems = []
    for path in sorted(set(found.pages.values())):
        if path.startswith(("/lang/", *WRITTEN_AS_IN_FILES)):
            continue
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        wrong = english_forms(visible_text(response.get_data(as_text=True)))
        if wrong:
            problems.append(f"{path}: {', '.join(sorted(set(wrong)))}")
    assert not problems, "\n".join(problems)
