"""Talent without interest: a counsellor's list of students to invite to see technology."""

from .views import bp

__all__ = ["bp"]
