"""Company contacts invited by a coordinator set their own password here."""

from .views import bp

__all__ = ["bp"]
