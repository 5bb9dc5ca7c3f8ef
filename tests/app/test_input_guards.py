"""Odd input gets a clear answer, never a 500 (issue 17)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from app.db import get_session
from app.models import Region


def test_a_500_after_a_failed_flush_still_renders_the_error_page(app, world, login):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, not raise

    def broken():
        session = get_session()
        session.add(Region(id=world.home.region.id, slug="dubbel", name="Dubbel"))
        with pytest.raises(IntegrityError):
            session.flush()
        raise RuntimeError("a bug after a failed statement")

    app.add_url_rule("/test-broken", "test_broken", broken)
    client = login(world.home.counsellor)
    response = client.get("/test-broken")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Er ging bij ons iets mis. Probeer het later opnieuw." in page
    # The layout rendered around it, with the logged-in user read after the rollback.
    assert 'data-testid="who"' in page and world.home.counsellor.display_name in page
