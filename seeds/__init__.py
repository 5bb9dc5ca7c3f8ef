"""Deterministic demo data: real Dutch places, invented people and companies.

    from seeds import generate, SeedSummary, DEMO_ACCOUNTS
    summary = generate(session, students=600, placements=300, seed=2026, password_hash=HASH)
"""

from .demo import DEMO_ACCOUNTS
from .generator import SeedSummary, generate

__all__ = ["DEMO_ACCOUNTS", "SeedSummary", "generate"]
