"""Recording and correcting talent observations."""

from .views import bp

__all__ = ["bp"]
