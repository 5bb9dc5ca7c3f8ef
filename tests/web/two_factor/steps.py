"""Steps the two-factor tests share: reading the key off the page, a code, setting up."""

from __future__ import annotations

import re
import time

import pyotp


def secret_on(page: str) -> str:
    """The key shown for typing into an app, without the spaces that group it."""
    found = re.search(r'data-testid="secret">([A-Z2-7 ]+)</code>', page)
    assert found, "no secret on the page"
    return found.group(1).replace(" ", "")


def code(secret: str, steps_ahead: int = 0) -> str:
    """The code of this 30-second step, or of one ahead (accepted too: a phone's clock may
    run ahead), for a second login that may not reuse the first one's code."""
    return pyotp.TOTP(secret).generate_otp(int(time.time() // 30) + steps_ahead)


def enrol(client) -> tuple[str, list[str]]:
    """Sets the logged-in user's second factor up; returns its secret and recovery codes."""
    page = client.get("/two-factor").get_data(as_text=True)
    secret = secret_on(page)
    response = client.post("/two-factor", data={"code": code(secret), "next": ""})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9-]{19})</code></li>", response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes
