"""A student's proposals: why, where and when, and their yes or no."""

from .views import bp

__all__ = ["bp"]
