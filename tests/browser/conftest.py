"""The real server on a free port, driven by Debian's headless Chromium.

Chromium is never downloaded: without ``/usr/bin/chromium`` these tests skip, unless
``TALENTMATCH_REQUIRE_BROWSER=1`` (set by CI) turns the skip into a failure.
"""

from __future__ import annotations

import os
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def app_config(app_config):
    """The shared test config, but as a browser meets it: CSRF on, any host accepted."""
    config = dict(app_config, WTF_CSRF_ENABLED=True)
    # SERVER_NAME "localhost" would make Flask 404 every request to 127.0.0.1:<port>.
    config.pop("SERVER_NAME", None)
    return config


@pytest.fixture
def live_server(app):
    """Serves ``app`` (test database, shared engine) over real HTTP; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("TALENTMATCH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TALENTMATCH_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens pages in a fresh context (no cookies); closed before the server stops."""
    contexts = []

    def open_page(**context_options):
        context = browser.new_context(base_url=live_server, **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
