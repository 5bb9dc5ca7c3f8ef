"""A student's own profile, data export and deletion request."""

from .views import bp

__all__ = ["bp"]
