"""The invitation page: an invited company contact sets a password and is logged in.

Invitations of students and counsellors, and reset links, which land on the same page, are
tested in tests/web/auth/test_getting_in.py."""

from __future__ import annotations

import re
import time

import pytest

from app.services.access import links
from tests.web.activities.builders import in_english

NEW_PASSWORD = "een lang nieuw wachtwoord"


@pytest.fixture
def invitation(world, login, app):
    """A coordinator invites Noor through the company page; returns the link's path."""
    client = in_english(login(world.home.coordinator))
    url = f"/companies/{world.home.company.id}"
    client.post(f"{url}/contacts", data={"email": "noor@voltwerk.nl",
                                         "display_name": "Noor Bakker"})
    page = client.get(url).get_data(as_text=True)
    link = re.search(r'value="http://localhost(/invitations/[^"]+)"', page).group(1)
    client.post("/logout")
    return link


def test_the_invited_contact_sets_a_password_and_lands_on_the_company_home(
        world, client, invitation):
    in_english(client)
    page = client.get(invitation).get_data(as_text=True)
    assert 'data-testid="invitation-accept"' in page
    assert "Noor Bakker" in page and "noor@voltwerk.nl" in page
    response = client.post(invitation, data={"password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    home = client.get("/home").get_data(as_text=True)
    assert 'data-testid="company-home"' in home
    assert world.home.company.name in home and world.home.placement.title in home
    assert "Your password is set" in home


def test_the_invited_contact_can_log_in_afterwards(world, client, invitation):
    client.post(invitation, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.post("/logout")
    response = client.post("/login", data={"email": "noor@voltwerk.nl",
                                           "password": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")


def test_a_used_link_says_so_and_whom_to_ask(world, client, invitation):
    in_english(client)
    client.post(invitation, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.post("/logout")
    for response in (client.get(invitation),
                     client.post(invitation, data={"password": "another password!",
                                                   "confirm": "another password!"})):
        page = response.get_data(as_text=True)
        assert response.status_code == 410
        assert "already been used" in page and world.home.company.name in page
    # The password set the first time still works.
    assert client.post("/login", data={"email": "noor@voltwerk.nl",
                                       "password": NEW_PASSWORD}).status_code == 302


def test_an_expired_link_says_so(world, client, invitation, monkeypatch):
    in_english(client)
    later = time.time() + 15 * 86400
    monkeypatch.setattr(links, "_now", lambda: later)
    response = client.get(invitation)
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "has expired" in page and "14 days" in page
    assert "coordinator of your region" in page


def test_a_tampered_link_is_refused(world, client, invitation):
    in_english(client)
    head, _dot, signature = invitation.rpartition(".")
    forged = f"{head}.{signature[::-1]}"
    response = client.post(forged, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)
    assert client.get("/invitations/not-a-token").status_code == 400
    # Nothing happened: the real link still works.
    assert client.get(invitation).status_code == 200


def test_the_form_errors_keep_the_link_usable(world, client, invitation):
    in_english(client)
    page = client.post(invitation, data={"password": "short", "confirm": "short"}).get_data(
        as_text=True)
    assert "Use at least 10 characters." in page
    page = client.post(invitation, data={"password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD + "x"}).get_data(as_text=True)
    assert "The two passwords differ." in page
    assert client.post(invitation, data={"password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD}).status_code == 302
