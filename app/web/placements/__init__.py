"""Placements: the detail page, posting and editing, and changes of status."""

from .views import bp

__all__ = ["bp"]
