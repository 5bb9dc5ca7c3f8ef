"""Logging in and out, changing a password, choosing a language."""

from .views import bp

__all__ = ["bp"]
