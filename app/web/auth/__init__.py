"""Logging in and out, changing a password, choosing a language, and getting in without a
password: a reset link by e-mail, or a one-time code from a printed sheet."""

from . import recovery  # noqa: F401  (registers its pages on bp)
from .views import bp

__all__ = ["bp"]
