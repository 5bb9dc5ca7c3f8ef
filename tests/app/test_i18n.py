"""Dutch by default, English on request, and no untranslated text."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app/translations/nl/LC_MESSAGES/messages.po"
MO = ROOT / "app/translations/nl/LC_MESSAGES/messages.mo"
METHODS = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_the_ui_speaks_dutch_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Inloggen" in page
    assert 'lang="nl"' in page


def test_english_is_available_on_request_and_remembered(client):
    response = client.get("/lang/en?next=/login")
    assert response.headers["Location"].endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert "Log in" in page and "Inloggen" not in page
    client.get("/lang/nl")
    assert "Inloggen" in client.get("/login").get_data(as_text=True)


def test_an_unknown_language_keeps_dutch(client):
    client.get("/lang/xx")
    assert "Inloggen" in client.get("/login").get_data(as_text=True)


def dutch_catalogue():
    with PO.open("rb") as file:
        return read_po(file)


def test_every_text_in_the_source_has_a_dutch_translation():
    catalogue = dutch_catalogue()
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = source_messages() - translated
    assert not missing, f"Add Dutch translations (see README, Translations) for: {sorted(missing)}"


def _key(value):
    # read_mo gives plural forms as lists, read_po as tuples.
    return tuple(value) if isinstance(value, list | tuple) else value


def _messages(catalogue) -> dict:
    """id -> translation of every message gettext would serve: translated and not fuzzy."""
    return {
        _key(message.id): _key(message.string)
        for message in catalogue
        if message.id and not message.fuzzy
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }


def test_the_compiled_catalogue_serves_every_translation_of_the_po_file():
    # Compared message by message, not byte by byte: Babel versions write .mo files
    # differently (2.18 and 2.19 do), and the test must not depend on which one is installed.
    with MO.open("rb") as file:
        compiled = read_mo(file)
    assert _messages(compiled) == _messages(dutch_catalogue()), (
        "Run: pybabel compile -d app/translations"
    )
