"""Companies: the list, adding and editing a company, and the contacts who act for it."""

from .views import bp

__all__ = ["bp"]
