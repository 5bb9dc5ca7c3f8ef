"""Home pages per role, and the health check."""

from .views import bp

__all__ = ["bp"]
