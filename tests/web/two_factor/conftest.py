"""These tests run with the site's setting on, as production has it."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TWO_FACTOR_REQUIRED": True}
