"""Candidates a company answers, and feedback after a placement."""

from .views import bp

__all__ = ["bp"]
