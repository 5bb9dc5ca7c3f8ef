"""A student's page (talent record), and what their school does for them: consent, deletion."""

from .views import bp

__all__ = ["bp"]
