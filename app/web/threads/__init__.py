"""After "ja": a proposal's message thread, the start details and the calendar file."""

from .views import bp

__all__ = ["bp"]
